#!/usr/bin/env python3
"""Lab 7 tests: threads. clone and what each flag shares, futex, thread groups that exit
together, signals in a group, fork and execve in a thread, vfork, posix_spawn and popen,
pthreads, and the kernel thread that reaps exited threads.

The programs are static musl binaries (user/musl/NAME.c): each runs on this Linux machine
too, and every "musl-NAME:" line must come out the same on Sparrow. memcheck runs each
twice and checks that every frame comes back, threads' kernel stacks included.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Grader, init_end, program, same_as_linux  # noqa: E402

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

if __name__ == "__main__":
    sys.exit(g.main())
