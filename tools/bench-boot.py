#!/usr/bin/env python3
"""Boot-time benchmark: wall time from starting QEMU to the first prompt (the shell's `$ `
from lab 5, the monitor's `K> ` before), for several guest memory sizes, and where it goes.
Not a test: it reports.

    python3 tools/bench-boot.py [--lab N] [--mem 128 1024 4096] [--runs 5] [--bound 1.0]

SeaBIOS writes its log to QEMU's debug console (port 0x402), which this run shows on the
same stream as the serial console, so each run splits into:
  firmware  QEMU's start-up and SeaBIOS, up to "Booting from DVD/CD";
  GRUB      GRUB loading the kernel and the ramdisk from the ISO, up to the kernel's banner;
  kernel    the kernel's own start-up, up to "Kernel ready" (lab 3 on; else the prompt);
  init      the first program, up to the prompt (init starting the shell, from lab 5).
Time under TCG is noisy and depends on the host (and on what else it runs): compare sizes
with each other (is the kernel's start-up linear in memory?) and runs on the same machine.
The "cpu" column is the processor time QEMU used up to the prompt: on a busy machine, where
QEMU waits for a core, it is closer than the wall time to what an idle machine would show.
The QEMU command line is the one `make print-qemu` gives (gradelib.qemu_command), so the
GNUmakefile stays its one home.
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

FIRMWARE_DONE = b"Booting from DVD/CD"
BANNER = b"Sparrow x86-64 teaching kernel"
KERNEL_READY = b"Kernel ready"
SEGMENTS = ("firmware", "GRUB", "kernel", "init")


def make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", TREE] + list(args),
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def one_boot(cmd, prompt, timeout):
    """Seconds from QEMU's start to each marker: {name: seconds}, prompt included, and
    "cpu": the CPU time QEMU had used at the prompt."""
    marks = {"firmware": FIRMWARE_DONE, "GRUB": BANNER, "kernel": KERNEL_READY,
             "prompt": prompt}
    seen = {}
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    buf = b""
    try:
        while "prompt" not in seen:
            chunk = proc.stdout.read1(65536)
            now = time.monotonic() - start
            if not chunk or now > timeout:
                break
            buf += chunk
            for name, text in marks.items():
                if name not in seen and text in buf:
                    seen[name] = now
        seen["cpu"] = gradelib.process_cpu(proc.pid)
    finally:
        proc.kill()
        proc.wait()
    if "prompt" not in seen:
        tail = buf.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError("no %r prompt; the last lines were:\n    %s"
                           % (prompt.decode(), "\n    ".join(tail)))
    return seen


def segments(seen):
    """The time of each segment of one boot (a missing marker merges its segment into the
    next one)."""
    out, last = {}, 0.0
    for name, mark in zip(SEGMENTS, ("firmware", "GRUB", "kernel", "prompt")):
        if mark in seen:
            out[name] = seen[mark] - last
            last = seen[mark]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lab", type=int, help="lab checkpoint to boot (default: the highest)")
    ap.add_argument("--mem", type=int, nargs="+", default=[128, 1024, 4096], help="guest MiB")
    ap.add_argument("--runs", type=int, default=5, help="boots per memory size")
    ap.add_argument("--bound", type=float, default=1.0,
                    help="seconds the median boot should stay under (reported, not enforced)")
    args = ap.parse_args()
    lab = args.lab or max(int(d[3:]) for d in os.listdir(os.path.join(TREE, "labs"))
                          if d[3:].isdigit())
    make("LAB=%d" % lab, "iso")
    iso = os.path.join(TREE, make("LAB=%d" % lab, "print-iso").strip())
    prompt = b"$ " if lab >= 5 else b"K> "
    print("Boot to the %r prompt (%s, %.1f MiB), %d runs per size; median seconds"
          % (prompt.decode(), os.path.relpath(iso, TREE), os.path.getsize(iso) / 2**20,
             args.runs))
    print("  %8s %6s %9s %6s  %s" % ("memory", "total", "range", "cpu", "  ".join(
        "%8s" % s for s in SEGMENTS)))
    over = False
    for mem in args.mem:
        cmd = gradelib.qemu_command(TREE, lab, iso, mem) + [
            "-display", "none", "-monitor", "none", "-chardev", "stdio,id=out,mux=on",
            "-serial", "chardev:out", "-device", "isa-debugcon,iobase=0x402,chardev=out"]
        runs = [one_boot(cmd, prompt, timeout=60) for _ in range(args.runs)]
        total = [r["prompt"] for r in runs]
        parts = [segments(r) for r in runs]
        med = statistics.median(total)
        over |= med > args.bound
        cols = []
        for s in SEGMENTS:
            vals = [p[s] for p in parts if s in p]
            cols.append("%8.3f" % statistics.median(vals) if vals else "%8s" % "-")
        print("  %4d MiB %6.2f %9s %6.2f  %s   %s %.1f s" % (
            mem, med, "%.2f-%.2f" % (min(total), max(total)),
            statistics.median(r["cpu"] for r in runs), "  ".join(cols),
            "OVER" if med > args.bound else "under", args.bound), flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
