#!/usr/bin/env python3
"""Take a picture of Sparrow's VGA screen: boot the lab's kernel in QEMU (the command line of
`make print-qemu`, no window), type lines at the prompts, then save the screen with QEMU's
monitor command `screendump` and convert it to PNG (tools/ppm2png.py).

    python3 tools/screenshot.py --lab 2 --cmdline memview=phys -o obj/memview.png
    python3 tools/screenshot.py --lab 5 --cmdline memview=phys --prompt '$ ' \\
        --type 'forktree' --wait 2 -o obj/forktree.png

--type LINE (repeatable) is typed at each prompt in turn (the monitor's `K> `, or --prompt);
the picture is taken --wait seconds after the prompt that follows the last line (or the
first prompt; or, with --at REGEX, after REGEX appears on the serial console), then QEMU is
stopped.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from gradelib import PROMPT, Run, qemu_command  # noqa: E402
import ppm2png  # noqa: E402


def screenshot(lab, cmdline, lines, out, prompt=PROMPT, wait=1.0, at=None, timeout=60):
    """Boot, type lines, save the screen as the PNG out: wait seconds after the prompt that
    follows the last line (or after the regex `at` appears in the serial output). Returns
    the serial output."""
    build = subprocess.run(["make", "-s", "-C", ROOT, "LAB=%d" % lab, "iso"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if build.returncode != 0:
        raise RuntimeError("the build failed:\n" + build.stdout.decode("utf-8", "replace"))
    work = tempfile.mkdtemp(prefix="sparrow-shot-")
    try:
        sock, ppm = os.path.join(work, "monitor"), os.path.join(work, "screen.ppm")
        cmd = qemu_command(ROOT, lab, None, None, cmdline) + [
            "-display", "none", "-serial", "stdio",
            "-monitor", "unix:%s,server=on,wait=off" % sock]
        run = Run(cmd, os.path.join(work, "serial.log"), [(prompt, l + "\n") for l in lines],
                  timeout)
        run.monitor_socket = sock
        thread = threading.Thread(target=run.run, daemon=True)
        thread.start()
        start = time.monotonic()
        while thread.is_alive() and (re.search(at, run.text()) is None if at else
                                     run.text().count(prompt) <= len(lines)):
            if time.monotonic() - start > timeout:
                break
            time.sleep(0.05)
        time.sleep(wait)
        if thread.is_alive():
            run.monitor_command("screendump %s" % ppm)
            run.monitor_command("quit")
        thread.join(timeout)
        if not os.path.exists(ppm):
            raise RuntimeError("QEMU wrote no screen dump (did the kernel reach the prompt "
                               "%r?); serial output:\n%s" % (prompt, run.text()[-2000:]))
        ppm2png.convert(ppm, out)
        return run.text()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lab", type=int, required=True)
    ap.add_argument("--cmdline", default="", help="kernel options (as make's CMDLINE=)")
    ap.add_argument("--type", action="append", default=[], metavar="LINE",
                    help="a line to type at a prompt (repeatable)")
    ap.add_argument("--prompt", default=PROMPT, help="what to wait for before typing")
    ap.add_argument("--wait", type=float, default=1.0,
                    help="seconds to wait after the last prompt before the picture")
    ap.add_argument("--at", metavar="REGEX",
                    help="take the picture when REGEX appears on the serial console instead")
    ap.add_argument("-o", "--out", required=True, help="the PNG to write")
    args = ap.parse_args()
    try:
        screenshot(args.lab, args.cmdline, args.type, args.out, args.prompt, args.wait, args.at)
    except RuntimeError as e:
        print("screenshot: %s" % e, file=sys.stderr)
        return 1
    print("screenshot: wrote %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
