#!/usr/bin/env python3
"""Lab 3 tests: user programs, system calls, faults, the ELF loader and the initial stack.

Each test boots the kernel with one program as init (init=...) and types at the monitor
prompt that follows (the kernel goes on after the program ends). Lines the test programs
print through verdict() must carry this run's grading token (see gradelib).
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Fail, Grader, program  # noqa: E402

g = Grader(3)

# The exercises (docs/lab3.md), each with the solution blocks a student writes.
g.exercise("the IDT for user mode", "kern/trap/idt.c:trap_init")
g.exercise("the trap dispatcher for user mode", "kern/proc/usertrap.c:user_trap")
g.exercise("the system-call dispatcher", "kern/sys/syscall.c:dispatch", foundation=True)
g.exercise("checked user copies", "kern/proc/uaccess.c:user_page_ok")
g.exercise("the ELF loader", "kern/proc/elf.c:check_header", "kern/proc/elf.c:check_segment",
           "kern/proc/exec.c:load_segment", foundation=True)
g.exercise("the initial stack", "kern/proc/exec.c:build_stack", foundation=True)


def comm(name):
    """The process name as the kernel keeps it: at most 15 characters, as in Linux."""
    return name[:15]


def exited(name, status=0):
    return r"^\[pid 1\] %s exited with status %d$" % (comm(name), status)


def killed(name, sig, signame):
    return r"^\[pid 1\] %s killed by signal %d \(%s\)$" % (comm(name), sig, signame)


def fault(name, what):
    return r"^\[pid 1 %s\] user fault: %s, rip 0x[0-9a-f]+$" % (comm(name), what)


# ---------------------------------------------------------------------------------------
g.test("hello: runs, prints its pid and argv", 10, cmdline=program("hello", "a b"),
       inputs=["poweroff"],
       verdicts=[r"^hello: i am pid 1$", r"^hello: argv\[0\] = '/bin/hello'$",
                 r"^hello: argv\[1\] = 'a'$", r"^hello: argv\[2\] = 'b'$"],
       expect=[r"^hello, world$", exited("hello"), r"K> "],
       exercise="the ELF loader")


def fault_test(name, points, what, sig=11, signame="SIGSEGV", forbid=(), exercise="the trap dispatcher for user mode", **kw):
    g.test("%s: killed with '%s'" % (name, re.sub(r"\\(.)", r"\1", what)), points, cmdline=program(name),
           inputs=["poweroff"],
           expect=[fault(name, what), killed(name, sig, signame), r"K> "],
           forbid=[r"which is wrong", r"impossible", r"kernel panic"] + list(forbid),
           exercise=exercise, **kw)


fault_test("divzero", 5, r"divide error", 8, "SIGFPE")
# int $14 from user mode hits a DPL-0 gate: #GP with an error code naming the IDT entry
# (bit 1: "IDT"; in long mode the rest is the gate's byte offset, 14 * 16).
fault_test("softint", 5, r"general protection fault, error 0xe2")
fault_test("badsegment", 5, r"general protection fault, error 0xf8")
fault_test("faultread", 5, r"page fault at 0x0 \(read, not present\)")
fault_test("faultwrite", 5, r"page fault at 0x0 \(write, not present\)")
fault_test("faultreadkernel", 5, r"page fault at 0xffff800000100000 \(read, protection violation\)")
fault_test("faultwritekernel", 5, r"page fault at 0xffff800000100000 \(write, protection violation\)")


def check_faultexec(out):
    called = out.grep(r"^faultexec: calling code on the stack at (0x[0-9a-f]+)$")
    faulted = out.grep(r"page fault at (0x[0-9a-f]+) \(instruction fetch, protection violation\), rip (0x[0-9a-f]+)")
    if not called or not faulted:
        raise Fail("faultexec should fault on an instruction fetch from its stack")
    if not (int(faulted[0].group(1), 16) == int(faulted[0].group(2), 16) == int(called[0].group(1), 16)):
        raise Fail("the fault should be at the stack code's address %s (fault at %s, rip %s)" % (
            called[0].group(1), faulted[0].group(1), faulted[0].group(2)))


fault_test("faultexec", 5, r"page fault at 0x[0-9a-f]+ \(instruction fetch, protection violation\)",
           check=check_faultexec, exercise="the ELF loader")

# ---------------------------------------------------------------------------------------


def check_breakpoint(out):
    stop = out.grep(r"^\[pid 1 breakpoint\] breakpoint at rip (0x[0-9a-f]+)$")
    if not stop:
        raise Fail("int3 should stop the program in the monitor with '[pid 1 breakpoint] "
                   "breakpoint at rip 0x...'")
    regs = out.grep(r"^\s*rip ([0-9a-f]{16})\s+rsp ([0-9a-f]{16})")
    if not regs or int(regs[0].group(1), 16) != int(stop[0].group(1), 16):
        raise Fail("the trap frame printed should show the same rip")
    if not out.grep(r"^\*\s+1\s+0\s+RUNNING\s+(-?\d+\s+)?breakpoint$"):
        raise Fail("'ps' in the monitor should show the stopped program as pid 1, RUNNING, marked *")


g.test("breakpoint: int3 stops in the monitor, continue resumes", 10,
       cmdline=program("breakpoint") + " onbreak=monitor", inputs=["ps", "continue", "poweroff"],
       expect=[r"^breakpoint: before int3$", r"K> ps", r"K> continue"],
       verdicts=[r"^breakpoint: continued after int3, counter 2$"],
       check=check_breakpoint, exercise="the trap dispatcher for user mode")


def check_step(out):
    steps = [int(m.group(1), 16) for m in out.grep(r"^\[pid 1 breakpoint\] single step at rip (0x[0-9a-f]+)$")]
    start = out.grep(r"breakpoint at rip (0x[0-9a-f]+)")
    if len(steps) != 3 or not start:
        raise Fail("three 'step' commands should report three single steps; got %d" % len(steps))
    addrs = [int(start[0].group(1), 16)] + steps
    if not all(0 < b - a <= 15 for a, b in zip(addrs, addrs[1:])):
        raise Fail("each step should advance rip by one instruction: %s" % [hex(a) for a in addrs])


g.test("breakpoint: step executes one instruction at a time", 5,
       cmdline=program("breakpoint") + " onbreak=monitor", inputs=["step", "step", "step", "continue", "poweroff"],
       verdicts=[r"^breakpoint: continued after int3, counter 2$"],
       expect=[exited("breakpoint")], check=check_step, exercise="the trap dispatcher for user mode")

# ---------------------------------------------------------------------------------------
g.test("testbss: bss is zero and writable", 5, cmdline=program("testbss"), inputs=["poweroff"],
       verdicts=[r"^testbss: OK, 1024 KiB of bss zero and writable$"], expect=[exited("testbss")],
       exercise="the ELF loader")

g.test("buggyhello: write from an unmapped pointer gets EFAULT", 5,
       cmdline=program("buggyhello"), inputs=["poweroff"],
       verdicts=[r"^buggyhello: write\(1, 0x1, 1\) = -1, errno 14 \(EFAULT\)$"],
       expect=[exited("buggyhello")], forbid=[r"kernel fault"], exercise="checked user copies")

g.test("evilhello: write from kernel memory gets EFAULT", 5,
       cmdline=program("evilhello"), inputs=["poweroff"],
       verdicts=[r"^evilhello: write\(1, kernel memory, 64\) = -1, errno 14 \(EFAULT\)$",
                 r"^evilhello: write across the top of user memory = -1, errno 14 \(EFAULT\)$"],
       expect=[exited("evilhello")], forbid=[r"kernel fault"], exercise="checked user copies")

g.test("badsyscall: unknown numbers and bad arguments are refused", 5,
       cmdline=program("badsyscall"), inputs=["poweroff"],
       verdicts=[r"^badsyscall: all checks OK$"], expect=[exited("badsyscall")],
       forbid=[r"^badsyscall: .*FAIL"], exercise="the system-call dispatcher")

# ---------------------------------------------------------------------------------------
ARGV_CHECKS = ["argv[argc] is NULL", "stack 16-byte aligned at _start",
               "argc is the first word on the stack", "argv strings above the vectors",
               "envp follows argv", "PATH in the environment", "AT_PAGESZ is 4096",
               "AT_PHENT is 56", "AT_PHNUM matches the ELF header",
               "AT_PHDR points at the program headers", "AT_ENTRY is _start",
               "AT_RANDOM points into the stack", "AT_RANDOM bytes are not all zero"]

g.test("argv: argc, argv, envp and the auxiliary vector", 10,
       cmdline=program("argv", "one two three"), inputs=["poweroff"],
       verdicts=[r"^argv: argc 4$", r"^argv: argv\[0\] = '/bin/argv'$", r"^argv: argv\[1\] = 'one'$",
                 r"^argv: argv\[2\] = 'two'$", r"^argv: argv\[3\] = 'three'$"]
       + [r"^argv: %s: OK$" % re.escape(c) for c in ARGV_CHECKS]
       + [r"^argv: \d+ environment strings, all checks OK$"],
       expect=[exited("argv")], exercise="the initial stack")


def check_random(out):
    seen = [m.group(1) for m in out.grep(r"^argv: AT_RANDOM bytes ([0-9a-f]{32})")]
    if len(seen) != 2:
        raise Fail("expected two runs of argv to print AT_RANDOM bytes, saw %d" % len(seen))
    if seen[0] == seen[1]:
        raise Fail("AT_RANDOM gave the same bytes twice (%s): they must be random" % seen[0])


g.test("argv: AT_RANDOM differs from run to run", 5,
       inputs=["run /bin/argv", "run /bin/argv", "poweroff"], check=check_random,
       exercise="the initial stack")

# ---------------------------------------------------------------------------------------
BADELF = {
    "magic": "bad magic number", "class": "not a 64-bit little-endian ELF file",
    "machine": "not an x86-64 program", "type": "not a static executable",
    "phoff": "program headers outside the file", "phentsize": "wrong program header size",
    "kernelseg": "segment outside user memory", "wrapseg": "segment outside user memory",
    "filesz": "segment's file size is larger than its memory size",
    "offset": "segment data outside the file", "short": "file too short for an ELF header",
}
FREE_RE = re.compile(r"(\d+) free")


def check_badelf(out):
    for name, why in BADELF.items():
        if not out.grep(r"^exec /bin/badelf-%s: refused: %s" % (name, re.escape(why))):
            raise Fail("running /bin/badelf-%s should be refused with '%s'" % (name, why))
    free = []
    for i, l in enumerate(out.lines):
        if l.endswith("K> meminfo"):
            nums = [FREE_RE.search(x) for x in out.lines[i + 1:i + 8]]
            nums = [int(m.group(1)) for m in nums if m]
            if nums:
                free.append(nums[0])
    if len(free) != 2:
        raise Fail("could not read the free-frame count from 'meminfo' twice")
    if free[0] != free[1]:
        raise Fail("refused programs leaked memory: %d free frames before, %d after" % tuple(free))


g.test("badelf: broken ELF files are refused, nothing leaks, the kernel goes on", 10,
       inputs=["meminfo"] + ["run /bin/badelf-%s" % n for n in BADELF] + ["meminfo",
                                                                         "run /bin/hello again",
                                                                         "poweroff"],
       verdicts=[r"^hello: argv\[1\] = 'again'$"],
       check=check_badelf, exercise="the ELF loader")

g.test("fuzzsys: thousands of random system calls never crash the kernel", 5,
       cmdline=program("fuzzsys"), inputs=["poweroff"], timeout=60,
       verdicts=[r"^fuzzsys: the kernel survived \d+ random system calls$"],
       expect=[exited("fuzzsys")], forbid=[r"kernel fault", r"user fault"],
       exercise="the system-call dispatcher")

g.test("a kernel stack overflow is reported as a double fault", 5,
       cmdline="test=kstackoverflow", expect_panic=True,
       expect=[r"^kernel fault: double fault", r"^kernel panic at "],
       exercise="the IDT for user mode")

# What tests need besides their own exercise (the ELF loader and the initial stack are
# needed by all). A program that prints goes through the checked copies; int3 from user
# mode needs the IDT's user gate; faultexec reports its fault through the dispatcher.
NEEDS = {"checked user copies": ["hello", "faultexec", "breakpoint", "testbss", "badsyscall",
                                 "argv", "badelf", "fuzzsys"],
         "the IDT for user mode": ["breakpoint"],
         "the trap dispatcher for user mode": ["faultexec"]}
for t in g.tests:
    t.needs = tuple(e for e, names in NEEDS.items() if t.short in names and e != t.exercise)

if __name__ == "__main__":
    sys.exit(g.main())
