#!/usr/bin/env python3
"""Lab 1 tests: booting, printf, the memory map, backtraces, symbols and the monitor.

Every expected value is computed here (with Python's own formatting, or from the kernel ELF
that was built), never taken from the kernel's output.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Fail, Grader, elf_functions, elf_sections  # noqa: E402

g = Grader(1)

# The exercises (docs/lab1.md), each with the solution blocks a student writes.
g.exercise("%o in printf", "lib/printfmt.c:convert")
g.exercise("the memory map", "kern/boot/multiboot.c:mb_mmap_regions")
g.exercise("the backtrace", "kern/debug/backtrace.c:backtrace_collect")
g.exercise("symbol lookup", "kern/debug/ksym.c:ksym_lookup")

# ---------------------------------------------------------------------------------------
g.test("boot banner and monitor prompt: the kernel boots to the monitor", 5, inputs=["poweroff"],
       expect=[r"^Sparrow x86-64 teaching kernel", r"K> "], exercise=None)

# ---------------------------------------------------------------------------------------
# printf: the same formats and arguments as kern/monitor/selftest.c, formatted by Python
# (whose % operator follows C for these conversions; where it does not, the value is
# written out).
U64 = (1 << 64) - 1
PRINTF_LINES = [
    "pf01 [%d] [%i] [%u] [%d]" % (0, -42, 3000000000, 2147483647),
    "pf02 [%x] [%X] [%#x] [%08x]" % (0xbeef, 0xBEEF, 255, 0xabc),
    "pf03 [%o] [%o] [%o] [0%o]" % (0, 8, 0o777, 8),          # C's %#o is "0" + digits
    "pf04 [%5o] [%-5o] [%05o] [%04o]" % (8, 8, 8, 8),         # %.4o: at least 4 digits
    "pf05 [%o] [%o] [%o]" % (0o1234567012345670, 0o777777777777777777777, 0o644),
    "pf06 [%d] [%d] [%d]" % (-(1 << 63), (1 << 63) - 1, U64),
    "pf07 [%x] [%x] [%X]" % (0xfedcba9876543210, 0x1000, 0xABCDEF0123456789),
    "pf08 [%5d] [%-5d|] [%05d] [%+d] [% d]" % (42, 42, -42, 7, 7),
    "pf09 [%s] [%.3s] [%10s] [%-10s|] [(null)]" % ("sparrow", "sparrow", "bird", "bird"),
    "pf10 [%c%c%c] [%%] [%5c]" % ("o", "k", "!", "x"),
    "pf11 [0x%x] [(nil)]" % 0xffffffff80100000,
    "pf12 [%*d] [%-*d|] [%.*s]" % (6, 12, 6, 12, 2, "abc"),
    "pf13 [%d] [%d] [%x]" % (300 & 0xFF, -2, 0xffff),
]


def check_printf(out):
    for want in PRINTF_LINES:
        tag = want.split()[0]
        got = [l for l in out.lines if l.startswith(tag + " ")]
        if not got:
            raise Fail("no %s line: the printf self-test did not get that far" % tag)
        if got[0] != want:
            raise Fail("printf mismatch:\n      got:  %s\n      want: %s" % (got[0], want))


g.test("printf formats: each `pfNN` line equals C's printf of the same format", 15, cmdline="test=printf", check=check_printf, exercise="%o in printf")

# ---------------------------------------------------------------------------------------
# The memory map: booted with two memory sizes, the usable memory must follow.
MMAP_RE = re.compile(r"^\s*\[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (.+)$")
TOTAL_RE = re.compile(r"^Usable memory: (\d+) KiB \((\d+) MiB\) in (\d+) regions")


def mmap_check(mem_mib):
    def check(out):
        regions = []
        for l in out.lines:
            m = MMAP_RE.match(l)
            if m:
                regions.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
        if not regions:
            raise Fail("no memory map lines like '  [mem 0x...-0x...] usable' were printed")
        usable = [(s, e) for s, e, kind in regions if kind == "usable"]
        if not usable:
            raise Fail("the memory map has no usable region")
        for (s1, e1, _), (s2, _, _) in zip(regions, regions[1:]):
            if s2 <= e1:
                raise Fail("memory map regions overlap or are out of order at %#x" % s2)
        top = max(e for _, e in usable) + 1
        # QEMU's BIOS keeps the top 128 KiB of RAM for itself; allow up to 1 MiB.
        if not (mem_mib - 1) << 20 <= top <= mem_mib << 20:
            raise Fail("with -m %d the highest usable byte should be just under %d MiB, "
                       "but the map's usable memory ends at %#x" % (mem_mib, mem_mib, top))
        if not any(s <= 0x100000 < e for s, e in usable):
            raise Fail("the memory at 1 MiB (where the kernel is) is not in a usable region")
        total = [TOTAL_RE.match(l) for l in out.lines if TOTAL_RE.match(l)]
        if not total:
            raise Fail("no 'Usable memory: N KiB (M MiB) in K regions' line")
        kib = int(total[0].group(1))
        want = sum(e - s + 1 for s, e in usable) // 1024
        if kib != want:
            raise Fail("the total usable memory printed (%d KiB) is not the sum of the usable "
                       "regions printed (%d KiB)" % (kib, want))
    return check


g.test("memory map (128 MiB): regions ordered, total is their sum, usable memory ends under 128 MiB", 5, mem=128, inputs=["poweroff"], check=mmap_check(128),
       exercise="the memory map")
g.test("memory map (512 MiB): the same with 512 MiB: the map is read, not made up", 5, mem=512, inputs=["poweroff"], check=mmap_check(512),
       exercise="the memory map")

# ---------------------------------------------------------------------------------------
# Backtraces: frames are checked against the kernel ELF's symbol table.
FRAME_RE = re.compile(r"^\s*#(\d+)\s+rbp ([0-9a-f]{16})\s+rip ([0-9a-f]{16})\s+(\S+)\+0x([0-9a-f]+)$")


def frames_after(out, marker):
    lines = out.after(marker)
    frames = []
    for l in lines:
        m = FRAME_RE.match(l)
        if not m:
            if frames:
                break
            continue
        frames.append((int(m.group(2), 16), int(m.group(3), 16), m.group(4), int(m.group(5), 16)))
    return frames


def check_frames(out):
    funcs = elf_functions(out.ctx["kernel"])
    text_addr, text_size = elf_sections(out.ctx["kernel"])[".text"]
    frames = frames_after(out, r"^entering test_backtrace 0$")
    if len(frames) < 8:
        raise Fail("expected at least 8 frames (six test_backtrace calls, then their callers), "
                   "got %d" % len(frames))
    for (rbp1, _, _, _), (rbp2, _, _, _) in zip(frames, frames[1:]):
        if rbp2 <= rbp1:
            raise Fail("frame pointers must grow toward the caller: %016x then %016x" % (rbp1, rbp2))
    for _, rip, _, _ in frames:
        if not text_addr <= rip < text_addr + text_size:
            raise Fail("return address %016x is not in the kernel's .text" % rip)
    # Frames 0-5 belong to test_backtrace(0) ... test_backtrace(5); each holds the return
    # address into its caller, so the first five return into test_backtrace itself and the
    # sixth into selftest_backtrace.
    for i, caller in enumerate(["test_backtrace"] * 5 + ["selftest_backtrace"]):
        start, size = funcs[caller]
        if not start < frames[i][1] <= start + size:
            raise Fail("frame #%d's return address %016x should be inside %s (%x-%x)" % (
                i, frames[i][1], caller, start, start + size))


def check_symbols(out):
    funcs = elf_functions(out.ctx["kernel"])
    frames = frames_after(out, r"^entering test_backtrace 0$")
    if not frames:
        raise Fail("no backtrace frames to check the names of")
    for _, rip, name, off in frames:
        if name not in funcs:
            raise Fail("'%s' (for rip %016x) is not a function in the kernel" % (name, rip))
        start, size = funcs[name]
        # Names are looked up for rip - 1 (the call instruction), so a call at the very
        # end of a function still names that function.
        if not start < rip <= start + size or rip - start != off:
            raise Fail("rip %016x is not %s+0x%x (%s starts at %016x)" % (rip, name, off, name, start))
    names = [f[2] for f in frames]
    for want in ("test_backtrace", "selftest_backtrace", "selftest_run", "kmain"):
        if want not in names:
            raise Fail("the backtrace should pass through %s; it names %s" % (want, names))


g.test("backtrace frames: the frame-pointer walk", 10, cmdline="test=backtrace", check=check_frames,
       expect=[r"^Stack backtrace:"], exercise="the backtrace")
g.test("backtrace symbols: names and offsets match the kernel's symbol table", 10, cmdline="test=backtrace", check=check_symbols,
       exercise="symbol lookup", needs=["the backtrace"])

# ---------------------------------------------------------------------------------------
# The monitor.
KERNINFO_RE = re.compile(r"^\s*(\.\w+)\s+([0-9a-f]{16})-([0-9a-f]{16})\s+(\d+) bytes")


def check_monitor(out):
    helped = out.after(r"K> help")
    for cmd in ("help", "kerninfo", "backtrace", "mmap", "poweroff"):
        if not any(re.match(r"\s*%s\s" % cmd, l) for l in helped[:20]):
            raise Fail("'help' does not list the %s command" % cmd)
    sections = elf_sections(out.ctx["kernel"])
    seen = 0
    for l in out.after(r"K> kerninfo"):
        m = KERNINFO_RE.match(l)
        if not m:
            continue
        name, start, end, size = m.group(1), int(m.group(2), 16), int(m.group(3), 16), int(m.group(4))
        want = sections.get(name)
        if want is None or (start, end - start, size) != (want[0], want[1], want[1]):
            raise Fail("kerninfo says %s is %x-%x (%d bytes); the ELF says %s" % (
                name, start, end, size,
                "%x, %d bytes" % want if want else "there is no such section"))
        seen += 1
    if seen < 4:
        raise Fail("kerninfo should show .text, .rodata, .data and .bss; found %d" % seen)
    if not any(re.search(r"K> .*mmap", l) for l in out.lines) or not out.grep(r"^\s*\[mem 0x"):
        raise Fail("'mmap' did not print the memory map")


g.test("monitor commands: `help`, `kerninfo` (checked against the ELF), unknown commands, `mmap`", 10,
       inputs=["help", "kerninfo", "frobnicate now", "mmap", "poweroff"],
       expect=[r"K> frobnicate now", r"^Unknown command 'frobnicate'", r"K> mmap"],
       check=check_monitor, needs=["the memory map"])


def check_monitor_backtrace(out):
    frames = frames_after(out, r"K> backtrace")
    names = [f[2] for f in frames]
    for want in ("monitor", "kmain"):
        if want not in names:
            raise Fail("the monitor's backtrace should pass through %s; it names %s" % (want, names))


g.test("monitor backtrace: the monitor's `backtrace` command passes through `monitor` and `kmain`", 5, inputs=["backtrace", "poweroff"], check=check_monitor_backtrace,
       exercise="the backtrace", needs=["symbol lookup"])

# ---------------------------------------------------------------------------------------
# panic() and the command line.


def check_panic(out):
    names = [f[2] for f in frames_after(out, r"^kernel panic at ")]
    if "selftest_panic" not in names:
        raise Fail("the panic's backtrace should name selftest_panic; it names %s" % names)


g.test("panic message and backtrace: `panic()` prints file:line, the message and a backtrace naming the caller", 5, cmdline="test=panic", expect_panic=True,
       expect=[r"^kernel panic at kern/monitor/selftest\.c:\d+: self-test panic, value 42$",
               r"^Stack backtrace:"],
       check=check_panic, exercise="the backtrace", needs=["symbol lookup"])

g.test("unknown kernel options warn: `frobnicate=1` on the command line gives a warning, and the kernel goes on", 5, cmdline="frobnicate=1 onpanic=monitor", inputs=["poweroff"],
       expect=[r"^warning: unknown kernel option 'frobnicate' \(ignored\)", r"K> "],
       forbid=[r"warning: unknown kernel option 'onpanic'"])

if __name__ == "__main__":
    sys.exit(g.main())
