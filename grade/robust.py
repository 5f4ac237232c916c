#!/usr/bin/env python3
"""The robustness suite, on the latest lab's kernel: no user program, however hostile, may
panic or hang the kernel, leak its memory or reach into another process
(docs/syscalls.md, "What the kernel promises"). `make test` runs it on the reference.

- hostile: every system call with every class of bad argument, in a static musl program
  that also runs on this Linux machine: Sparrow must answer each call as Linux does (the
  expected lines are made here, by running the same binary), and give back every frame.
- fuzz: random system calls in forked children, several seeds, every frame back.
- one regression test per way a program once broke the kernel (user/hardening.c).
- exhaustion: the process table, memory, the file system and descriptors used up from the
  shell, which must still work afterwards, with every frame back.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Grader, init_end, same_as_linux  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = max(int(m.group(1)) for m in (re.match(r"lab(\d+)$", d) for d in
                                     os.listdir(os.path.join(HERE, "..", "labs"))) if m)
g = Grader(LAB)


KERNEL_TROUBLE = [r"kernel fault", r"kernel panic", r"kernel warning"]

# ---------------------------------------------------------------------------------------
# Every call, every class of bad argument: Linux's answers.
CALL_RE = re.compile(r"^[a-z_0-9]+\(.*\)( .*)? = (-1 [A-Z0-9?]+|-?\d+)$")


g.test("hostile: every system call with every class of bad argument answers as Linux does; "
       "every frame comes back", 20, cmdline='init="/bin/memcheck /bin/musl-hostile /hostile"',
       timeout=120, expect=[r"^musl-hostile: done$"] + init_end("memcheck"),
       verdicts=[r"^memcheck: /bin/musl-hostile ended with wait status 0; .*: OK$"],
       forbid=KERNEL_TROUBLE, check=same_as_linux("hostile", select=CALL_RE.pattern, min_lines=300))

# ---------------------------------------------------------------------------------------
# Random calls, several seeds: at least 100,000 calls in all.
SEEDS = ["0x5eed0001", "0x5eed0002", "0x5eed0003", "0x5eed0004"]
for seed in SEEDS:
    g.test("fuzz %s: 30,000 random system calls in forked children; every frame comes back"
           % seed, 5, cmdline='init="/bin/fuzzsys %s 30000"' % seed, timeout=180,
           verdicts=[r"^fuzzsys: the kernel survived 30000 random system calls$",
                     r"^fuzzsys: free frames \d+ before, \d+ after: OK$"],
           expect=init_end("fuzzsys"), forbid=KERNEL_TROUBLE)

# ---------------------------------------------------------------------------------------
# One regression test per way a program once broke the kernel.
HARDENING = [
    ("fd-high-bits", "int arguments use their low 32 bits: dup2(fd | 1 << 32, fd) keeps the "
                     "file open"),
    ("rflags", "RFLAGS.NT and AC set by a program never reach the kernel or other processes"),
    ("mmap-kernel-half", "mmap never maps into the kernel half; nothing leaks; exec still works"),
    ("tcgets", "TCGETS writes the kernel's 36-byte struct termios, not musl's 60 bytes"),
    ("long-calls", "a 48 MiB getrandom lets the clock go on; a 1 TiB mmap request returns at once"),
    ("int3", "int3, icebp and single steps are signals for the program, not the monitor"),
    ("nice-init", "nobody may lower a nice value; init ignores SIGKILL and SIGTERM"),
    ("mprotect-shared", "making a shared page writable copies it first: a child cannot patch "
                        "its parent's code"),
    ("mmap-leak", "mmap and munmap give back their memory and page tables; a huge mmap does "
                  "not break the next"),
    ("stack-copy", "system calls copy into stack pages not touched yet, stop at a bad page as "
                   "Linux does, and write without free memory"),
    ("rest", "brk stops at a mapping; 600 exec arguments; kernel time counted; x87 errors are "
             "SIGFPE"),
]
for item, what in HARDENING:
    g.test("hardening %s: %s" % (item, what), 5, cmdline='init="/bin/hardening %s"' % item,
           timeout=60, verdicts=[r"^hardening %s: all checks OK$" % item],
           expect=init_end("hardening"),
           forbid=KERNEL_TROUBLE + [r"^hardening %s: .*FAIL" % item])

g.test("hardening nmi: an NMI while a program runs is reported and the program goes on", 5,
       cmdline='init="/bin/hardening nmi"', timeout=60,
       monitor=[(r"send the NMI now", "nmi")],
       expect=[r"non-maskable interrupt received and ignored"] + init_end("hardening"),
       verdicts=[r"^hardening nmi: all checks OK$"], forbid=KERNEL_TROUBLE)

g.test("spurious-irq: a spurious IRQ 7 or 15 is ignored, not acknowledged", 5,
       cmdline="test=spurious-irq",
       expect=[r"^spurious-irq: 2 interrupts .*: 2 ignored as spurious$"])

# ---------------------------------------------------------------------------------------
# Exhaustion, from the shell.
EXHAUST = ["forkbomb", "brk", "mmap", "files", "pipes", "fds"]
for what in EXHAUST:
    g.test("exhaust %s: used up and given back; the shell still works" % what, 5,
           prompt="$ ", timeout=120,
           inputs=["memcheck /bin/exhaust %s" % what, "echo the shell still works", "exit"],
           verdicts=[r"^exhaust %s: all checks OK$" % what,
                     r"^memcheck: /bin/exhaust ended with wait status 0; .*: OK$"],
           expect=[r"^the shell still works$", r"^init: the shell exited$"],
           forbid=KERNEL_TROUBLE)

if __name__ == "__main__":
    sys.exit(g.main())
