#!/usr/bin/env python3
"""Lab 6 tests: signals. Handlers and the signal frame, masks and pending signals, the
default actions, faults as signals, SIGPIPE, SIGCHLD, SIGALRM, interrupted system calls,
signals across fork and exec, process groups, ^C at the shell, and a musl program whose
output must be exactly what the same binary prints on Linux.

Each test program boots with init="/bin/PROG": init runs it, reaps it and every orphan,
prints "init: PROG exited with status S" and "init: no processes left" and powers off. The
programs print each check through verdict() (the line must carry this run's grading token,
see gradelib) and end with "PROG: all checks OK".
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Grader, Keys, init_end, oks, program, same_as_linux  # noqa: E402

g = Grader(6)

# The exercises (docs/lab6.md), each with the solution blocks a student writes.
DEFAULTS = g.exercise("the default actions", "kern/proc/signal.c:default_action")
DELIVERY = g.exercise("delivery on return to user mode", "kern/proc/signal.c:signal_deliver")
FRAME = g.exercise("the signal frame and rt_sigreturn", "kern/proc/signal.c:setup_frame",
                   "kern/proc/signal.c:signal_return")
FAULTS = g.exercise("faults to signals", "kern/proc/signal.c:fault_info")
JOBS = g.exercise("the shell's jobs and the console", "user/sh.c:job_start",
                  "user/sh.c:job_done")


# The programs wait for alarms, timers and sleeping children: with QEMU counting
# instructions (icount, 8 ns each) and the guest's clock jumping ahead whenever it idles,
# a second of alarm takes no second of grading, and no figure depends on the machine's load.
ICOUNT = 3


def lab6_test(title, points, name, exercise, checks, needs=(), timeout=60, expect=(),
              forbid=()):
    g.test(title, points, cmdline=program(name), timeout=timeout, icount=ICOUNT,
           verdicts=oks(name, *checks) + [r"^%s: all checks OK$" % name],
           expect=list(expect) + init_end(name),
           forbid=[r"^%s: .*FAIL" % name, r"^init: .*(killed by signal|wait failed|cannot)",
                   r"kernel (fault|panic|warning)"] + list(forbid),
           exercise=exercise, needs=needs)


lab6_test("sighandler: a handler runs before kill returns, with the right siginfo and masks; "
          "blocked signals wait and do not queue; SIG_IGN, sa_mask, SA_NODEFER, SA_RESETHAND",
          12, "sighandler", DELIVERY, needs=[FRAME], checks=[
              "kill(getpid(), SIGUSR1) returns 0 with the handler already run once",
              "the handler got sig 10 and a siginfo",
              "inside, the signal and sa_mask are blocked",
              "sigaction reads the handler",
              "raise (tgkill) runs it too",
              "blocked: kill does not run the handler",
              "sent 3 times while blocked, it runs once",
              "blocking everything blocks all but SIGKILL and SIGSTOP",
              "3 pending signals unblocked at once each run",
              "SIG_IGN: the signal is discarded",
              "setting SIG_IGN discards a blocked pending signal",
              "an ignored signal sent while blocked is kept pending",
              "a signal in sa_mask raised inside the handler waits",
              "SA_NODEFER lets the handler interrupt itself",
              "SA_RESETHAND: the handler runs once",
              "a signal sent to a child waiting in pause runs the child's handler"])

lab6_test("sigdefault: each default action: terminate, terminate with core, ignore; blocked "
          "signals kill when unblocked; SIGKILL cannot be caught, blocked or ignored",
          10, "sigdefault", DEFAULTS, checks=[
              "each of 14 signals that terminate kills a child in pause",
              "each of 10 signals that dump core kills with WTERMSIG the signal and WCOREDUMP",
              "SIGCHLD, SIGURG, SIGWINCH and SIGCONT leave a child in pause alone",
              "a blocked SIGTERM waits; unblocking it kills the process",
              "sigaction(SIGKILL) and sigaction(SIGSTOP) fail with EINVAL",
              "SIGKILL kills a child that blocks and ignores every signal"])

lab6_test("sigsegv: user-level paging (a SIGSEGV handler mprotects or maps the page and the "
          "access is retried); si_addr, si_code and the ucontext of SIGSEGV, SIGFPE, SIGILL, "
          "SIGTRAP (SIGBUS where the CPU checks alignment)", 12, "sigsegv", FAULTS,
          needs=[FRAME, DELIVERY], checks=[
              "user-level paging: writes to 16 PROT_NONE pages each fault once",
              "the handler got SIGSEGV with si_code SEGV_ACCERR",
              "its ucontext: rip the faulting instruction, cr2 the address",
              "a write where nothing is mapped: SEGV_MAPERR",
              "a division by zero: the SIGFPE handler (FPE_INTDIV",
              "ud2: SIGILL with ILL_ILLOPN",
              "int3: SIGTRAP with SI_KERNEL",
              "hlt in user mode: a general-protection fault",
              "a fault inside the SIGSEGV handler",
              "a division by zero with every signal blocked still kills"],
          expect=[r"^\[pid \d+ sigsegv\] user fault: page fault at 0x20 \(write, not present\), "
                  r"rip 0x[0-9a-f]+$"])

lab6_test("sigframe: the frame at a handler's entry (ABI alignment, restorer, ucontext, "
          "siginfo, clean FPU); every register and the FPU state survive a clobbering handler, "
          "after a fault and after a timer interrupt; forged rt_sigreturn frames kill only "
          "the forger", 14, "sigframe", FRAME, needs=[DELIVERY], checks=[
              "at the handler's entry rsp + 8 is a multiple of 16",
              "the return address on the stack is the restorer",
              "the ucontext is right above the return address",
              "the FPU state is 16-byte aligned",
              "the frame's FPU state is the interrupted code's",
              "the handler starts with a clean FPU",
              "uc_stack says SS_DISABLE",
              "after a SIGILL handler that overwrote every general register, each is back",
              "and each of xmm0-xmm15",
              "and MXCSR",
              "and the flags: DF set, CF clear",
              "a loop checking every register while 20 timer signals",
              "a hand-made frame is accepted",
              "a forged frame with the kernel's code selector kills",
              "a forged frame with the kernel's code selector with RPL 3 kills",
              "a forged frame with the kernel's stack selector kills",
              "a forged frame with a non-canonical rip kills",
              "a forged frame with rip 0x8000000000000000 kills",
              "a forged frame with a kernel rip kills",
              "a forged frame with an fpstate pointer into the kernel kills",
              "a forged frame with no frame at all",
              "a frame asking for IOPL 3, NT, VM and no IF",
              "a frame whose MXCSR sets reserved bits"])

lab6_test("sigaltstack: a stack overflow is handled on the alternate stack; without one it "
          "kills; SS_ONSTACK, EPERM, ENOMEM, EINVAL, SS_AUTODISARM", 8, "sigaltstack", FRAME,
          needs=[DELIVERY, FAULTS], checks=[
              "disabled: ss_flags SS_DISABLE",
              "a stack smaller than MINSIGSTKSZ fails with ENOMEM",
              "SS_AUTODISARM: inside a handler on the stack it is disarmed",
              "a SA_ONSTACK handler of a plain signal runs on the stack too",
              "a handler without SA_ONSTACK runs on the normal stack",
              "unbounded recursion overflows the 8 MiB stack",
              "si_addr is next to the interrupted stack pointer",
              "inside, sigaltstack says SS_ONSTACK",
              "back on the normal stack it is armed again",
              "without an alternate stack, the handler has no room"])

lab6_test("sigpipe: a write without readers sends SIGPIPE: it kills by default (a blocked "
          "writer too), a handler runs, ignored or blocked the write fails with EPIPE",
          6, "sigpipe", DELIVERY, needs=[FRAME], checks=[
              "by default, a write without readers kills the writer with SIGPIPE",
              "with SIGPIPE ignored, the write fails with EPIPE",
              "with a handler, it runs once",
              "blocked, the write fails with EPIPE and SIGPIPE stays pending",
              "and it runs the handler when unblocked",
              "a writer blocked on a full pipe is killed with SIGPIPE"])

lab6_test("sigchld: SIGCHLD with the child's pid, CLD_EXITED/KILLED/DUMPED, status and times; "
          "ignored by default; SIG_IGN and SA_NOCLDWAIT leave no zombies", 8, "sigchld",
          DELIVERY, needs=[FRAME, DEFAULTS], checks=[
              "a child's exit(3): SIGCHLD with CLD_EXITED",
              "a child killed by SIGTERM: CLD_KILLED",
              "a child killed by its own fault: CLD_DUMPED",
              "a child that spun for 5 ticks in user mode: CLD_EXITED, si_utime counts them",
              "by default SIGCHLD is ignored",
              "with SIGCHLD set to SIG_IGN, a child leaves no zombie",
              "SA_NOCLDWAIT does the same"])

lab6_test("sigalarm: alarm and setitimer wake pause and sigsuspend; getitimer counts down; an "
          "interrupted nanosleep reports EINTR and the time left; SIGALRM kills by default",
          8, "sigalarm", DELIVERY, needs=[FRAME], checks=[
              "alarm(5) returns 0; alarm(1) then returns 5",
              "pause returns -1 EINTR once the alarm's handler has run",
              "the alarm is gone once it has fired",
              "alarm(0) cancels a pending alarm",
              "getitimer: the interval as set",
              "a 100 ms timer repeating every 50 ms wakes sigsuspend 4 times",
              "setitimer returns the old timer",
              "and disarms it",
              "nanosleep(3 s) interrupted after 0.2 s by a handler",
              "by default SIGALRM kills",
              "a child does not inherit its parent's alarm"])

lab6_test("sigrestart: a handler without SA_RESTART makes pipe reads and writes and wait4 fail "
          "with EINTR; with SA_RESTART they go on; nanosleep and pause never restart",
          8, "sigrestart", DELIVERY, needs=[FRAME], checks=[
              "a read on an empty pipe, interrupted by a handler without SA_RESTART",
              "with SA_RESTART the read goes on waiting",
              "a write to a full pipe, interrupted without SA_RESTART",
              "with SA_RESTART it waits on",
              "a 12 KiB write that filled the pipe and is interrupted returns the bytes moved",
              "wait4 interrupted without SA_RESTART fails with EINTR",
              "with SA_RESTART wait4 waits on",
              "nanosleep fails with EINTR even when the handler has SA_RESTART",
              "so does pause",
              "SIGWINCH and SIGCHLD, ignored by default, do not interrupt a read"])

lab6_test("sigexec: a child inherits handlers, ignored signals, the mask and the alternate "
          "stack, not pending signals; execve resets handlers, keeps ignored signals, the mask, "
          "pending signals and the alarm", 6, "sigexec", DELIVERY, needs=[FRAME], checks=[
              "a forked child inherits the handler",
              "and the mask",
              "but not the parent's pending SIGTERM",
              "and the alternate stack",
              "after execve a handled signal is back to SIG_DFL",
              "an ignored one is still ignored",
              "and a default one stays default",
              "the mask is kept",
              "a pending signal is still pending",
              "the alternate stack is gone",
              "the alarm still runs",
              "the new image, unblocking the SIGHUP pending since before execve, dies"])

lab6_test("pgroups: setpgid, getpgid, setsid, getsid and their errors; kill(-pgid), kill(0), "
          "kill(-1); waitpid by group; the console's foreground group", 8, "pgroups", None,
          checks=[
              "getpgid(0), getpgid(getpid()) and getpgrp() agree",
              "a session and a group from init",
              "setpgid(0, 0) makes a new group led by the caller",
              "a group leader cannot setsid: EPERM",
              "setpgid with a negative group: EINVAL",
              "setpgid of a process that is not a child: ESRCH",
              "a child leads its own group, a second joins it",
              "kill(-pgid, SIGTERM) ends both members of the group and not the third",
              "once they are gone, kill(-pgid) fails with ESRCH",
              "kill(0, SIGUSR2) reaches the caller's group",
              "waitpid(-pgid) reaps a child of that group",
              "a child's setsid makes it the leader of a new session and group",
              "from there it cannot join a group of another session: EPERM",
              "setpgid of a child that has called execve fails with EACCES",
              "kill(-1) reaches every process but init and the caller",
              "TIOCSPGRP makes the caller's group the console's foreground group",
              "a group that does not exist: ESRCH; a pipe is no terminal: ENOTTY"])

# ---------------------------------------------------------------------------------------
# The shell: ^C and ^\ at the console go to the foreground job only.

CTRL_C, CTRL_BACKSLASH = "\x03", "\x1c"
PS_LINE = r"^.\s*\d+\s+\d+\s+[A-Z]+\s+-?\d+ %s$"  # a line of ps: PID PPID STATE PRI NAME
g.test("shell ^C: ^C at a running `sleep 100` kills it and the prompt comes back; ^\\ kills "
       "with SIGQUIT; ^C ends a whole pipeline; a background job and the shell live on; ^C at "
       "the prompt drops the line typed", 10,
       prompt="$ ", timeout=90,
       inputs=["sleep 100 &",
               "sleep 100",
               Keys(CTRL_C, after=r"sleep 100\r?\n", until=r"\$ "),
               "echo status $?",
               "sleep 100",
               Keys(CTRL_BACKSLASH, after=r"sleep 100\r?\n", until=r"\$ "),
               "echo status $?",
               "cat | cat | cat",
               Keys(CTRL_C, after=r"cat \| cat \| cat\r?\n", until=r"\$ "),
               "echo status $?",
               "ps",
               "echo the shell survived",
               Keys("ech", after=r"\nthe shell survived\r?\n\$ $"),
               Keys(CTRL_C, after=r"ech$", until=r"\$ "),
               "exit"],
       expect=[r"^status 130$", r"^status 131$", r"^status 130$", PS_LINE % "sleep",
               r"^the shell survived$", r"^init: the shell exited$"],
       forbid=[r"kernel (fault|panic|warning)", PS_LINE % "cat"],
       exercise=JOBS, needs=[DELIVERY, FRAME])

# ---------------------------------------------------------------------------------------
# musl: the same binary on Linux and on Sparrow.

g.test("musl-signal: a static musl program using signal(), sigaction(), masks, sigsetjmp, "
       "alarm, setitimer, SIGCHLD, SIGPIPE, sigaltstack and process groups prints what it "
       "prints on Linux", 10, cmdline=program("musl-signal"), timeout=60, icount=ICOUNT,
       expect=[r"^musl-signal: done$"] + init_end("musl-signal"),
       forbid=[r"kernel (fault|panic|warning)", r"^init: .*(killed by signal|cannot)"],
       check=same_as_linux("signal", scratch=False, min_lines=40), exercise=DELIVERY,
       needs=[FRAME, FAULTS])

if __name__ == "__main__":
    sys.exit(g.main())
