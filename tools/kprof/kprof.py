#!/usr/bin/env python3
"""Profile the kernel: run one boot under QEMU with the kprof plugin (tools/kprof/kprof.c),
which counts the executions of every kernel instruction, and print where they went, by
function (the kernel's symbols) and, for one function, by source line.

    python3 tools/kprof/kprof.py [--lab N] [--init '/bin/musl-bench fork'] [--top 25]
                                 [--lines FUNCTION] [--cmdline 'key=value ...']

The counts are exact instruction counts (the same on every run). They cover the whole run,
boot included, so make the path you look at dominate it: musl-bench takes the name of one
row group and runs only it, many times (docs/bench.md, "Profiling a kernel path").
"""

import argparse
import bisect
import collections
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "grade"))
import gradelib  # noqa: E402  (QEMU's command line, from the GNUmakefile)
from elf import elf_functions  # noqa: E402


def make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT] + list(args),
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def build_plugin():
    src = os.path.join(ROOT, "tools", "kprof", "kprof.c")
    so = os.path.join(ROOT, "obj", "kprof.so")
    if not os.path.exists(so) or os.path.getmtime(so) < os.path.getmtime(src):
        os.makedirs(os.path.dirname(so), exist_ok=True)
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-Wall",
                        "-Wextra", "-o", so, src], check=True)
    return so


def run(lab, cmdline, mem, out, timeout):
    make("LAB=%d" % lab, "iso")
    iso = os.path.join(ROOT, make("LAB=%d" % lab, "print-iso").strip())
    so = build_plugin()
    cmd = gradelib.qemu_command(ROOT, lab, iso, mem, cmdline) + [
        "-display", "none", "-serial", "stdio", "-monitor", "none",
        "-icount", "shift=0,align=off,sleep=off", "-plugin", "%s,out=%s" % (so, out)]
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        text = r.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        sys.exit("kprof: the run did not power off within %d s" % timeout)
    if "powering off" not in text:
        sys.exit("kprof: the run did not end by powering off; its last lines:\n"
                 + "\n".join(text.splitlines()[-10:]))
    return text


def load_counts(path):
    counts = {}
    with open(path) as f:
        for line in f:
            addr, n = line.split()
            counts[int(addr, 16)] = int(n)
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lab", type=int, help="lab checkpoint (default: the highest)")
    ap.add_argument("--init", default="/bin/musl-bench", help="the first program and its arguments")
    ap.add_argument("--cmdline", default="", help="more kernel options")
    ap.add_argument("--mem", type=int, default=256, help="guest MiB")
    ap.add_argument("--top", type=int, default=25, help="functions to list")
    ap.add_argument("--lines", metavar="FUNCTION", help="also count FUNCTION's source lines")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()
    lab = args.lab
    if lab is None:
        labs = [int(d[3:]) for d in os.listdir(os.path.join(ROOT, "labs")) if d[3:].isdigit()]
        lab = max(labs)
    out = os.path.join(ROOT, "obj", "kprof.out")
    cmdline = ('init="%s" ' % args.init if args.init else "") + args.cmdline
    run(lab, cmdline.strip(), args.mem, out, args.timeout)

    kernel = os.path.join(ROOT, "obj", "lab%d" % lab, "kernel.elf")
    funcs = sorted((addr, size, name) for name, (addr, size) in elf_functions(kernel).items()
                   if size)
    starts = [f[0] for f in funcs]
    counts = load_counts(out)
    by_func = collections.Counter()
    for addr, n in counts.items():
        i = bisect.bisect_right(starts, addr) - 1
        name = "?"
        if i >= 0 and addr < funcs[i][0] + funcs[i][1]:
            name = funcs[i][2]
        by_func[name] += n
    total = sum(by_func.values())
    print("%d kernel instructions executed (lab %d, init=%s)" % (total, lab, args.init))
    print("%14s %6s  %s" % ("instructions", "share", "function"))
    for name, n in by_func.most_common(args.top):
        print("%14d %5.1f%%  %s" % (n, 100.0 * n / total, name))

    if args.lines:
        match = [f for f in funcs if f[2] == args.lines]
        if not match:
            sys.exit("kprof: no function %s in %s" % (args.lines, kernel))
        start, size, _ = match[0]
        addrs = sorted(a for a in counts if start <= a < start + size)
        lines = subprocess.run(["addr2line", "-e", kernel] + ["%x" % a for a in addrs],
                               stdout=subprocess.PIPE, check=True).stdout.decode().split("\n")
        by_line = collections.Counter()
        for a, where in zip(addrs, lines):
            by_line[where.split(" ")[0]] += counts[a]
        print("\n%s, by source line:" % args.lines)
        def key(kv):
            path, _, line = kv[0].rpartition(":")
            return (path, int(line) if line.isdigit() else 0)
        for where, n in sorted(by_line.items(), key=key):
            print("%14d  %s" % (n, os.path.relpath(where, ROOT) if where.startswith("/") else where))


if __name__ == "__main__":
    main()
