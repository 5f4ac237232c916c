#!/usr/bin/env python3
"""Sparrow's benchmarks (`make bench`): what the kernel's operations cost, how long a boot
and a grading take. It reports against the targets of docs/bench.md; it never fails a test.

    python3 tools/bench.py [--ops] [--boot] [--grade] [--build] [--runs K]

- ops: /bin/musl-bench (user/musl/bench.c) run in Sparrow twice: under QEMU's
  `-icount shift=0,align=off,sleep=off -smp 1`, where rdtsc counts guest instructions and
  every run gives the same figures, and without icount, where rdtsc counts host cycles;
  one table of both, with Linux 6.1's instruction counts as the reference;
- boot: tools/bench-boot.py, wall time to the shell prompt and where it goes;
- grade: the five labs' graders one after the other, each with -j <cores>;
- build: `make iso` of the highest lab from a clean clone.
With none of --ops/--boot/--grade/--build, all but --build. Time under TCG is noisy: compare
figures from the same machine.
"""

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))
import gradelib  # noqa: E402  (QEMU's command line, from the GNUmakefile)

ICOUNT = ["-icount", "shift=0,align=off,sleep=off", "-smp", "1"]
BENCH_MEM = 256  # MiB: room for the 64 MiB row and its copy-on-write child

# The rows of issue 13: Linux 6.1's guest instructions per operation, measured with the same
# kind of program under the same QEMU 7.2 (this machine has no Linux guest to run it again),
# and the target Sparrow must meet.
REFERENCE = {
    "getpid": (343, 150),
    "fork + exit + wait, small process": (107526, 100000),
    "fork + exit + wait, 4 MiB touched": (512033, 450000),
    "pipe 1-byte round trip (2 processes)": (10492, 8000),
    "brk + first touch, per page": (3286, 1500),
    "free (brk shrink), per page": (1301, 500),
    "copy-on-write fault, per page": (4493, 3000),
}


def make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT] + list(args),
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def run_bench(iso, lab, extra, timeout=600):
    """Boot into /bin/musl-bench; its table as [(name, value)] in the order printed."""
    cmd = gradelib.qemu_command(ROOT, lab, iso, BENCH_MEM, "aslr=0 init=/bin/musl-bench") + [
        "-display", "none", "-serial", "stdio", "-monitor", "none"] + extra
    try:
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=timeout).stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b""
    text = out.decode("utf-8", "replace").replace("\r", "")
    m = re.search(r"^--- bench begin\n(.*?)^--- bench end$", text, re.M | re.S)
    if not m:
        sys.exit("bench: no table from /bin/musl-bench; the last lines were:\n  "
                 + "\n  ".join(text.strip().splitlines()[-10:]))
    rows = []
    for line in m.group(1).splitlines():
        r = re.match(r"^(.*\S)\s+(\d+)$", line)
        if r:
            rows.append((r.group(1), int(r.group(2))))
    return rows


def ops(lab):
    make("LAB=%d" % lab, "iso")
    iso = os.path.join(ROOT, make("LAB=%d" % lab, "print-iso").strip())
    insns = run_bench(iso, lab, ICOUNT)
    cycles = dict(run_bench(iso, lab, ["-smp", "1"]))
    print("Operations (/bin/musl-bench, median of 5 runs each): guest instructions per op under "
          "-icount shift=0,\nhost cycles per op without icount (noisy); Linux 6.1: the figures "
          "of issue 13, not measured here.")
    head = "%-48s %12s %12s %10s %10s" % ("op", "instructions", "host cycles", "Linux 6.1",
                                           "target")
    print(head)
    print("-" * len(head))
    missed = 0
    for name, n in insns:
        linux, target = REFERENCE.get(name, (None, None))
        mark = ""
        if target is not None:
            mark = "  ok" if n <= target else "  OVER"
            missed += n > target
        print("%-48s %12s %12s %10s %10s%s" % (
            name, "{:,}".format(n), "{:,}".format(cycles[name]) if name in cycles else "-",
            "{:,}".format(linux) if linux else "-", "{:,}".format(target) if target else "-",
            mark))
    sizes = [(0 if m.group(1) == "small process" else int(m.group(2)), n) for name, n in insns
             for m in [re.match(r"fork \+ exit \+ wait, (small process|(\d+) MiB touched)$",
                                name)] if m]
    if len(sizes) >= 2:
        (x0, y0), (x1, y1) = sizes[0], sizes[-1]
        slope = (y1 - y0) / (x1 - x0)
        print("fork's cost against memory touched: %s instructions + %s per MiB "
              "(%s per page); worst deviation from that line: %.1f%%" % (
                  "{:,}".format(y0), "{:,.0f}".format(slope), "{:,.0f}".format(slope / 256),
                  100 * max(abs(y - (y0 + slope * (x - x0))) / y for x, y in sizes)))
    print("%d of %d rows over their target" % (missed, len(REFERENCE)))
    print(flush=True)


def cpu_of_children():
    """Processor seconds (user and system) used so far by the processes this one waited for."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def grading(labs):
    """Each lab's grader on this tree (built first, so the figures are the grading's), and
    the processor time they took: on a busy machine the wall time grows, that hardly does;
    divided by the cores, it is about what an idle machine would take."""
    for lab in labs:
        make("LAB=%d" % lab, "iso")
    total = cpu = 0.0
    parts = []
    for lab in labs:
        start, cpu0 = time.monotonic(), cpu_of_children()
        r = subprocess.run([sys.executable, os.path.join(ROOT, "grade", "lab%d.py" % lab),
                            "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        took, used = time.monotonic() - start, cpu_of_children() - cpu0
        total += took
        cpu += used
        score = r.stdout.decode().strip().splitlines()[-1:] or ["?"]
        parts.append("lab %d %.1f s, cpu %.1f s (%s)" % (lab, took, used, score[0]))
    cores = os.cpu_count() or 1
    print("Grading, the graders one after the other with -j %d: %.1f s (target 45 s); "
          "processor time %.1f s, %.1f s per core" % (cores, total, cpu, cpu / cores))
    print("  " + "; ".join(parts), flush=True)


def build(lab):
    work = tempfile.mkdtemp(prefix="sparrow-bench-")
    try:
        subprocess.run(["git", "clone", "-q", ROOT, work], check=True)
        start = time.monotonic()
        subprocess.run(["make", "-s", "-j%d" % (os.cpu_count() or 1), "LAB=%d" % lab, "iso"],
                       cwd=work, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.monotonic() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("Build of lab %d from a clean clone: %.1f s" % (lab, took), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", action="store_true", help="the operations table")
    ap.add_argument("--boot", action="store_true", help="boot time (tools/bench-boot.py)")
    ap.add_argument("--grade", action="store_true", help="the five graders' wall time")
    ap.add_argument("--build", action="store_true", help="build time from a clean clone")
    ap.add_argument("--runs", type=int, default=5, help="boots per memory size")
    args = ap.parse_args()
    labs = sorted(int(d[3:]) for d in os.listdir(os.path.join(ROOT, "labs"))
                  if d.startswith("lab") and os.path.exists(os.path.join(ROOT, "labs", d, "lab.mk")))
    if not (args.ops or args.boot or args.grade or args.build):
        args.ops = args.boot = args.grade = True
    if args.build:
        build(labs[-1])
    if args.ops:
        ops(labs[-1])
    if args.boot:
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench-boot.py"),
                        "--runs", str(args.runs)], check=False)
        print(flush=True)
    if args.grade:
        grading(labs)


if __name__ == "__main__":
    main()
