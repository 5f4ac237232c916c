#!/usr/bin/env python3
"""Sparrow's benchmarks: the bounds the issues set, measured (not asserted by make test).

    python3 tools/bench.py [--lab N] [--runs K]

- build: `make` of checkpoint N from a clean copy of the tree (bound: 30 s on 2 cores);
- boot: wall time from starting QEMU to the monitor prompt `K> `, with 128 MiB and 1 GiB of
  guest memory (bound: 2 s under TCG), median of K runs (tools/bench-boot.py);
- grade: `make grade LAB=1` (bound: 20 s).
Wall-clock time under TCG is noisy; compare figures from the same machine.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, **kw):
    start = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lab", type=int, default=None, help="checkpoint (default: the highest)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    labs = sorted(int(d[3:]) for d in os.listdir(os.path.join(ROOT, "labs"))
                  if d.startswith("lab") and os.path.exists(os.path.join(ROOT, "labs", d, "lab.mk")))
    lab = args.lab or labs[-1]

    work = tempfile.mkdtemp(prefix="sparrow-bench-")
    try:
        subprocess.run(["git", "clone", "-q", ROOT, work], check=True)
        build = timed(["make", "-s", "-j%d" % (os.cpu_count() or 1), "LAB=%d" % lab, "iso"], cwd=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("build  lab %d from a clean clone:   %6.2f s   (bound 30 s)" % (lab, build))

    # Boot times, with the kernel's own share: tools/bench-boot.py.
    sys.stdout.flush()
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench-boot.py"), "--lab", str(lab),
                    "--runs", str(args.runs), "--mem", "128", "1024"], check=False)

    grade = timed([sys.executable, os.path.join(ROOT, "grade", "lab1.py"), "--quiet"])
    print("grade  make grade LAB=1:           %6.2f s   (bound 20 s)" % grade)


if __name__ == "__main__":
    main()
