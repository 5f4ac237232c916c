#!/usr/bin/env python3
"""Lab 7 tests: threads, shared mappings and layout randomization.

Threads: clone and what each flag shares, futex, thread groups that exit together, signals
in a group, fork and execve in a thread, vfork, posix_spawn and popen, pthreads, and the
kernel thread that reaps exited threads. These programs are static musl binaries
(user/musl/NAME.c): each runs on this Linux machine too, and every "musl-NAME:" line must
come out the same on Sparrow. memcheck runs each and checks that every frame comes back,
threads' kernel stacks included.

Memory: each test boots with init="/bin/PROG ARGS": init runs it, reaps it and every orphan,
prints "init: PROG exited with status S" and "init: no processes left" and powers off. The
programs print each check through verdict() (the line must carry this run's grading token,
see gradelib) and end with "PROG: all checks OK"; musl-sharedmap's lines must be exactly
what the same binary prints on Linux.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Grader, init_end, oks, program, same_as_linux  # noqa: E402

g = Grader(7)


# ---------------------------------------------------------------------------------------
# Threads

# The exercises (docs/lab7.md, "Threads"), each with the solution blocks a student writes.
CLONE = g.exercise("clone: what a new task shares", "kern/sys/clone.c:clone_share")
FUTEX = g.exercise("futex wait and wake", "kern/sys/futex.c:futex_wait",
                   "kern/sys/futex.c:futex_wake")
GROUP = g.exercise("a thread group ends together", "kern/proc/thread.c:thread_group_kill")
KTHREAD = g.exercise("the kernel thread", "kern/proc/kthread.c:kthread_create")


def musl_test(prog, title, points, exercise, needs=(), timeout=90):
    name = "musl-" + prog
    g.test("%s: %s" % (name, title), points,
           cmdline='init="/bin/memcheck /bin/%s /scratch"' % name, timeout=timeout,
           expect=[r"^%s: done$" % name] + init_end("memcheck"),
           verdicts=[r"^memcheck: /bin/%s ended with wait status 0; .*: OK$" % name],
           forbid=[r"user fault", r"kernel (fault|panic|warning)",
                   r"^init: .*(killed by signal|wait failed|cannot)"],
           check=same_as_linux(prog, min_lines=5), exercise=exercise, needs=needs)


musl_test("clonetest", "each clone flag's sharing seen from both sides (VM, FILES, FS, "
          "SIGHAND, THREAD, SETTLS, the tid words, PARENT, the exit signal) and the flag "
          "combinations Linux refuses", 10, CLONE, needs=[FUTEX, GROUP])
musl_test("futextest", "FUTEX_WAIT's EAGAIN, timeout, EINTR and bad arguments, FUTEX_WAKE "
          "wakes exactly n, the private flag, set_tid_address", 10, FUTEX,
          needs=[CLONE, GROUP])
musl_test("threads", "pthreads: create and join, a mutex counter exact, a condition "
          "variable's handoffs, __thread values per thread, a hundred threads in turn", 10,
          CLONE, needs=[FUTEX, GROUP, KTHREAD])
musl_test("threadexit", "exit in a thread ends the group with its status, the last thread's "
          "exit ends it, a fatal signal ends all, execve from a thread; kill, tgkill and a "
          "fault's signal reach the right thread", 10, GROUP, needs=[CLONE, FUTEX])
musl_test("forkthread", "fork in a thread copies only the caller", 5, CLONE,
          needs=[FUTEX, GROUP])
musl_test("vforktest", "vfork and clone(CLONE_VM|CLONE_VFORK): the parent waits until the "
          "child exits or execs", 5, CLONE, needs=[FUTEX, GROUP])
musl_test("spawntest", "posix_spawn with file actions and popen (clone with CLONE_VM and "
          "CLONE_VFORK)", 5, CLONE, needs=[FUTEX, GROUP])

# The kernel thread: a task with no user half that ps lists, which frees the kernel stacks
# of exited threads (musl-threads' hundred threads in turn need it: see memcheck above).
PS_KTHREAD = r"^.\s*\d+\s+0\s+[A-Z]+\s+-?\d+ \[reaper\]$"
g.test("ps: the kernel thread [reaper] is listed, with no parent", 4,
       cmdline=program("ps"), timeout=30,
       expect=[PS_KTHREAD] + init_end("ps"),
       forbid=[r"kernel (fault|panic|warning)"], exercise=KTHREAD,
       needs=[CLONE])  # init forks: clone


# ---------------------------------------------------------------------------------------
# Memory: shared mappings and layout randomization

# The exercises (docs/lab7.md), each with the solution blocks a student writes.
SHARED = g.exercise("shared mappings", "kern/mm/shared.c:shared_fault",
                    "kern/mm/shared.c:shared_fork")
ASLR = g.exercise("randomized layout", "kern/proc/aslr.c:aslr_layout")


FORBID = [r"^init: .*(killed by signal|wait failed|cannot)", r"kernel (fault|panic|warning)"]


def lab7_test(title, points, name, args, exercise, checks, cmdline="", prefix=None,
              needs=(CLONE,), timeout=60):
    """A test of program NAME, run with ARGS; its verdict lines start with PREFIX (NAME)."""
    prefix = prefix or name
    g.test(title, points, cmdline=(program(name, args) + " " + cmdline).strip(),
           timeout=timeout,
           verdicts=oks(prefix, *checks) + [r"^%s: all checks OK$" % prefix],
           expect=init_end(name), forbid=[r"^%s: .*FAIL" % prefix] + FORBID,
           exercise=exercise, needs=needs)


SHAREDMEM_CHECKS = [
    "mmap of 4 pages MAP_SHARED|MAP_ANONYMOUS succeeds",
    "a child sees what the parent wrote before fork",
    "the parent sees the child's writes, in a touched and an untouched page",
    "8 children add to one counter: 36",
    "a write after the fork reaches the running child",
    "munmap of one page leaves the others",
    "mprotect(PROT_READ) forbids writes",
    "mprotect(PROT_READ|PROT_WRITE) allows them again",
    "and the page is still shared with children",
    "mmap MAP_SHARED of a 3000-byte file succeeds",
    "it shows the file, zeros after",
    "a write through the mapping reaches read()",
    "a pwrite() is seen through the mapping",
    "a child's write through the mapping reaches the file",
    "a page past the end of the file is SIGBUS",
    "once the file grows the page is there, and shared",
    "a MAP_PRIVATE mapping shows the file",
    "its writes reach neither the file nor the shared mapping",
    "PROT_READ MAP_SHARED of an O_RDONLY file",
    "a write to it is SIGSEGV",
    "mprotect(PROT_WRITE) of it fails with EACCES",
    "PROT_WRITE MAP_SHARED of an O_RDONLY file fails with EACCES",
    "the mapping outlives the file's name and descriptor",
]

lab7_test("sharedmem: MAP_SHARED|MAP_ANONYMOUS memory is shared across fork, through munmap "
          "and mprotect; MAP_SHARED of a file is the file (write() and read() agree with "
          "the mapping, SIGBUS past its end), MAP_PRIVATE a copy; no frame leaks",
          15, "sharedmem", "", SHARED,
          checks=SHAREDMEM_CHECKS + ["every frame comes back"])

g.test("musl-sharedmap: a static musl program, compared with Linux: shared anonymous and file "
       "mappings across fork, SIGBUS past the end, mmap's and mprotect's errors", 5,
       cmdline='init="/bin/memcheck /bin/musl-sharedmap /scratch"', timeout=60,
       expect=[r"^musl-sharedmap: done$"] + init_end("memcheck"),
       verdicts=[r"^memcheck: /bin/musl-sharedmap ended with wait status 0; .*: OK$"],
       forbid=[r"user fault"] + FORBID,
       check=same_as_linux("sharedmap", ""), exercise=SHARED, needs=[CLONE])

lab7_test("aslr: each execve moves the stack, the mmap area and the heap by a random number "
          "of pages, within inc/memlayout.h's ranges",
          10, "aslr", "on", ASLR, checks=[
              "3 runs of 'aslr report' each reported their layout",
              "the stack moves by whole pages",
              "the mmap area moves by whole pages",
              "the heap's start moves by whole pages",
              "the stack stays within ASLR_STACK_RANGE of USTACK_TOP",
              "mmap stays within ASLR_STACK_RANGE + ASLR_MMAP_RANGE of MMAP_TOP",
              "the heap starts within ASLR_HEAP_RANGE after the program"])

lab7_test("aslr-off: with the kernel option aslr=0 the layout is the fixed one of "
          "inc/memlayout.h at every execve",
          5, "aslr", "off", None, cmdline="aslr=0", prefix="aslr-off", checks=[
              "3 runs of 'aslr report' each reported their layout",
              "the stack is at USTACK_TOP each time",
              "mmap starts at MMAP_TOP each time",
              "the heap starts right after the program each time"])

if __name__ == "__main__":
    sys.exit(g.main())
