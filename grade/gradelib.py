"""Sparrow's grading library: build the ISO once, boot it in QEMU for each test (up to
BATCH_MAX tests that boot alike share a boot: see Grader.batches), match the serial output,
and report a score.

Each grade/labN.py declares its tests with Grader.test(...) and calls Grader.main(). A test
names what to boot (extra kernel command-line options, guest memory), what to type at the
monitor prompt, the lines that must appear (in order), the lines that must not, and optionally
a check function for anything a regular expression cannot say. Python 3 standard library only.

Grading tokens. Every grading run draws a fresh random token and passes it to the kernel
(`token=<hex>` on its command line); the kernel hands it to user programs as SPARROW_TOKEN,
and the test programs print their verdict lines through verdict() (lib/user/verdict.c), which
appends a tag: `<line> [xxxxxxxx]`, the 32-bit FNV-1a hash of the token, "|" and the line.
A test's `verdicts=[regex, ...]` are lines that must appear in order *with a valid tag*, so a
kernel that prints the expected lines itself (or replays an old log) does not pass them.
Before any matching (expect, forbid, verdicts and check functions) a valid tag is removed
from its line, so `expect` patterns see a tagged line as the program printed it; a tag that
does not match this run's token is left in place and the line does not count as a verdict.
"""

import argparse
import contextlib
import fcntl
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

# The graders' checks compare output with the kernel really built: re-exported for them.
from elf import elf_functions, elf_sections  # noqa: F401

TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

POWEROFF_LINE = "Sparrow: powering off."
PANIC_RE = re.compile(r"kernel panic( \(nested\))? at ")
PROMPT = "K> "
# A serial log larger than this means a runaway kernel: the run is stopped there.
MAX_OUTPUT = 16 << 20
# `<line> [xxxxxxxx]`: a verdict line with its tag (see verdict_tag).
TAG_RE = re.compile(r"^(.*) \[([0-9a-f]{8})\]$")


class Fail(Exception):
    """Raised by a check: the message says what went wrong, in the student's terms."""


# ---------------------------------------------------------------------------------------
# Verdict tags.

def verdict_tag(token, line):
    """The tag verdict() in lib/user/verdict.c appends to line under token: 32-bit FNV-1a of
    the token's bytes, "|" and the line's bytes, as 8 lowercase hex digits."""
    h = 2166136261
    for byte in token.encode() + b"|" + line.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return "%08x" % h


def split_tag(line):
    """(line without a trailing ` [xxxxxxxx]` tag, the tag) or (line, None) if it has none."""
    m = TAG_RE.match(line)
    return (m.group(1), m.group(2)) if m else (line, None)


# ---------------------------------------------------------------------------------------
# Tests and their results.

class Keys:
    """Keys a test types without a newline once the output since the previous input matches
    `after` (a regex), such as ^C ("\\x03") at a program that runs. With `until`, they are
    typed again every `every` seconds until the output after them matches `until`, as a
    person presses ^C again when the first one came too early."""

    def __init__(self, text, after, until=None, every=1.0):
        self.text = text
        self.after = re.compile(after)
        self.until = re.compile(until) if until else None
        self.every = every


class Test:
    def __init__(self, name, points, cmdline="", timeout=10, expect=(), forbid=(),
                 inputs=(), check=None, mem=None, expect_panic=False, exercise=None,
                 lab=None, verdicts=(), needs=(), prompt=None, monitor=(), icount=None,
                 inputs_from=None):
        self.name = name
        self.points = points
        self.cmdline = cmdline
        self.timeout = timeout
        self.expect = [re.compile(e) for e in expect]
        self.forbid = [re.compile(f) for f in forbid]
        self.verdicts = [re.compile(v) for v in verdicts]
        self.inputs = list(inputs)
        # inputs_from(kernel_path) -> inputs: input computed from the kernel ELF that was
        # built, before the test's boot.
        self.inputs_from = inputs_from
        self.check = check
        self.mem = mem
        self.expect_panic = expect_panic
        self.prompt = prompt or PROMPT  # what inputs wait for: "K> ", or the shell's "$ "
        # QEMU monitor commands, each typed once its regex appears in the output: [(regex,
        # "nmi"), ...]
        self.monitor = [(re.compile(r), c) for r, c in monitor]
        self.exercise = exercise    # the exercise this test grades (None: none)
        self.needs = tuple(needs)   # other exercises it cannot pass without
        self.lab = lab
        # QEMU's -icount shift (make's ICOUNT): the guest's clock follows the instructions
        # it runs, so a test that measures time in ticks does not depend on the host's load.
        self.icount = icount

    @property
    def short(self):
        """The test's short name: its name up to the first colon."""
        return self.name.split(":")[0].strip()


class Exercise:
    """One exercise of a lab: the solution blocks a student writes for it, each named
    "path:function" (the C function the block is in) or "path" (every block of the file).
    A foundation exercise is one every test of the lab needs (the context switch, the
    system-call dispatcher): stubbing it may fail any test."""

    def __init__(self, name, blocks, foundation=False):
        self.name = name
        self.blocks = list(blocks)
        self.foundation = foundation

    def owns(self, path, function):
        return any(b == path or b == "%s:%s" % (path, function) for b in self.blocks)


class Result:
    def __init__(self, test):
        self.test = test
        self.status = "FAIL"  # OK, FAIL, TIMEOUT, PANIC, RESET, NOSTART, BUILD
        self.details = []
        self.output = ""
        self.seconds = 0.0
        self.log = None
        self.note = None  # something the report says even of a test that passed

    @property
    def score(self):
        return self.test.points if self.status == "OK" else 0


class Output:
    """The serial output of one run, as lines, with helpers for checks.

    raw_lines are the lines as printed; lines are the same with each valid verdict tag
    removed; signed[i] says whether lines[i] carried a valid tag for this run's token.
    """

    def __init__(self, text, ctx):
        self.text = text
        self.raw_lines = [l.rstrip("\r") for l in text.split("\n")]
        self.ctx = ctx
        token = ctx.get("token")
        self.lines, self.signed = [], []
        for raw in self.raw_lines:
            body, tag = split_tag(raw)
            ok = bool(token) and tag is not None and tag == verdict_tag(token, body)
            self.lines.append(body if ok else raw)
            self.signed.append(ok)

    def verdicts(self):
        """The lines that carried a valid tag (without the tag): what test programs said."""
        return [l for l, ok in zip(self.lines, self.signed) if ok]

    def grep(self, pattern):
        rx = re.compile(pattern)
        return [m for m in (rx.search(l) for l in self.lines) if m]

    def after(self, pattern):
        """The lines after the first one matching pattern (empty if none does)."""
        rx = re.compile(pattern)
        for i, l in enumerate(self.lines):
            if rx.search(l):
                return self.lines[i + 1:]
        return []


# ---------------------------------------------------------------------------------------
# Running QEMU.

def qemu_command(tree, lab=None, iso=None, mem=None, cmdline=None, icount=None):
    """QEMU's command line (a list of arguments) from the GNUmakefile of tree, the one place
    that holds QEMU's options: `make print-qemu` for lab (default: make's), booting iso,
    with mem MiB of memory, the kernel command-line options cmdline (quoted there) and
    icount, QEMU's instruction-counting shift."""
    args = ["make", "-s", "--no-print-directory", "-C", tree, "print-qemu"]
    for name, value in (("LAB", lab), ("ISO", iso), ("MEM", mem), ("CMDLINE", cmdline),
                        ("ICOUNT", icount)):
        if value is not None and value != "":
            if "\n" in str(value):
                raise ValueError("%s holds a newline: %r" % (name, value))
            args.append("%s=%s" % (name, str(value).replace("$", "$$")))  # make's $
    out = subprocess.run(args, stdout=subprocess.PIPE, check=True).stdout.decode()
    return out.rstrip("\n").split("\n")


# A QEMU whose guest idles (halted between timer ticks) uses about 2 % of a processor; one
# whose guest runs gets far more, even on a loaded machine.
IDLE_CPU = 0.1
# Seconds of silence and idling after which a test run has hung for good: no test program
# waits that long for a timer or for nothing.
IDLE_STOP = 10
# Under icount a guest that computes moves its clock at about the wall clock's pace (8 ns
# per instruction, as fast as TCG runs them); one that idles jumps from timer to timer,
# a hundred times faster. A silence of IDLE_STOP seconds of the guest's clock, gone by at
# least IDLE_RATIO times as fast as the wall clock, is a guest idling.
IDLE_RATIO = 20


class GuestClock:
    """The guest's own clock in whole seconds, read at QEMU's QMP socket: the date of its
    real-time clock, which under icount follows the guest's clock (`-rtc clock=vm`, with
    the GNUmakefile's ICOUNT). seconds() is None when QEMU does not answer."""

    def __init__(self, path):
        self.path = path
        self.sock = self.file = None
        self.broken = False

    def _call(self, command, **arguments):
        self.file.write(json.dumps({"execute": command, "arguments": arguments}).encode()
                        + b"\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise OSError("QEMU closed its QMP socket")
            reply = json.loads(line)
            if "event" not in reply:
                break
        if "error" in reply:
            raise OSError(reply["error"].get("desc", "QMP error"))
        return reply.get("return")

    def seconds(self):
        import calendar
        import socket
        if self.broken:
            return None
        if self.file is None:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(2)
                self.sock.connect(self.path)
            except OSError:
                self.close()  # QEMU has not made its socket yet: try again next time
                return None
        try:
            if self.file is None:
                self.file = self.sock.makefile("rwb")
                self.file.readline()  # QEMU's greeting
                self._call("qmp_capabilities")
            tm = self._call("qom-get", path="/machine", property="rtc-time")
            return calendar.timegm((tm["tm_year"] + 1900, tm["tm_mon"] + 1, tm["tm_mday"],
                                    tm["tm_hour"], tm["tm_min"], tm["tm_sec"]))
        except (OSError, ValueError, KeyError, TypeError):
            self.broken = True
            self.close()
            return None

    def close(self):
        for f in (self.file, self.sock):
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass
        self.sock = self.file = None


def process_cpu(pid):
    """Processor seconds (user and system) process pid has used, from /proc; 0 if unknown."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class Run:
    """One QEMU boot: serial output captured to a file, input typed at prompts."""

    def __init__(self, cmd, log_path, inputs, timeout, stop_when=None, monitor=(),
                 monitor_socket=None, idle_stop=None, segments=None, guest_clock=None):
        self.cmd = cmd
        # segments=(marker, [seconds, ...]): a boot running several tests, split where marker
        # (bytes) appears; the k-th part has the k-th time limit, counted from the k-th
        # marker (the time before the first marker counts for the first part).
        self.segments = segments
        # idle_stop=N: a run whose kernel has printed nothing and QEMU has hardly used the
        # processor for N seconds (every process asleep, nothing left to wake it) has hung
        # for good: it ends there as a timeout, without waiting out the rest of it.
        self.idle_stop = idle_stop
        # Under icount with sleep=off an idle guest's clock jumps from timer to timer, which
        # keeps QEMU busy: there, silence alone says the guest idles (silence_is_idle). With
        # guest_clock (a GuestClock), so does idle_stop seconds of silence on the guest's
        # clock gone by IDLE_RATIO times as fast as the wall clock: then the run ends within
        # a second, not after idle_stop seconds of QEMU racing through timer ticks.
        self.silence_is_idle = False
        self.guest_clock = guest_clock
        self.idled = False
        self.monitor = list(monitor)            # [(compiled regex, command)]
        self.monitor_socket = monitor_socket    # QEMU's monitor, a Unix socket
        self.stop_when = re.compile(stop_when) if stop_when else None
        self.stopped = False  # stop_when matched and the run was ended there
        self.log_path = log_path
        self.inputs = list(inputs)
        self.timeout = timeout
        self.buf = bytearray()
        self.lock = threading.Lock()
        self.typed_at = 0      # output length when the last input was typed
        self.keys_sent = {}    # Keys typed so far: (when last typed, output length then)
        self.typed = 0         # inputs (not Keys) typed so far
        self.exit_code = None
        self.timed_out = False
        self.flooded = False
        self.stderr = b""

    def _reader(self, proc, log):
        while True:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                return
            with self.lock:
                if self.flooded:
                    continue
                if len(self.buf) + len(chunk) > MAX_OUTPUT:
                    self.flooded = True
                    chunk = chunk[:MAX_OUTPUT - len(self.buf)]
                self.buf += chunk
            log.write(chunk)
            log.flush()

    def _type(self, proc, text):
        # What follows this point of the output follows the input, its echo included:
        # measured before typing, as the echo may arrive before the write returns.
        self.typed_at = len(self.text())
        try:
            proc.stdin.write(text.encode())
            proc.stdin.flush()
        except OSError:
            pass

    def _keys(self, proc, keys):
        """Type (or type again) keys when it is time; True once they are done with."""
        text = self.text()
        if keys not in self.keys_sent:
            if not keys.after.search(text[self.typed_at:]):
                return False
            self._type(proc, keys.text)
            self.keys_sent[keys] = (time.monotonic(), len(text))
            return keys.until is None
        when, pos = self.keys_sent[keys]
        if keys.until.search(text[pos:]):
            self.typed_at = len(text)
            return True
        if time.monotonic() - when >= keys.every:
            self._type(proc, keys.text)
            self.keys_sent[keys] = (time.monotonic(), pos)
        return False

    def monitor_command(self, command):
        """Type a command at QEMU's monitor (its socket)."""
        import socket
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as m:
                m.settimeout(5)
                m.connect(self.monitor_socket)
                m.sendall(command.encode() + b"\n")
                time.sleep(0.2)  # let QEMU read it before the connection goes
        except OSError as e:
            self.stderr += ("monitor command %r failed: %s\n" % (command, e)).encode()

    def text(self):
        with self.lock:
            return self.buf.decode("utf-8", "replace")

    def run(self):
        start = time.monotonic()
        with open(self.log_path, "wb") as log:
            try:
                proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, start_new_session=True)
            except OSError as e:
                self.stderr = str(e).encode()
                self.exit_code = -1
                return 0.0
            reader = threading.Thread(target=self._reader, args=(proc, log), daemon=True)
            reader.start()
            err = []
            errt = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
            errt.start()
            quiet = (start, 0, process_cpu(proc.pid))  # since when: output length, QEMU's cpu
            guest = None          # (when, guest clock) first read in this silence
            polled = start        # when the guest clock was last read
            segment = (0, start)  # markers seen, when the last was
            while proc.poll() is None:
                now = time.monotonic()
                if self.segments:
                    marker, limits = self.segments
                    with self.lock:
                        seen = self.buf.count(marker)
                    if seen != segment[0]:
                        segment = (seen, now)
                    if now - segment[1] > limits[min(max(seen - 1, 0), len(limits) - 1)]:
                        self.timed_out = True
                        proc.kill()
                        break
                if now - start > self.timeout:
                    self.timed_out = True
                    proc.kill()
                    break
                if self.idle_stop:
                    length = len(self.buf)
                    if length != quiet[1]:
                        quiet = (now, length, process_cpu(proc.pid))
                        guest = None
                    elif self.guest_clock and now - quiet[0] > 0.5 and now - polled > 0.2:
                        polled, seconds = now, self.guest_clock.seconds()
                        if seconds is not None and guest is None:
                            guest = (now, seconds)
                        elif (seconds is not None and seconds - guest[1] >= self.idle_stop
                              and seconds - guest[1] >= IDLE_RATIO * (now - guest[0])):
                            self.timed_out = self.idled = True
                            proc.kill()
                            break
                    if now - quiet[0] > self.idle_stop:
                        if (self.silence_is_idle or process_cpu(proc.pid) - quiet[2]
                                < IDLE_CPU * (now - quiet[0])):
                            self.timed_out = self.idled = True
                            proc.kill()
                            break
                        quiet = (now, length, process_cpu(proc.pid))
                if self.flooded:
                    proc.kill()
                    break
                if self.monitor and self.monitor[0][0].search(self.text()):
                    self.monitor_command(self.monitor.pop(0)[1])
                    continue
                if self.stop_when and self.stop_when.search(self.text()):
                    self.stopped = True
                    proc.kill()
                    break
                if self.inputs and isinstance(self.inputs[0], Keys):
                    if self._keys(proc, self.inputs[0]):
                        self.inputs.pop(0)
                        continue
                elif self.inputs:
                    # Type the next input once one more prompt than inputs typed has appeared.
                    wait_for, line = self.inputs[0]
                    if self.text().count(wait_for) > self.typed:
                        self._type(proc, line)
                        self.inputs.pop(0)
                        self.typed += 1
                        continue
                time.sleep(0.02)
            proc.wait()
            if self.guest_clock:
                self.guest_clock.close()
            reader.join(2)
            errt.join(2)
            self.stderr = err[0] if err else b""
            self.exit_code = proc.returncode
        return time.monotonic() - start


@contextlib.contextmanager
def build_lock(tree):
    """Held while make builds in tree: two grading runs (or checks) in one tree must not
    run make there at the same time. A lock on a file, released when it closes."""
    os.makedirs(os.path.join(tree, "obj"), exist_ok=True)
    with open(os.path.join(tree, "obj", ".build-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# Several tests in one boot (Grader.batches), at most BATCH_MAX of them:
# - from lab 5 on, tests that each run one program under init: init="PROG ARGS ; PROG ARGS
#   ..." runs each program in turn after a line BATCH_MARK + "PROG ARGS", and init's whole
#   command line stays within what the kernel keeps (kern/init);
# - tests with the same kernel options that only type commands at the monitor, each ending
#   with MONITOR_END: one session types each test's commands in turn (all but the last
#   test's MONITOR_END), and each test's part starts at the prompt of its first command;
# - tests with the same kernel options that type nothing: their boots would be alike, so
#   one boot's output is each one's.
BATCH_MARK = "init: running "
BATCH_MAX = 8
INIT_MAX_CHARS = 250
INIT_MAX_ARGS = 32
INIT_OPTION_RE = re.compile(r'^init="([^";]+)"(\s.*)?$')
MONITOR_END = "poweroff"
FIRST_PROGRAM_RE = re.compile(r"(^|\s)init=")


def batch_key(t, lab):
    """What a test shares with those it may share a boot with, its first item the kind of
    sharing ("init", "monitor" or "alike"); None if it boots alone: QEMU monitor commands,
    keys to press, or input that is not monitor commands ending with MONITOR_END typed
    with no program started."""
    m = INIT_OPTION_RE.match(t.cmdline.strip())
    if lab >= 5 and m and not t.inputs and not t.monitor and not t.expect_panic:
        return ("init", t.mem, t.icount, t.prompt, (m.group(2) or "").strip())
    if t.monitor or any(isinstance(i, Keys) for i in t.inputs):
        return None
    if not t.inputs:
        return ("alike", t.cmdline.strip(), t.mem, t.icount, t.prompt, t.timeout)
    # Not when a program was started first: the monitor may have stopped it, and commands
    # such as continue change what the next test would find.
    if t.prompt == PROMPT and t.inputs[-1] == MONITOR_END and not FIRST_PROGRAM_RE.search(
            t.cmdline):
        return ("monitor", t.cmdline.strip(), t.mem, t.icount)
    return None


def init_program(t):
    """"PROG ARGS" of a test's init="PROG ARGS" option."""
    return " ".join(INIT_OPTION_RE.match(t.cmdline.strip()).group(1).split())


def init_options(t):
    """A test's kernel options other than init=."""
    return (INIT_OPTION_RE.match(t.cmdline.strip()).group(2) or "").strip()


class Continued:
    """In place of a Run for a test in a shared boot whose part ended with the next test's
    (init went on to the next program, or the next test's commands were typed): it neither
    timed out nor stopped QEMU."""
    exit_code = 0
    timed_out = idled = flooded = False
    stderr = b""


def log_name(test_name):
    """The file name of a test's serial log in the log folder."""
    return re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-") + ".log"


class Grader:
    def __init__(self, lab):
        self.lab = lab
        self.tests = []
        self.exercises = []
        self.summary = None  # text about the whole run for the JSON (the failed build's log)

    def exercise(self, name, *blocks, foundation=False):
        """Declare an exercise: its name (the title of its section in docs/labN.md) and
        its solution blocks ("path:function"). Tests name it in exercise= or needs=."""
        self.exercises.append(Exercise(name, blocks, foundation))
        return name

    def test(self, name, points, **kw):
        kw.setdefault("lab", self.lab)
        t = Test(name, points, **kw)
        known = {e.name for e in self.exercises}
        for e in ([t.exercise] if t.exercise else []) + list(t.needs):
            if e not in known:
                raise ValueError("test '%s' names exercise '%s', which grade/lab%d.py does not "
                                 "declare (g.exercise) before it" % (name, e, self.lab))
        self.tests.append(t)

    # -- building ----------------------------------------------------------------------

    def build(self, tree, lab, timeout=None):
        """Build the ISO; returns (ok, text of the build output). A build still running
        after timeout seconds is killed (with everything it started) and fails."""
        # The build's Python tools run with this interpreter (make's PYTHON).
        env = dict(os.environ, PYTHON=os.environ.get("PYTHON") or sys.executable)
        with build_lock(tree):
            p = subprocess.Popen(["make", "-s", "-j%d" % (os.cpu_count() or 1), "-C", tree,
                                  "LAB=%d" % lab, "iso"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 start_new_session=True, env=env)
            try:
                out, _ = p.communicate(timeout=timeout or None)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
                out, _ = p.communicate()
                text = out.decode("utf-8", "replace")
                return False, text + "\nthe build did not finish within %d seconds; stopped\n" % timeout
        return p.returncode == 0, out.decode("utf-8", "replace")

    # -- running one test --------------------------------------------------------------

    def boot(self, t, cmdline, log, ctx, timeout, segments=None, inputs=None):
        """Boot for test t (its memory, monitor commands, and its inputs unless inputs
        says otherwise) with the kernel options cmdline; the finished Run."""
        cmdline = "onpanic=poweroff " + cmdline
        if ctx.get("token"):
            cmdline = "token=%s %s" % (ctx["token"], cmdline)
        sockets = tempfile.mkdtemp(prefix="sparrow-mon-") if t.monitor or t.icount is not None else None
        sock = os.path.join(sockets, "monitor") if t.monitor else None
        qmp = os.path.join(sockets, "qmp") if t.icount is not None else None
        cmd = qemu_command(ctx["tree"], self.lab, ctx["iso"], t.mem, cmdline.strip(),
                           t.icount) + [
            "-display", "none", "-serial", "stdio",
            "-monitor", "unix:%s,server=on,wait=off" % sock if sock else "none"]
        if qmp:
            cmd += ["-qmp", "unix:%s,server=on,wait=off" % qmp]
        inputs = [i if isinstance(i, Keys) else (t.prompt, i + "\n")
                  for i in (t.inputs if inputs is None else inputs)]
        run = Run(cmd, log, inputs, timeout, monitor=t.monitor, monitor_socket=sock,
                  idle_stop=IDLE_STOP, segments=segments,
                  guest_clock=GuestClock(qmp) if qmp else None)
        run.silence_is_idle = t.icount is not None
        run.seconds = run.run()
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)
        return run

    def run_one(self, t, ctx):
        """Test t in a boot of its own."""
        r = Result(t)
        r.log = os.path.join(ctx["logdir"], log_name(t.name))
        run = self.boot(t, t.cmdline, r.log, ctx, t.timeout)
        r.seconds = run.seconds
        r.output = run.text()
        self.classify(r, run, ctx)
        return r

    def shared_result(self, t, output, run, seconds, ctx):
        """The Result of test t from its part of a shared boot (saved as its log)."""
        r = Result(t)
        r.output = output
        r.seconds = seconds
        r.log = os.path.join(ctx["logdir"], log_name(t.name))
        with open(r.log, "w") as f:
            f.write(output)
        self.classify(r, run, ctx)
        return r

    # -- several tests in one boot -----------------------------------------------------

    def batches(self, tests):
        """The tests in units that each take one boot: tests with the same batch_key share
        a boot, at most BATCH_MAX of them (and, under init, as many programs as its command
        line holds); any other test boots alone."""
        units, open_batches = [], {}
        for t in tests:
            key = batch_key(t, self.lab)
            if key is None:
                units.append([t])
                continue
            unit = open_batches.get(key)
            full = unit is None or len(unit) >= BATCH_MAX
            if key[0] == "init" and not full:
                progs = [init_program(u) for u in unit] + [init_program(t)]
                full = (len(" ; ".join(progs)) > INIT_MAX_CHARS
                        or sum(len(p.split()) + 1 for p in progs) > INIT_MAX_ARGS)
            if full:
                unit = open_batches[key] = []
                units.append(unit)
            unit.append(t)
        return units

    def run_unit(self, unit, ctx):
        """{test: Result} for a unit of batches(). A test whose part of the shared boot
        could have been changed by the tests before it (what they ran or typed) and that
        does not pass there, or whose turn never came (the kernel died before), runs again
        in a boot of its own, and that run is its result: a failure is never blamed on the
        tests that ran before it. A test passes as it would alone."""
        if len(unit) == 1:
            return {unit[0]: self.run_one(unit[0], ctx)}
        share = {"init": self.run_batch, "monitor": self.run_session,
                 "alike": self.run_session}[batch_key(unit[0], self.lab)[0]]
        results, log, alone = share(unit, ctx)
        for t in unit:
            if t not in results or (results[t].status != "OK" and t not in alone):
                shared = results.get(t)
                results[t] = self.run_one(t, ctx)
                if shared and results[t].status == "OK":
                    results[t].note = ("passed in a boot of its own, not in the one it shared "
                                       "with other tests (%s): does it depend on what ran "
                                       "before it?" % os.path.relpath(log))
        return results

    def shared_log(self, unit, ctx):
        return os.path.join(ctx["logdir"], "boot-of-%d-tests-from-%s" % (
            len(unit), log_name(unit[0].name)))

    def run_batch(self, unit, ctx):
        """Boot once, init running the tests' programs in turn; ({test: Result} for those
        whose turn came, the boot's serial log, the tests nothing ran before). The boot's
        end (a power-off, a panic, a time limit) counts for the last of them; the others
        ended as init went on."""
        progs = [init_program(t) for t in unit]
        cmdline = 'init="%s" %s' % (" ; ".join(progs), init_options(unit[0]))
        log = self.shared_log(unit, ctx)
        run = self.boot(unit[0], cmdline, log, ctx, sum(t.timeout for t in unit) + 10,
                        segments=(("\n" + BATCH_MARK).encode(), [t.timeout for t in unit]))
        lines = run.text().split("\n")
        starts = [i for i, l in enumerate(lines) if l.rstrip("\r").startswith(BATCH_MARK)]
        results = {}
        for k, t in enumerate(unit):
            if k >= len(starts) or lines[starts[k]].rstrip("\r") != BATCH_MARK + progs[k]:
                break  # the kernel died before this program's turn, or init lost count
            last = k + 1 >= len(starts)  # no program started after this one
            output = "\n".join(lines[:starts[0]] + lines[starts[k]:starts[k + 1]
                                                         if not last else len(lines)])
            results[t] = self.shared_result(t, output, run if last else Continued,
                                            run.seconds / len(unit), ctx)
        return results, log, {unit[0]}

    def run_session(self, unit, ctx):
        """Boot once for tests with the same kernel options that type monitor commands
        (or nothing): each test's commands are typed in turn, its MONITOR_END left out but
        for the last test's. Each test's output is the boot's up to the first prompt, then
        from the prompt of its first command to that of the next test's; its time limit
        counts from each of its prompts. ({test: Result} for those whose turn came, the
        serial log, the tests nothing was typed before.) Until something is typed, the boot
        is the one each test would have alone: if the kernel stopped before that, its end
        is every test's, and stands (tests that type nothing always share it whole)."""
        inputs, firsts, limits = [], [], []
        for k, t in enumerate(unit):
            firsts.append(len(inputs))
            mine = t.inputs if k == len(unit) - 1 else t.inputs[:-1]
            inputs += mine
            limits += [t.timeout] * len(mine)
        log = self.shared_log(unit, ctx)
        prompt = unit[0].prompt
        if inputs:
            run = self.boot(unit[0], unit[0].cmdline, log, ctx,
                            sum(t.timeout for t in unit) + 10,
                            segments=(prompt.encode(), limits), inputs=inputs)
        else:
            run = self.boot(unit[0], unit[0].cmdline, log, ctx, unit[0].timeout)
        text = run.text()
        if run.typed == 0:
            return ({t: self.shared_result(t, text, run, run.seconds, ctx) for t in unit},
                    log, set(unit))
        # Where each prompt ends: the i-th input was typed there.
        prompts, at = [], text.find(prompt)
        while at >= 0:
            prompts.append(at + len(prompt))
            at = text.find(prompt, at + 1)
        results = {}
        for k, t in enumerate(unit):
            if run.typed <= firsts[k]:
                break  # the kernel died before this test's first command
            last = k + 1 == len(unit) or run.typed <= firsts[k + 1]
            end = len(text) if last else prompts[firsts[k + 1]] - len(prompt)
            output = text[:prompts[0]] + text[prompts[firsts[k]]:max(end, prompts[firsts[k]])]
            results[t] = self.shared_result(t, output, run if last else Continued,
                                            run.seconds / len(unit), ctx)
        return results, log, {unit[0]}

    def classify(self, r, run, ctx):
        t = r.test
        out = Output(r.output, ctx)
        panicked = any(PANIC_RE.search(l) for l in out.lines)
        powered_off = (run is Continued
                       or any(l.startswith(POWEROFF_LINE) for l in out.lines))
        if run.exit_code not in (0, 1) and not r.output and not run.timed_out:
            r.status = "NOSTART"
            r.details.append("QEMU failed to start (exit %s): %s" % (
                run.exit_code, run.stderr.decode("utf-8", "replace").strip()[:500]))
            return
        if run.flooded:
            r.details.append("the kernel printed more than %d MiB; the run was stopped there"
                             % (MAX_OUTPUT >> 20))
            return
        if panicked and not t.expect_panic:
            r.status = "PANIC"
            r.details += ["kernel panicked: " + l.strip() for l in out.lines if PANIC_RE.search(l)][:1]
        elif run.idled:
            r.status = "TIMEOUT"
            r.details.append("timed out: for %ds the kernel printed nothing and sat idle (every "
                             "process asleep and nothing to wake them?); stopped there, before "
                             "the test's %ds" % (IDLE_STOP, t.timeout)
                             + (" (seconds of the guest's own clock: QEMU counted instructions, "
                                "and an idle guest's clock ran ahead)"
                                if t.icount is not None else ""))
        elif run.timed_out:
            r.status = "TIMEOUT"
            r.details.append("timed out after %ds: the kernel neither finished nor powered off"
                             % t.timeout)
        elif not powered_off and not panicked:
            r.status = "RESET"
            r.details.append("QEMU exited without the kernel powering off: a triple fault "
                             "(or reset) is the usual cause; try `make qemu-nox QEMUEXTRA='-d int,cpu_reset'`")
        problems = self.match(t, out)
        if r.status == "FAIL" and not problems:
            r.status = "OK"
        r.details += problems

    def match(self, t, out):
        problems = []
        i = 0
        for rx in t.expect:
            while i < len(out.lines) and not rx.search(out.lines[i]):
                i += 1
            if i == len(out.lines):
                problems.append("expected line missing: /%s/" % rx.pattern)
                break
            i += 1
        for rx in t.forbid:
            for l in out.lines:
                if rx.search(l):
                    problems.append("unwanted line appeared: %s" % l.strip())
                    break
        problems += self.match_verdicts(t, out)
        if t.check and not problems:
            try:
                t.check(out)
            except Fail as e:
                problems.append(str(e))
            except Exception as e:  # a malformed output the check did not foresee
                problems.append("could not check the output (%s: %s)" % (type(e).__name__, e))
        return problems

    def match_verdicts(self, t, out):
        """The problems with t's verdicts: each must match, in order, a line whose tag is
        valid for this run's token."""
        i, n = 0, len(out.lines)
        for rx in t.verdicts:
            while i < n and not (out.signed[i] and rx.search(out.lines[i])):
                i += 1
            if i < n:
                i += 1
                continue
            unsigned = [raw for raw, ok in zip(out.raw_lines, out.signed)
                        if not ok and (rx.search(raw) or rx.search(split_tag(raw)[0]))]
            if unsigned:
                return ["verdict line without a valid grading token: %s (printed by something "
                        "other than the test program?)" % unsigned[0].strip()]
            return ["expected verdict line missing: /%s/" % rx.pattern]
        return []

    # -- the whole run -----------------------------------------------------------------

    def main(self, argv=None):
        ap = argparse.ArgumentParser(description="Grade Sparrow lab %d." % self.lab)
        ap.add_argument("--tree", default=TREE, help="source tree to grade (default: this one)")
        ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="tests to run at once (default: number of cores)")
        ap.add_argument("--json", metavar="FILE", help="write Gradescope-format results here")
        ap.add_argument("--only", metavar="REGEX", help="run only tests whose name matches")
        ap.add_argument("--logdir", help="where to keep serial logs (default: obj/grade/labN)")
        ap.add_argument("--token", help=argparse.SUPPRESS)
        ap.add_argument("--build-timeout", type=int, default=0, metavar="SECONDS",
                        help="give up on a build that takes longer (default: no limit)")
        ap.add_argument("--quiet", action="store_true", help="print only the score line")
        args = ap.parse_args(argv)
        results = self.grade(args)
        total = sum(r.score for r in results)
        possible = sum(r.test.points for r in results)
        print("Score: %d/%d" % (total, possible))
        if args.json:
            write_json(args.json, results, output=self.summary)
        return 0 if total == possible else 1

    def grade(self, args):
        tree = os.path.abspath(args.tree)
        tests = [t for t in self.tests if not args.only or re.search(args.only, t.name)]
        logdir = args.logdir or os.path.join(tree, "obj", "grade", "lab%d" % self.lab)
        os.makedirs(logdir, exist_ok=True)
        self.summary = None
        ok, text = self.build(tree, self.lab, getattr(args, "build_timeout", 0))
        if not ok:
            results = []
            for t in tests:
                r = Result(t)
                r.status = "BUILD"
                r.details = ["the kernel did not build"]
                results.append(r)
            log = "\n".join("    " + l for l in text.splitlines()[-30:])
            self.summary = "Build failed (make LAB=%d iso):\n%s" % (self.lab, log)
            print(self.summary)
            for r in results:
                print("%s: FAIL (build failed)" % r.test.name)
            return results
        iso_src = subprocess.run(["make", "-s", "--no-print-directory", "-C", tree,
                                  "LAB=%d" % self.lab, "print-iso"],
                                 stdout=subprocess.PIPE, check=True).stdout.decode().strip()
        scratch = tempfile.mkdtemp(prefix="sparrow-grade-")
        try:
            # A private copy of the ISO, so a rebuild (or a student's make qemu) mid-run
            # cannot change what later tests boot.
            iso = os.path.join(scratch, "sparrow.iso")
            shutil.copyfile(os.path.join(tree, iso_src), iso)
            # A fresh token for every run: see "Grading tokens" at the top of this file.
            token = getattr(args, "token", None) or secrets.token_hex(8)
            ctx = {"tree": tree, "iso": iso, "logdir": logdir, "token": token,
                   "kernel": os.path.join(tree, os.path.dirname(iso_src), "kernel.elf")}
            for t in tests:
                if t.inputs_from:
                    t.inputs = t.inputs_from(ctx["kernel"])
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                units = self.batches(tests)
                futures = {t: f for u in units for f in [pool.submit(self.run_unit, u, ctx)]
                           for t in u}
                results = []
                for t in tests:
                    r = futures[t].result()[t]
                    results.append(r)
                    if not args.quiet:
                        report(r)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return results


BANNER = "Sparrow x86-64 teaching kernel (lab %d checkpoint)"
# What a kernel shows when it has booted as far as it can: the monitor's or the shell's
# prompt, or the power-off line (a self-test's end).
BOOTED_RE = re.compile(r"(^|\n)(K> |\$ )|" + re.escape(POWEROFF_LINE))


# ---------------------------------------------------------------------------------------
# What graders share: the first program's command line, init's last lines, verdict lines,
# and musl programs compared with Linux.

def program(name, args=""):
    """The kernel command line that makes NAME (with ARGS) the first program."""
    return 'init="/bin/%s%s"' % (name, " " + args if args else "")


def init_end(name, status=0):
    """init's last lines (lab 5 on) once NAME has ended with STATUS and every child is gone."""
    return [r"^init: %s exited with status %d$" % (re.escape(name), status),
            r"^init: no processes left$"]


def oks(prefix, *whats):
    """Verdict lines "PREFIX: WHAT...: OK", each WHAT the start of a check, given literally."""
    return [r"^%s: %s.*: OK$" % (prefix, re.escape(w)) for w in whats]


def linux_output(ctx, prog, args="", scratch=True):
    """What the musl program PROG (the same binary the ramdisk has as /bin/musl-PROG) prints
    when it runs on this Linux machine, in a fresh temporary folder; with SCRATCH its first
    argument is a path in that folder, as Sparrow's test gives it one."""
    binary = os.path.realpath(os.path.join(os.path.dirname(ctx["kernel"]), "musl", prog))
    with tempfile.TemporaryDirectory() as tmp:
        argv = [binary] + ([os.path.join(tmp, "scratch")] if scratch else []) + shlex.split(args)
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, cwd=tmp, timeout=60)
    return p.stdout.decode("utf-8", "replace").splitlines()


def same_as_linux(prog, args="", scratch=True, select=None, min_lines=1):
    """A check: the lines of musl-PROG's output that SELECT matches (a regex; by default those
    starting "musl-PROG: ") are those the same binary prints on Linux, which must have run to
    its "musl-PROG: done" line and printed at least MIN_LINES of them."""
    pick = re.compile(select or r"^musl-%s: " % re.escape(prog))
    done = "musl-%s: done" % prog

    def check(out):
        host = linux_output(out.ctx, prog, args, scratch)
        want = [l for l in host if pick.search(l)]
        if done not in host or len(want) < min_lines:
            raise Fail("musl-%s did not run to its end on Linux (%d lines, the last: %s)"
                       % (prog, len(want), host[-1] if host else "none"))
        got = [l for l in out.lines if pick.search(l)]
        for i, (w, s) in enumerate(zip(want, got)):
            if w != s:
                raise Fail("line %d differs from Linux: Sparrow says `%s`, Linux `%s`"
                           % (i + 1, s, w))
        if len(got) != len(want):
            raise Fail("Sparrow printed %d lines, Linux %d; the first missing: `%s`"
                       % (len(got), len(want), want[len(got)] if len(got) < len(want)
                          else got[len(want)]))
    return check


def boot_check(tree, lab, logdir, timeout=60):
    """Boot the ISO already built in tree (make LAB=lab iso), as `make qemu-nox` would, and
    say whether it booted: its banner for this lab, then a prompt (or a power-off) without
    a reset. Returns None, or what went wrong in one line."""
    iso = subprocess.run(["make", "-s", "--no-print-directory", "-C", tree, "LAB=%d" % lab,
                          "print-iso"], stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    cmd = qemu_command(tree, lab, os.path.join(tree, iso)) + [
        "-display", "none", "-serial", "stdio", "-monitor", "none"]
    banner = BANNER % lab
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, "boot-lab%d.log" % lab)
    booted = re.escape(banner) + r"[\s\S]*(" + BOOTED_RE.pattern + ")"
    run = Run(cmd, log, [], timeout, stop_when=booted)
    run.run()
    text = run.text()
    # A kernel that powers off may be gone before the run looks at its last lines.
    if run.stopped or re.search(booted, text):
        return None
    if run.exit_code not in (0, 1) and not text and not run.timed_out:
        return "QEMU did not start: %s" % run.stderr.decode("utf-8", "replace").strip()[:300]
    if banner not in text:
        return "no '%s' line (the kernel did not start; serial log: %s)" % (banner, log)
    if run.timed_out:
        return "no prompt within %d seconds after the banner (serial log: %s)" % (timeout, log)
    return "QEMU stopped before a prompt: a triple fault or a reset? (serial log: %s)" % log


STATUS_WORDS = {"OK": "OK", "FAIL": "FAIL", "TIMEOUT": "FAIL (timeout)",
                "PANIC": "FAIL (kernel panic)", "RESET": "FAIL (triple fault or reset)",
                "NOSTART": "FAIL (QEMU did not start)", "BUILD": "FAIL (build failed)"}


def serial_tail(text, n=20, width=300):
    """The last n lines of serial output, each cut to width characters."""
    lines = text.replace("\r", "").split("\n")[-n:]
    return [l if len(l) <= width else l[:width] + "... (%d more characters)" % (len(l) - width)
            for l in lines]


def report(r):
    print("%s: %s (%.1fs)" % (r.test.name, STATUS_WORDS[r.status], r.seconds), flush=True)
    if r.note:
        print("    note: " + r.note)
    if r.status == "OK":
        return
    for d in r.details:
        print("    " + d)
    tail = serial_tail(r.output.rstrip("\r\n"))
    print("    last %d lines of serial output (all of it: %s):" % (len(tail), os.path.relpath(r.log)))
    for l in tail:
        print("      | " + l)
    sys.stdout.flush()


def write_json(path, results, output=None):
    """Gradescope's autograder results format (plus "max_score" at the top, and each
    test's grader status and run time in its "extra_data"); output, if given, is the text
    for the whole submission (the build log when the build failed)."""
    tests = []
    for r in results:
        out = "%s: %s" % (r.test.name, STATUS_WORDS[r.status])
        if r.details:
            out += "\n" + "\n".join(r.details)
        if r.status != "OK" and r.output:
            out += "\n--- last serial lines ---\n" + "\n".join(serial_tail(r.output))
        tests.append({"name": r.test.name, "score": r.score, "max_score": r.test.points,
                      "output": out,
                      "extra_data": {"status": r.status, "seconds": round(r.seconds, 2)}})
    data = {"score": sum(r.score for r in results),
            "max_score": sum(r.test.points for r in results),
            "tests": tests}
    if output:
        data["output"] = output
    with open(path, "w") as f:
        json.dump(data, f, indent=2)
