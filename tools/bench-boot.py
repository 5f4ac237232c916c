#!/usr/bin/env python3
"""Boot-time benchmark: wall time from starting QEMU to the monitor's `K> ` prompt, with all
of the lab's boot self-checks, for several guest memory sizes. Not a test: it reports.

    python3 tools/bench-boot.py [--lab N] [--mem 128 1024] [--runs 5] [--bound 2.0]

Each run also records when the kernel's banner appears (before it: firmware and GRUB)
and when the last `check_...() succeeded!` line appears, so the kernel's own share shows.
Time under TCG is noisy and depends on the host: compare sizes with each other (is the
kernel's initialisation linear in memory?) rather than with other machines. The QEMU
command line is the one `make print-qemu` gives (gradelib.qemu_command), so the GNUmakefile
stays its one home.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TREE, "grade"))
import gradelib  # noqa: E402  (QEMU's command line, from the GNUmakefile)
BANNER = b"Sparrow x86-64 teaching kernel"
CHECK = b"succeeded!"
PROMPT = b"K> "


def make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", TREE] + list(args),
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def one_boot(cmd, timeout):
    """Seconds from QEMU's start to the banner, the last self-check line and the prompt."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    buf, banner, checks, prompt = b"", None, None, None
    try:
        while prompt is None:
            chunk = proc.stdout.read1(4096)
            now = time.monotonic() - start
            if not chunk:
                break
            buf += chunk
            if banner is None and BANNER in buf:
                banner = now
            if CHECK in chunk:
                checks = now
            if PROMPT in buf:
                prompt = now
            if now > timeout:
                break
        if prompt is not None:
            proc.stdin.write(b"poweroff\n")
            proc.stdin.flush()
        proc.wait(timeout=10)
    except (subprocess.TimeoutExpired, OSError):
        pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if prompt is None:
        tail = buf.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError("no K> prompt; the last lines were:\n    " + "\n    ".join(tail))
    return banner, checks, prompt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lab", type=int, help="lab checkpoint to boot (default: the highest)")
    ap.add_argument("--mem", type=int, nargs="+", default=[128, 1024], help="guest MiB")
    ap.add_argument("--runs", type=int, default=5, help="boots per memory size")
    ap.add_argument("--bound", type=float, default=2.0,
                    help="seconds the boot should stay under (reported, not enforced)")
    args = ap.parse_args()
    lab = ["LAB=%d" % args.lab] if args.lab else []
    make(*(lab + ["iso"]))
    iso = os.path.join(TREE, make(*(lab + ["print-iso"])).strip())

    print("Boot to the K> prompt (%s), %d runs per size; median [min-max] seconds"
          % (os.path.relpath(iso, TREE), args.runs))
    over = False
    for mem in args.mem:
        cmd = gradelib.qemu_command(TREE, args.lab, iso, mem) + [
            "-display", "none", "-serial", "stdio", "-monitor", "none"]
        runs = [one_boot(cmd, timeout=30) for _ in range(args.runs)]
        prompt = [r[2] for r in runs]
        kernel = [r[2] - r[0] for r in runs if r[0] is not None]
        checks = [r[1] - r[0] for r in runs if r[0] is not None and r[1] is not None]
        med = statistics.median(prompt)
        over |= med >= args.bound
        line = "  %5d MiB: %.2f [%.2f-%.2f]" % (mem, med, min(prompt), max(prompt))
        if kernel:
            line += "   kernel banner to prompt %.3f" % statistics.median(kernel)
        if checks:
            line += ", banner to last self-check %.3f" % statistics.median(checks)
        line += "   %s %.1f s" % ("OVER" if med >= args.bound else "under", args.bound)
        print(line, flush=True)
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())
