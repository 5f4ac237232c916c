#!/usr/bin/env python3
"""The scheduler's timeline: boot a program with the kernel's scheduler trace on
(schedtrace, kern/sched/trace.c), check the trace and draw it as an SVG picture, one row per
process, time across, colored by state. Python 3 standard library only.

    make timeline PROG=NAME          boots init=/bin/NAME, writes obj/timeline-NAME.svg (and
                                     the serial log, obj/timeline-NAME.log); QEMU counts
                                     instructions (ICOUNT=3, as lab 4's grader), so the
                                     picture does not depend on the machine's load
    python3 tools/timeline.py NAME [--lab N] [-o OUT.svg] [--args 'ARGS']
    python3 tools/timeline.py --log SERIAL.log -o OUT.svg      from a log you saved

The trace is the block of `schedtrace:` lines the kernel prints at power-off: a header, one
line per change of a process's state (TSC, what, pid=, name=, and chan=, status= or parent=),
and an end line. What a line says, and the change it stands for:

    new        EMBRYO -> RUNNABLE     created (fork, or the kernel's spawn): parent=PID
    run        RUNNABLE -> RUNNING    switched in
    preempted  RUNNING -> RUNNABLE    switched out: its time slice was over
    yielded    RUNNING -> RUNNABLE    switched out: it gave the CPU up (sched_yield)
    sleep      RUNNING -> SLEEPING    switched out: it waits for chan= (ticks: a timer; wait:
                                      a child's exit; else an address, named from the kernel)
    wake       SLEEPING -> RUNNABLE   woken (chan= what it waited for)
    exit       RUNNING -> ZOMBIE      switched out for good: exited (status= the wait status)
    reap       ZOMBIE -> UNUSED       its parent collected it (or the kernel freed it)

The check: every change starts from the state the process is in; at most one process runs at a
time (each switch-in is followed by that process's switch-out before the next switch-in); the
buffer lost no event. At the end, only the process that powered the machine off may still run.
"""

import argparse
import html
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))

CHANGES = {"new": ("EMBRYO", "RUNNABLE"), "run": ("RUNNABLE", "RUNNING"),
           "preempted": ("RUNNING", "RUNNABLE"), "yielded": ("RUNNING", "RUNNABLE"),
           "sleep": ("RUNNING", "SLEEPING"), "wake": ("SLEEPING", "RUNNABLE"),
           "exit": ("RUNNING", "ZOMBIE"), "reap": ("ZOMBIE", "UNUSED")}
SWITCH_OUT = ("preempted", "yielded", "sleep", "exit")
# The states drawn, their colors and names in the legend.
STATES = [("RUNNING", "#2ca02c", "running"), ("RUNNABLE", "#f2b701", "ready (waiting for the CPU)"),
          ("SLEEPING", "#9ecae1", "sleeping"), ("ZOMBIE", "#b0b0b0", "zombie (exited, not reaped)")]
# QEMU's -icount shift: the guest's clock follows the instructions it runs (8 ns each), as in
# lab 4's grader, so a timeline does not depend on how busy the machine is.
ICOUNT = 3
BEGIN_RE = re.compile(r"^schedtrace: begin events=(\d+) dropped=(\d+) tsc_per_tick=(\d+) hz=(\d+)")
EVENT_RE = re.compile(r"^schedtrace: (\d+) (\w+) pid=(-?\d+) name=(\S*)((?: \w+=\S+)*)$")
END_RE = re.compile(r"^schedtrace: end tsc=(\d+)")


# ---------------------------------------------------------------------------------------
# Reading and checking a trace.

def parse(text):
    """The trace in a serial log: {"events": [{"tsc", "what", "pid", "name", and "chan",
    "status" or "parent"}...], "dropped", "tsc_per_tick", "hz", "end"}. ValueError if the log
    holds no complete trace."""
    trace, events = None, []
    for line in text.replace("\r", "").split("\n"):
        m = BEGIN_RE.match(line)
        if m:
            trace = {"events": events, "dropped": int(m.group(2)),
                     "tsc_per_tick": int(m.group(3)), "hz": int(m.group(4)), "end": None,
                     "declared": int(m.group(1))}
            continue
        if trace is None:
            continue
        m = EVENT_RE.match(line)
        if m:
            e = {"tsc": int(m.group(1)), "what": m.group(2), "pid": int(m.group(3)),
                 "name": m.group(4)}
            for kv in m.group(5).split():
                k, v = kv.split("=", 1)
                e[k] = v
            events.append(e)
            continue
        m = END_RE.match(line)
        if m:
            trace["end"] = int(m.group(1))
            break
    if trace is None:
        raise ValueError("no scheduler trace in the log (was the kernel booted with schedtrace, "
                         "and did it power off?)")
    if trace["end"] is None:
        raise ValueError("the scheduler trace in the log has no end line (cut short?)")
    return trace


def check(trace):
    """What is wrong with the trace: a list of messages, empty if it is consistent."""
    problems = []
    state, running, last = {}, None, 0
    if trace.get("dropped"):
        problems.append("the trace buffer was full: %d events were dropped" % trace["dropped"])
    if "declared" in trace and trace["declared"] != len(trace["events"]):
        problems.append("the header announces %d events, the log has %d"
                        % (trace["declared"], len(trace["events"])))
    for i, e in enumerate(trace["events"]):
        where = "event %d (%s pid %d at tsc %d)" % (i, e["what"], e["pid"], e["tsc"])
        if e["what"] not in CHANGES:
            problems.append("%s: unknown event" % where)
            continue
        if e["tsc"] < last:
            problems.append("%s: earlier than the event before it" % where)
        last = e["tsc"]
        frm, to = CHANGES[e["what"]]
        now = state.get(e["pid"], "EMBRYO" if e["what"] == "new" else "UNKNOWN")
        if now != frm:
            problems.append("%s: pid %d is %s, not %s" % (where, e["pid"], now, frm))
        if e["what"] == "run":
            if running is not None:
                problems.append("%s: pid %d is switched in while pid %d still runs: two "
                                "processes on the one CPU" % (where, e["pid"], running))
            running = e["pid"]
        elif e["what"] in SWITCH_OUT:
            if running != e["pid"]:
                problems.append("%s: pid %d is switched out, but %s" % (
                    where, e["pid"], "no process runs" if running is None
                    else "pid %d is the one running" % running))
            running = None
        state[e["pid"]] = to
    if trace["end"] is not None and trace["end"] < last:
        problems.append("the end of the trace comes before its last event")
    return problems


def kernel_symbols(lab):
    """{address: name} of the kernel's variables, to name sleep channels; {} if unknown."""
    try:
        from elf import elf_objects
        objects = elf_objects(os.path.join(ROOT, "obj", "lab%d" % lab, "kernel.elf"))
    except (OSError, ImportError, ValueError):
        return {}
    return {addr: name for name, (addr, _) in objects.items()}


def channel_name(chan, symbols):
    if not chan or not chan.startswith("0x"):
        return {"ticks": "the timer (a sleep)", "wait": "a child (wait)"}.get(chan, chan or "?")
    addr = int(chan, 16)
    best = max((a for a in symbols if a <= addr), default=None)
    if best is not None and addr - best < 4096:
        return "%s%s (%s)" % (symbols[best], "+%d" % (addr - best) if addr > best else "", chan)
    return "kernel object %s" % chan


# ---------------------------------------------------------------------------------------
# The processes' states over time.

def intervals(trace, symbols=None):
    """[(pid, names, [(start, end, state, note)], forks)] in order of the pids' first event:
    each process's states as time intervals (in TSC), and the times it forked a child."""
    symbols = symbols or {}
    procs, order = {}, []
    end = trace["end"]
    last = trace["events"][-1]["tsc"] if trace["events"] else 0
    for e in trace["events"]:
        pid = e["pid"]
        if pid not in procs:
            procs[pid] = {"names": [], "spans": [], "state": None, "since": e["tsc"],
                          "note": "", "forks": []}
            order.append(pid)
        p = procs[pid]
        if not p["names"] or p["names"][-1] != e["name"]:
            p["names"].append(e["name"])
        if p["state"] is not None:
            p["spans"].append((p["since"], e["tsc"], p["state"], p["note"]))
        p["state"], p["since"] = CHANGES.get(e["what"], (None, None))[1], e["tsc"]
        p["note"] = {"sleep": "waits for %s" % channel_name(e.get("chan"), symbols),
                     "exit": "exit status %s" % e.get("status", "?"),
                     "run": "", "new": "created by pid %s" % e.get("parent", "?"),
                     "wake": "woken", "preempted": "preempted: its time slice was over",
                     "yielded": "yielded the CPU"}.get(e["what"], "")
        if e["what"] == "new" and e.get("parent", "0") != "0" and int(e["parent"]) in procs:
            procs[int(e["parent"])]["forks"].append((e["tsc"], pid))
    # A process still there at the end: to the end of the trace if one still runs (it
    # powered off), else to the last event.
    stop = end if any(procs[p]["state"] == "RUNNING" for p in order) else last
    for pid in order:
        p = procs[pid]
        if p["state"] not in (None, "UNUSED") and stop > p["since"]:
            p["spans"].append((p["since"], stop, p["state"], p["note"]))
    return [(pid, procs[pid]["names"], procs[pid]["spans"], procs[pid]["forks"])
            for pid in order], (trace["events"][0]["tsc"] if trace["events"] else 0), stop


# ---------------------------------------------------------------------------------------
# The picture.

def nice_step(span, most):
    """A round step (1, 2, 5 times a power of ten) giving at most `most` ticks over span."""
    step = 1e-3
    while span / step > most:
        for k in (2, 2.5, 2):
            step *= k
            if span / step <= most:
                break
    return step


def svg(trace, title, symbols=None):
    rows, t0, t1 = intervals(trace, symbols)
    ms_per_tsc = 1000.0 / (trace["tsc_per_tick"] * trace["hz"]) if trace["tsc_per_tick"] else 1e-6
    total = max((t1 - t0) * ms_per_tsc, 1e-3)
    label_w, plot_w, row_h, top = 190, 900, 22, 78
    width = label_w + plot_w + 30
    height = top + len(rows) * row_h + 50

    def x(tsc):
        return label_w + (tsc - t0) * ms_per_tsc / total * plot_w

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="12">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="15" font-weight="bold">%s</text>' % html.escape(title)]
    # The legend.
    out.append('<g class="legend">')
    lx = 10
    for _, color, name in STATES:
        out.append('<rect x="%d" y="34" width="14" height="12" fill="%s"/>'
                   '<text x="%d" y="45">%s</text>' % (lx, color, lx + 18, html.escape(name)))
        lx += 26 + 7 * len(name)
    out.append('<line x1="%d" y1="33" x2="%d" y2="47" stroke="#d62728" stroke-width="2"/>'
               '<text x="%d" y="45">fork</text>' % (lx + 5, lx + 5, lx + 12))
    out.append('<text x="10" y="64" fill="#555">time in ms across (one timer tick is %g ms); '
               'hover over a bar for its details</text>' % (1000.0 / trace["hz"]))
    out.append('</g>')
    # The rows.
    y_of = {}
    for i, (pid, names, spans, forks) in enumerate(rows):
        y = top + i * row_h
        y_of[pid] = y
        label = "pid %d %s" % (pid, " \u2192 ".join(names))
        out.append('<g class="process" data-pid="%d">' % pid)
        if i % 2:
            out.append('<rect x="0" y="%d" width="%d" height="%d" fill="#f4f4f4"/>'
                       % (y, width, row_h))
        out.append('<text x="10" y="%d">%s</text>' % (y + 15, html.escape(label[:28])))
        for start, end, state, note in spans:
            color = dict((s, c) for s, c, _ in STATES).get(state)
            if not color:
                continue
            w = max(x(end) - x(start), 0.5)
            tip = "pid %d %s: %s %.2f-%.2f ms%s" % (
                pid, names[-1], state.lower(), (start - t0) * ms_per_tsc,
                (end - t0) * ms_per_tsc, " (%s)" % note if note else "")
            out.append('<rect x="%.2f" y="%d" width="%.2f" height="%d" fill="%s"><title>%s'
                       '</title></rect>' % (x(start), y + 4, w, row_h - 8, color,
                                            html.escape(tip)))
        out.append('</g>')
    # Forks: a line from the parent's row to the child's.
    for pid, _, _, forks in rows:
        for tsc, child in forks:
            if child in y_of:
                y1, y2 = sorted((y_of[pid] + row_h // 2, y_of[child] + row_h // 2))
                out.append('<line class="fork" x1="%.2f" y1="%d" x2="%.2f" y2="%d" '
                           'stroke="#d62728" stroke-width="1.5"><title>pid %d forks pid %d at '
                           '%.2f ms</title></line>' % (x(tsc), y1, x(tsc), y2, pid, child,
                                                         (tsc - t0) * ms_per_tsc))
    # The time axis: labeled ticks, and a small mark per timer tick when there is room.
    axis_y = top + len(rows) * row_h + 6
    out.append('<g class="axis">')
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
               % (label_w, axis_y, label_w + plot_w, axis_y))
    tick_ms = 1000.0 / trace["hz"]
    if plot_w * tick_ms / total >= 4:
        t = 0.0
        while t <= total:
            tx = label_w + t / total * plot_w
            out.append('<line class="tick minor" x1="%.2f" y1="%d" x2="%.2f" y2="%d" '
                       'stroke="#999"/>' % (tx, axis_y, tx, axis_y + 4))
            t += tick_ms
    step = nice_step(total, 12)
    t = 0.0
    while t <= total + 1e-9:
        tx = label_w + t / total * plot_w
        out.append('<line class="tick" x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="black"/>'
                   '<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="#e0e0e0"/>'
                   '<text x="%.2f" y="%d" text-anchor="middle">%g</text>'
                   % (tx, axis_y, tx, axis_y + 8, tx, top, tx, axis_y, tx, axis_y + 22,
                      round(t, 6)))
        t += step
    out.append('<text x="%d" y="%d" text-anchor="end">ms</text>'
               % (label_w + plot_w + 25, axis_y + 22))
    out.append('</g>')
    out.append('</svg>')
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------
# Booting the program.

def boot(lab, prog, args="", timeout=120, log=None, icount=ICOUNT):
    """The serial output of a boot with init="/bin/PROG ARGS" and the scheduler trace on,
    QEMU counting instructions (-icount shift=icount; None: not)."""
    from gradelib import Run, qemu_command
    build = subprocess.run(["make", "-s", "-C", ROOT, "LAB=%d" % lab, "iso"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if build.returncode != 0:
        raise RuntimeError("the build failed:\n" + build.stdout.decode("utf-8", "replace"))
    init = "/bin/%s%s" % (prog, " " + args if args else "")
    cmd = qemu_command(ROOT, lab, None, None, 'schedtrace init="%s"' % init, icount) + [
        "-display", "none", "-serial", "stdio", "-monitor", "none"]
    log = log or os.path.join(ROOT, "obj", "timeline-%s.log" % prog)
    os.makedirs(os.path.dirname(log), exist_ok=True)
    # Lab 4 ends at the monitor's prompt once every process is gone: power off there.
    run = Run(cmd, log, [("K> ", "poweroff\n")], timeout)
    run.run()
    if run.timed_out:
        raise RuntimeError("the run did not end within %d s (see %s)" % (timeout, log))
    return run.text()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prog", nargs="?", help="the program to run (user/NAME.c)")
    ap.add_argument("--lab", type=int, default=None, help="the lab's kernel (default: the last)")
    ap.add_argument("--args", default="", help="the program's arguments")
    ap.add_argument("--log", help="read the trace from this serial log instead of booting")
    ap.add_argument("-o", "--out", help="the SVG to write (default obj/timeline-PROG.svg)")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--icount", default=str(ICOUNT),
                    help="QEMU's -icount shift (default %d; '' for real time)" % ICOUNT)
    args = ap.parse_args()
    if not args.prog and not args.log:
        ap.error("name a program (make timeline PROG=NAME) or give --log")
    lab = args.lab
    if lab is None:  # the highest lab, as the GNUmakefile's default
        lab = max(int(d[3:]) for d in os.listdir(os.path.join(ROOT, "labs"))
                  if re.match(r"lab\d+$", d))
    if lab < 4:
        print("timeline: the scheduler trace comes with lab 4 (this is LAB=%d)" % lab,
              file=sys.stderr)
        return 2
    try:
        if args.log:
            with open(args.log, encoding="utf-8", errors="replace") as f:
                text = f.read()
        else:
            text = boot(lab, args.prog, args.args, args.timeout,
                        icount=int(args.icount) if args.icount != "" else None)
        trace = parse(text)
    except (RuntimeError, ValueError, OSError) as e:
        print("timeline: %s" % e, file=sys.stderr)
        return 1
    name = args.prog or os.path.splitext(os.path.basename(args.log))[0]
    out = args.out or os.path.join(ROOT, "obj", "timeline-%s.svg" % name)
    title = "Scheduler timeline: %s (lab %d), %d events, %d processes" % (
        name, lab, len(trace["events"]), len({e["pid"] for e in trace["events"]}))
    with open(out, "w") as f:
        f.write(svg(trace, title, kernel_symbols(lab)))
    problems = check(trace)
    print("timeline: wrote %s (%d events)" % (out, len(trace["events"])))
    for p in problems[:20]:
        print("timeline: inconsistent trace: %s" % p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
