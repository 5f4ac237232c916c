#!/usr/bin/env python3
"""Lab 4 tests: preemptive multitasking. The timer and the context switch, the scheduler
with priorities, fork with copy-on-write, exit/wait4/kill, sleeping, zombies and orphans.

Each test boots with init="/bin/PROG": the kernel starts /bin/init as pid 1 and PROG as
pid 2, its child. PROG prints its checks through verdict() (each line must carry this run's
grading token, see gradelib) and ends with "PROG: all checks OK"; init reaps PROG and every
orphan, says "init: no processes left" and exits, and the grader types `poweroff` at the
monitor prompt that follows. Lines printed by several processes at once can come in any
order: those are checked with any_order() rather than in sequence.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gradelib  # noqa: E402
from gradelib import Fail, Grader, program  # noqa: E402

g = Grader(4)

# The exercises (docs/lab4.md), each with the solution blocks a student writes.
g.exercise("the scheduler's pick", "kern/sched/sched.c:sched_pick", foundation=True)
g.exercise("the context switch", "kern/sched/sched.c:switch_to", foundation=True)
g.exercise("fork's copy-on-write address space", "kern/mm/cow.c:vm_cow_copy", foundation=True)
g.exercise("the copy-on-write fault", "kern/mm/cow.c:vm_cow_break")
g.exercise("exit and wait", "kern/sys/exit.c:exit_release", "kern/sys/exit.c:sys_wait4",
           foundation=True)

OK = r": OK$"
NUM = r"\d+"


def init_end(name, status=0):
    """init's last lines once the program has ended with status and every child is gone
    (in lab 4, init then exits too)."""
    return gradelib.init_end(name, status) + [r"^\[pid 1\] init exited with status 0$"]


def any_order(*patterns):
    """A check: each pattern matches some verdict line (one with a valid tag), in any order.
    For lines that concurrent processes print."""
    rxs = [re.compile(p) for p in patterns]

    def check(out):
        lines = out.verdicts()
        for rx in rxs:
            if not any(rx.search(l) for l in lines):
                raise Fail("expected verdict line missing (in any order): /%s/" % rx.pattern)
    return check


ICOUNT = 3  # 8 ns per instruction: a 125 MHz machine, about as fast as TCG runs one


def lab4_test(title, points, name, exercise, verdicts=(), expect=(), check=None, mem=None,
              timeout=30):
    # Most of these programs measure time in timer ticks; with QEMU counting instructions
    # (icount) their figures do not depend on how busy the grading machine is.
    g.test(title, points, cmdline=program(name), inputs=["poweroff"], timeout=timeout, mem=mem,
           icount=ICOUNT, verdicts=list(verdicts) + [r"^%s: all checks OK$" % name],
           expect=list(expect) + init_end(name),
           forbid=[r"^%s: .*FAIL" % name, r"^init: .*(killed by signal|wait failed)"],
           check=check, exercise=exercise)


# ---------------------------------------------------------------------------------------
# The context switch: preemption, killing, per-process FPU state.

lab4_test("spin: the timer preempts a spinning child; kill ends it, and wakes a sleeper to die",
          10, "spin", "the context switch",
          verdicts=[r"^spin: child pid \d+ is spinning$",
                    r"^spin: the parent slept \d+ ticks .* while its child spun" + OK,
                    r"^spin: kill\(pid \d+, 0\): the spinning child exists" + OK,
                    r"^spin: kill\(pid \d+, SIGKILL\) succeeds" + OK,
                    r"^spin: the spinning child was killed by SIGKILL .*" + OK,
                    r"^spin: kill\(reaped pid, 0\) fails with ESRCH .*" + OK,
                    r"^spin: kill\(pid \d+, SIGTERM\) succeeds" + OK,
                    r"^spin: the sleeping child was killed by SIGTERM .*" + OK,
                    r"^spin: it died \d+ ticks after the kill .*" + OK])

FPU_WORKERS = range(4)
lab4_test("fputest: every process keeps its own x87 and SSE registers across switches", 8,
          "fputest", "the context switch",
          verdicts=[r"^fputest: the program starts with the default fcw 0x37f and mxcsr 0x1f80.*" + OK,
                    r"^fputest: a child inherits its parent's fcw and mxcsr .*" + OK,
                    r"^fputest: 4 of 4 workers passed" + OK,
                    r"^fputest: the parent's own FPU state survived its children" + OK],
          check=any_order(*[r"^fputest: worker %d: %s" % (w, what) for w in FPU_WORKERS for what in (
              r"\d+ rounds in \d+ user ticks, 0 wrong" + OK,
              r"xmm0-15 and st0-7 kept their values across sleeps" + OK,
              r"its control words stayed .*" + OK)]))

# ---------------------------------------------------------------------------------------
# The scheduler: round robin, priorities, sleeping.

lab4_test("stresssched: processes of equal priority share the CPU round-robin", 10,
          "stresssched", "the scheduler's pick",
          verdicts=[r"^stresssched: 10 sched_yield\(\) calls beside a spinning child took \d+ ticks.*" + OK,
                    r"^stresssched: 8 of 8 children used 25 ticks of user time" + OK,
                    r"^stresssched: they finished within \d+ ticks of each other .*" + OK,
                    r"^stresssched: the children's user time adds up to \d+ ticks in tms_cutime.*" + OK])

lab4_test("priority: a process with a lower nice value always runs first", 10, "priority",
          "the scheduler's pick",
          verdicts=[r"^priority: a program starts at nice 0 .*" + OK,
                    r"^priority: setpriority\(-100\) fails with EACCES .*" + OK,
                    r"^priority: setpriority\(own pid, 100\) is clamped to 19 .*" + OK,
                    r"^priority: getpriority\(no such pid\) fails with ESRCH .*" + OK,
                    r"^priority: raising one's own nice value to 2 works .*" + OK,
                    r"^priority: lowering it back to 0 fails with EACCES .*" + OK,
                    r"^priority: a child inherits its parent's nice value 2 .*" + OK,
                    r"^priority: the spinners have nice 5 and 15" + OK,
                    r"^priority: the parent \(nice 2\) woke \d+ ticks after its sleep ended.*" + OK,
                    r"^priority: the spinners used \d+ \+ \d+ user ticks .*" + OK,
                    r"^priority: nice 5 got \d+% of the CPU, nice 15 the rest .*" + OK])

SLEEPS = [(0, 10000000), (0, 50000000), (0, 200000000), (1, 0), (0, 1), (0, 0)]
lab4_test("sleeptest: nanosleep sleeps at least as long as asked, without using the CPU", 7,
          "sleeptest", "the scheduler's pick",
          verdicts=[r"^sleeptest: clock_gettime\(CLOCK_MONOTONIC\) gives a valid time .*" + OK,
                    r"^sleeptest: clock_gettime\(CLOCK_REALTIME\) works" + OK,
                    r"^sleeptest: clock_gettime\(99\) fails with errno 22 .*" + OK,
                    r"^sleeptest: clock_gettime\(CLOCK_MONOTONIC, NULL\) fails with errno 14 .*" + OK]
          + [r"^sleeptest: nanosleep\(%d s %d ns\) took \d+ ticks .*" % s + OK for s in SLEEPS]
          + [r"^sleeptest: a 20-tick sleep used \d+ ticks of CPU time .*" + OK]
          + [r"^sleeptest: nanosleep\(%s\) fails with errno %d .*" % (what, e) + OK for what, e in [
              (r"tv_nsec 1000000000", 22), (r"tv_nsec -1", 22), (r"tv_sec -1", 22),
              (r"NULL", 14), (r"0x1", 14), (r"kernel address", 14)]])

# ---------------------------------------------------------------------------------------
# fork and copy-on-write.


def check_forktree(out):
    nodes = {}
    for l in out.verdicts():
        m = re.match(r"^forktree: '([01]*)' pid (\d+) parent (\d+)$", l)
        if m:
            if m.group(1) in nodes:
                raise Fail("process '%s' of the tree printed twice" % m.group(1))
            nodes[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    want = [""] + ["{:0{}b}".format(i, n) for n in (1, 2, 3) for i in range(1 << n)]
    missing = [b for b in want if b not in nodes]
    if missing or len(nodes) != len(want):
        raise Fail("expected the 15 processes '', '0', '1', '00' ... '111' to report; missing: %s"
                   % ", ".join("'%s'" % b for b in missing))
    pids = [pid for pid, _ in nodes.values()]
    if len(set(pids)) != len(pids):
        raise Fail("two processes of the tree have the same pid: %s" % sorted(pids))
    for b, (pid, ppid) in nodes.items():
        want_ppid = nodes[b[:-1]][0] if b else 1
        if ppid != want_ppid:
            raise Fail("process '%s' (pid %d) reports parent %d, but its parent is pid %d"
                       % (b, pid, ppid, want_ppid))


lab4_test("forktree: 15 processes in a tree of forks, each reaped by its own parent", 7,
          "forktree", "fork's copy-on-write address space",
          verdicts=[r"^forktree: 15 of 15 processes ran and were reaped" + OK],
          check=check_forktree)

lab4_test("forkbomb: fork fails with EAGAIN when the table is full; nothing leaks", 7,
          "forkbomb", "fork's copy-on-write address space",
          verdicts=[r"^forkbomb: fork failed after \d+ children .*" + OK,
                    r"^forkbomb: the failing fork set errno 11 .*" + OK,
                    r"^forkbomb: sysinfo counted \d+ processes with the table full .*" + OK,
                    r"^forkbomb: all \d+ children reaped .*" + OK,
                    r"^forkbomb: processes back to \d+ .*" + OK,
                    r"^forkbomb: free frames back to \d+ .*" + OK,
                    r"^forkbomb: fork works again .*" + OK])

# ---------------------------------------------------------------------------------------
# Copy-on-write faults, from user mode and from the kernel's user copies.

lab4_test("cowtest: fork of more memory than is free; each process sees only its own writes; "
          "no frame leaks", 10, "cowtest", "the copy-on-write fault", mem=128,
          verdicts=[r"^cowtest: the parent filled \d+ pages, more than the \d+ free .*" + OK,
                    r"^cowtest: the parent sees only its own writes .*" + OK,
                    r"^cowtest: the child exited with status 0 .*" + OK,
                    r"^cowtest: with three sharers the parent sees only its own writes .*" + OK,
                    r"^cowtest: child A exited with status 0 .*" + OK,
                    r"^cowtest: child B exited with status 0 .*" + OK,
                    r"^cowtest: free frames: \d+ before the first fork, \d+ after every child exited" + OK],
          check=any_order(r"^cowtest: the fork used \d+ frames .*" + OK,
                          r"^cowtest: the child sees only its own writes .*" + OK,
                          r"^cowtest: child A sees only its own writes .*" + OK,
                          r"^cowtest: child B sees only its own writes .*" + OK,
                          r"^cowtest: grandchild C sees only its own writes .*" + OK,
                          r"^cowtest: grandchild C exited with status 0 .*" + OK))

COPYOUTS = [r"clock_gettime into a shared page", r"times into a shared page",
            r"sysinfo into a shared page", r"wait4's status into a shared page",
            r"clock_gettime across two shared pages"]
lab4_test("cowcopyout: system calls that write into copy-on-write pages copy them first", 8,
          "cowcopyout", "the copy-on-write fault",
          verdicts=[r"^cowcopyout: child: %s .*" % c + OK for c in COPYOUTS]
          + [r"^cowcopyout: child: clock_gettime into program text fails with EFAULT .*" + OK,
             r"^cowcopyout: the child exited with status 0 .*" + OK,
             r"^cowcopyout: parent: its pages are unchanged after the child's system calls .*" + OK]
          + [r"^cowcopyout: parent: %s .*" % c + OK for c in COPYOUTS]
          + [r"^cowcopyout: the second child exited with status 0 .*" + OK,
             r"^cowcopyout: parent: clock_gettime into a page it no longer shares .*" + OK],
          check=any_order(r"^cowcopyout: child: its pages are unchanged after the parent's "
                          r"system calls .*" + OK))

# ---------------------------------------------------------------------------------------
# exit, wait4 and kill; zombies and orphans.

WAITTEST = [
    r"wait\(\) without children fails with errno 10", r"waitpid\(-1, WNOHANG\) without children fails with errno 10",
    r"waitpid\(1, WNOHANG\), not a child fails with errno 10", r"WNOHANG while the child runs returns 0",
    r"waitpid\(pid that is not a child\) fails with errno 10",
    r"a blocking waitpid then returns it with exit status 3",
    r"WNOHANG after the child exited returns it with status 4",
    r"waitpid\(the middle one of 3\) returns it, status 11",
    r"wait\(\) then returns the other two with their statuses",
    r"wait\(\) after all were reaped fails with errno 10"] + [
    r"exit\(%d\): WIFEXITED, WEXITSTATUS %d" % c for c in [(0, 0), (1, 1), (42, 42), (255, 255),
                                                          (263, 7), (-1, 255)]] + [
    r"a sleeping child killed with signal 9: WIFSIGNALED, WTERMSIG 9",
    r"a spinning child killed with signal 15: WIFSIGNALED, WTERMSIG 15",
    r"a sleeping child killed with signal 10: WIFSIGNALED, WTERMSIG 10",
    r"a child blocked in wait\(\) killed with signal 9: WIFSIGNALED, WTERMSIG 9",
    r"SIGCHLD, SIGCONT, SIGURG, SIGWINCH do not kill or wake a child",
    r"kill\(no such pid, SIGTERM\) fails with errno 3",
    r"waitpid with a NULL status pointer works",
    r"waitpid with unknown options 0x1000 fails with errno 22",
    r"wait4 with status pointer 0x1 fails with errno 14",
    r"then the child is reaped"]
lab4_test("waittest: wait4 with WNOHANG, a given pid or any; ECHILD; exit and signal statuses", 10,
          "waittest", "exit and wait",
          verdicts=[r"^waittest: %s.*" % w + OK for w in WAITTEST])


def check_orphans(out):
    sleeper = out.grep(r"^orphans: grandchild pid (\d+) sleeps, parent \d+$")
    zombie = out.grep(r"^orphans: grandchild pid (\d+) exits at once with status 9$")
    if not sleeper or not zombie:
        raise Fail("both grandchildren should report their pids")
    s, z = sleeper[0].group(1), zombie[0].group(1)
    if not any(l == "orphans: grandchild pid %s now has parent 1 (init is 1): OK" % s
               for l in out.verdicts()):
        raise Fail("the sleeping grandchild (pid %s) should find init (pid 1) as its parent"
                   % s)
    reaped = [m.group(1) for m in out.grep(r"^init: reaped orphan pid (\d+),")]
    for pid, status, what in ((s, 7, "sleeping"), (z, 9, "zombie")):
        if pid not in reaped:
            raise Fail("init should reap the %s orphan, pid %s ('init: reaped orphan pid %s, "
                       "exited with status %d'); it reaped %s" % (what, pid, pid, status,
                                                                  reaped or "none"))
        if not out.grep(r"^init: reaped orphan pid %s, exited with status %d$" % (pid, status)):
            raise Fail("the %s orphan, pid %s, should have exit status %d" % (what, pid, status))
    if len(reaped) != 2:
        raise Fail("init should reap exactly two orphans, not %d (%s)" % (len(reaped), reaped))
    # The zombie is handed to init while init sleeps in wait4: init must be woken then, not
    # only when its next child happens to exit (after the program's last line).
    zline = out.lines.index("init: reaped orphan pid %s, exited with status 9" % z)
    if zline > out.lines.index("orphans: all checks OK"):
        raise Fail("init reaped the zombie orphan (pid %s) only after the program ended: "
                   "a process that gets a zombie child must be woken to collect it" % z)


lab4_test("orphans: init adopts and reaps orphans, a zombie one included", 8, "orphans",
          "exit and wait",
          verdicts=[r"^orphans: child pid \d+ exited with status 0 .*" + OK,
                    r"^orphans: the grandchildren are not ours: wait\(\) fails with ECHILD .*" + OK],
          check=check_orphans)

FAULTS = [("reads address 0", 11, r"page fault at 0x0 \(read, not present\)"),
          ("writes to its code", 11, r"page fault at 0x[0-9a-f]+ \(write, protection violation\)"),
          ("divides by zero", 8, r"divide error"),
          ("executes ud2", 4, r"invalid opcode"),
          ("executes hlt", 11, r"general protection fault, error 0x0")]
lab4_test("faultstatus: a fault kills only the faulting child, with the fault's signal", 5,
          "faultstatus", "exit and wait",
          expect=[r"^\[pid \d+ faultstatus\] user fault: %s, rip 0x[0-9a-f]+$" % f for _, _, f in FAULTS],
          verdicts=[r"^faultstatus: a child that %s is killed by signal %d .*" % (w, s) + OK
                    for w, s, _ in FAULTS])

# ---------------------------------------------------------------------------------------
# The memory viewer (kern/monitor/memview.c): a given tool, not an exercise. Its text view is
# read at two stops of cowview's child (int3 with onbreak=monitor).

ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
MEMVIEW_ROW_RE = re.compile(r"^\s+([0-9a-f]{16}) ([.*a-z]+)$")


def memview_outputs(out):
    """{command: [output lines, ...]} of each `memview ...` typed at the monitor, in order,
    colors removed: the lines between the command's echo and the next prompt."""
    found, current = {}, None
    for line in out.lines:
        line = ANSI_RE.sub("", line)
        if line.startswith("K> "):
            cmd = line[3:].strip()
            current = found.setdefault(cmd, []) if cmd.startswith("memview") else None
            if current is not None:
                current.append([])
        elif current is not None:
            current[-1].append(line)
    return found


def page_cells(lines):
    """{page address: cell character} of a process's map (`memview PID`)."""
    cells = {}
    for line in lines:
        m = MEMVIEW_ROW_RE.match(line)
        if m:
            base = int(m.group(1), 16)
            for i, c in enumerate(m.group(2)):
                cells[base + i * 4096] = c
    return cells


def letter(pid):
    return chr(ord("a") + (pid - 1) % 26)


def check_cowview(out):
    m = out.grep(r"^cowview: child pid (\d+), parent pid (\d+): (\d+) pages at 0x([0-9a-f]+), "
                 r"the child writes 0x([0-9a-f]+)$")
    if not m:
        raise Fail("cowview's child did not say where its pages are")
    child, parent, npages = int(m[0].group(1)), int(m[0].group(2)), int(m[0].group(3))
    base, written = int(m[0].group(4), 16), int(m[0].group(5), 16)
    if (child, parent) != (3, 2):
        raise Fail("expected cowview as pid 2 and its child as pid 3 (the grader types "
                   "`memview 3` and `memview 2`), not %d and %d" % (parent, child))
    views = memview_outputs(out)
    child_views, parent_views = views.get("memview 3", []), views.get("memview 2", [])
    if len(child_views) != 2 or len(parent_views) != 1 or len(views.get("memview", [])) != 1:
        raise Fail("the monitor's memview printed no map (typed: memview 3, memview, "
                   "continue, memview 3, memview 2)")
    pages = [base + i * 4096 for i in range(npages)]
    names = {written: "the page the child writes"}
    for when, view, want in (("after the fork", child_views[0], {p: "*" for p in pages}),
                             ("after the child's write", child_views[1],
                              {p: letter(child) if p == written else "*" for p in pages}),
                             ("after the child's write", parent_views[0],
                              {written: letter(parent)})):
        cells = page_cells(view)
        who = "child" if view is not parent_views[0] else "parent"
        for p, c in want.items():
            got = cells.get(p)
            if got != c:
                raise Fail("%s, `memview %d` shows the %s's page 0x%x (%s) as %s, expected %r "
                           "(%s)" % (when, child if who == "child" else parent, who, p,
                                     names.get(p, "shared since the fork"),
                                     repr(got) if got else "nothing",
                                     c, "shared: '*'" if c == "*" else "its own: its letter"))
    phys = "\n".join(views["memview"][0])
    if not re.search(r"^\s*[0-9a-f]{8} [.A-Za-z*]*\*", phys, re.M):
        raise Fail("after the fork, the physical map (`memview`) shows no shared frame ('*')")


g.test("cowview: the memory viewer shows a fork's pages shared, then a written one the child's "
       "own", 5, cmdline=program("cowview") + " onbreak=monitor",
       inputs=["memview 3", "memview", "continue", "memview 3", "memview 2", "continue",
               "poweroff"],
       verdicts=[r"^cowview: the child exited with status 0 .*" + OK,
                 r"^cowview: the parent's page is unchanged by the child's write" + OK,
                 r"^cowview: all checks OK$"],
       expect=init_end("cowview"), forbid=[r"^cowview: .*FAIL"], check=check_cowview,
       needs=["the copy-on-write fault"])

g.test("fuzzsys: random system calls, lab 4's among them, never crash the kernel", 5,
       cmdline=program("fuzzsys"), inputs=["poweroff"], timeout=60,
       verdicts=[r"^fuzzsys: the kernel survived \d+ random system calls$"],
       expect=init_end("fuzzsys"), forbid=[r"kernel fault"])

# Every test runs under init, which forks and waits (so fork and exit/wait are foundation
# exercises); the programs that write to memory after a fork need the copy-on-write fault.
for t in g.tests:
    if t.short in ("spin", "fputest", "stresssched", "priority", "forktree", "forkbomb",
                   "waittest", "orphans", "faultstatus", "fuzzsys"):
        t.needs = ("the copy-on-write fault",)

if __name__ == "__main__":
    sys.exit(g.main())
