#!/usr/bin/env python3
"""Unit tests for grade/gradelib.py: verdict tags and tokens, matching, limits, JSON.

No QEMU: a fake tree's GNUmakefile names a fake "QEMU" (a Python script) that prints what a
kernel would, so a whole grading run takes a fraction of a second. Run with
`python3 tools/test_gradelib.py`; the exit status is non-zero if a test fails.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))
import gradelib  # noqa: E402
from gradelib import Grader, Output, Test, verdict_tag  # noqa: E402

TOKEN = "0123456789abcdef"


def tagged(line, token=TOKEN):
    return "%s [%s]" % (line, verdict_tag(token, line))


def outcome(test, lines, token=TOKEN):
    """The problems Grader.match finds for test on these serial lines."""
    return Grader(3).match(test, Output("\r\n".join(lines) + "\r\n", {"token": token}))


class VerdictTag(unittest.TestCase):
    def test_known_value(self):
        # FNV-1a of "0123456789abcdef|hello: i am pid 1", worked out by hand from the
        # algorithm's definition (offset basis 2166136261, prime 16777619).
        h = 2166136261
        for b in b"0123456789abcdef|hello: i am pid 1":
            h = ((h ^ b) * 16777619) % (1 << 32)
        self.assertEqual(verdict_tag(TOKEN, "hello: i am pid 1"), "%08x" % h)
        self.assertRegex(verdict_tag(TOKEN, ""), r"^[0-9a-f]{8}$")

    def test_same_as_lib_verdict_c(self):
        """gradelib's tag and verdict_tag() in lib/user/verdict.c agree (compiled for the host)."""
        src = os.path.join(ROOT, "lib", "verdict.c")
        if not os.path.exists(src) or not shutil.which("gcc"):
            self.skipTest("lib/user/verdict.c or gcc missing")
        with open(src) as f:
            m = re.search(r"^uint32_t verdict_tag\(.*?^}\n", f.read(), re.S | re.M)
        self.assertTrue(m, "lib/user/verdict.c has no verdict_tag() function")
        lines = ["hello: i am pid 1", "", "evilhello: write = -1, errno 14 (EFAULT)",
                 "caf\u00e9 \u2713"]
        main = "int main(void)\n{\n" + "".join(
            '\tprintf("%%08x\\n", verdict_tag("%s", "%s"));\n'
            % (TOKEN, "".join("\\x%02x" % b for b in l.encode())) for l in lines) + "}\n"
        with tempfile.TemporaryDirectory() as tmp:
            c = os.path.join(tmp, "t.c")
            with open(c, "w") as f:
                f.write("#include <stdint.h>\n#include <stdio.h>\n" + m.group(0) + main)
            subprocess.run(["gcc", "-o", os.path.join(tmp, "t"), c], check=True)
            out = subprocess.run([os.path.join(tmp, "t")], stdout=subprocess.PIPE,
                                 check=True).stdout.decode().split()
        self.assertEqual(out, [verdict_tag(TOKEN, l) for l in lines])


class Matching(unittest.TestCase):
    def test_valid_tags_are_removed_before_matching(self):
        out = Output(tagged("hello: i am pid 1") + "\nplain line\n", {"token": TOKEN})
        self.assertEqual(out.lines[:2], ["hello: i am pid 1", "plain line"])
        self.assertEqual(out.signed[:2], [True, False])
        self.assertEqual(out.verdicts(), ["hello: i am pid 1"])
        self.assertEqual(out.raw_lines[0], tagged("hello: i am pid 1"))

    def test_expect_and_forbid_see_tagged_lines_without_the_tag(self):
        t = Test("t", 5, expect=[r"^hello: i am pid \d+$"], forbid=[r"pid 1$"])
        problems = outcome(t, [tagged("hello: i am pid 1")])
        self.assertEqual(problems, ["unwanted line appeared: hello: i am pid 1"])

    def test_verdicts_pass_with_valid_tags_in_order(self):
        t = Test("t", 5, verdicts=[r"^a: one$", r"^b: two$"])
        self.assertEqual(outcome(t, ["noise", tagged("a: one"), "x", tagged("b: two")]), [])

    def test_verdicts_are_ordered(self):
        t = Test("t", 5, verdicts=[r"^a: one$", r"^b: two$"])
        problems = outcome(t, [tagged("b: two"), tagged("a: one")])
        self.assertEqual(problems, ["expected verdict line missing: /^b: two$/"])

    def test_untagged_verdict_line_does_not_count(self):
        t = Test("t", 5, verdicts=[r"^hello: i am pid 1$"])
        problems = outcome(t, ["hello: i am pid 1"])
        self.assertEqual(problems, [
            "verdict line without a valid grading token: hello: i am pid 1 (printed by "
            "something other than the test program?)"])

    def test_tag_of_another_token_does_not_count(self):
        """A line replayed from an earlier run's log carries that run's tag."""
        t = Test("t", 5, verdicts=[r"^hello: i am pid 1$"], expect=[r"^hello: i am pid 1"])
        old = tagged("hello: i am pid 1", token="feedfacefeedface")
        problems = outcome(t, [old])
        self.assertEqual(len(problems), 1)
        self.assertIn("without a valid grading token: " + old, problems[0])

    def test_tag_of_another_line_does_not_count(self):
        forged = "hello: i am pid 1 [%s]" % verdict_tag(TOKEN, "hello: i am pid 2")
        self.assertIn("without a valid grading token",
                      outcome(Test("t", 5, verdicts=[r"pid 1$"]), [forged])[0])

    def test_missing_verdict(self):
        self.assertEqual(outcome(Test("t", 5, verdicts=[r"^done$"]), ["other"]),
                         ["expected verdict line missing: /^done$/"])

    def test_no_token_means_no_verdict(self):
        line = tagged("a: one")
        self.assertIn("without a valid grading token",
                      outcome(Test("t", 5, verdicts=[r"^a: one$"]), [line], token=None)[0])

    def test_check_functions_see_lines_without_tags(self):
        seen = []
        t = Test("t", 5, check=lambda out: seen.extend(out.verdicts()))
        self.assertEqual(outcome(t, [tagged("x: 1"), "y: 2"]), [])
        self.assertEqual(seen, ["x: 1"])


# A fake tree: `make iso` makes an empty ISO, and "QEMU" is fakeqemu.py, which behaves as
# the kernel option mode= says: honest (a test program's tagged verdicts), cheat (the same
# lines without tags), replay (tagged for another token), flood, hang, monitor (a monitor
# whose commands print "CMD: fine", or "CMD: broken" once `break` was typed; `die` panics;
# boot=die panics before the first prompt).
FAKE_MAKEFILE = """\
iso:
\t@mkdir -p obj && touch obj/sparrow.iso$(if $(BREAK), && echo 'kern/x.c: error: broken' && false)
print-iso:
\t@echo obj/sparrow.iso
print-qemu:
\t@printf '%s\\n' {python} $(CURDIR)/fakeqemu.py -fw_cfg 'name=opt/sparrow/cmdline,string=$(CMDLINE)'
"""

FAKE_QEMU = """\
import os, re, sys, time
sys.path.insert(0, {grade!r})
from gradelib import verdict_tag
cmdline = [a for a in sys.argv if a.startswith("name=opt/sparrow/cmdline,string=")][0]
opts = dict(o.partition("=")[::2] for o in cmdline.split("string=", 1)[1].split()
            if "=" in o)
mode = opts.get("mode", "honest")
print("Command line:", cmdline.split("string=", 1)[1])
with open(os.path.join(os.path.dirname(sys.argv[0]), "boots"), "a") as f:
    f.write(cmdline + "\\n")
if mode == "monitor":
    print("boot: fine")
    if opts.get("boot") == "die":
        print("kernel panic at kern/x.c:1: broken")
        sys.exit(0)
    broken = False
    while True:
        sys.stdout.write("K> ")
        sys.stdout.flush()
        cmd = sys.stdin.readline().strip()
        print(cmd)
        if cmd == "poweroff":
            print("Sparrow: powering off.")
            sys.exit(0)
        if cmd == "die":
            print("kernel panic at kern/x.c:1: broken")
            sys.exit(0)
        broken = broken or cmd == "break"
        print("%s: %s" % (cmd, "broken" if broken else "fine"))
init = re.search(r'init="([^"]*)"', cmdline)
if init:
    # init running programs in turn: ok (passes), flaky (passes only first in a boot),
    # bad (fails), die (the kernel panics), hang.
    progs = init.group(1).split(" ; ")
    for i, prog in enumerate(progs):
        name = prog.split()[0].rsplit("/", 1)[1]
        if len(progs) > 1:
            print("init: running " + prog, flush=True)
        if name == "die":
            print("kernel panic at kern/x.c:1: broken")
            break
        if name == "hang":
            time.sleep(60)
        line = name + ": fine"
        if name == "bad" or (name == "flaky" and i > 0):
            print(line)
        else:
            print("%s [%s]" % (line, verdict_tag(opts["token"], line)))
        print("init: %s exited with status 0" % name)
        print("init: no processes left")
    print("Sparrow: powering off.")
    sys.exit(0)
if mode == "flood":
    while True:
        sys.stdout.write("x" * 4096 + "\\n")
if mode == "hang":
    import time
    time.sleep(60)
for line in ["hello: i am pid 1", "hello: argv[0] = 'hello'"]:
    if mode == "honest":
        print("%s [%s]" % (line, verdict_tag(opts["token"], line)))
    elif mode == "replay":
        print("%s [%s]" % (line, verdict_tag("feedfacefeedface", line)))
    else:
        print(line)
print("Sparrow: powering off.")
"""


class QemuCommand(unittest.TestCase):
    """The graders take QEMU's whole command line from the GNUmakefile, quoting included."""

    def test_kernel_options_with_spaces_quotes_and_commas(self):
        cmdline = 'token=ab onpanic=poweroff init="/bin/hello a  b" x=1,2 it\'s $(HOME) $$x'
        cmd = gradelib.qemu_command(ROOT, 1, "/tmp/a.iso", 64, cmdline)
        self.assertEqual(cmd[0], "qemu-system-x86_64")
        self.assertEqual(cmd[-2:], ["-fw_cfg", "name=opt/sparrow/cmdline,string=token=ab "
                                    'onpanic=poweroff init="/bin/hello a  b" x=1,,2 it\'s '
                                    "$(HOME) $$x"])
        self.assertTrue(any(a.startswith("file=/tmp/a.iso,") for a in cmd), cmd)
        self.assertEqual(cmd[cmd.index("-m") + 1], "64")

    def test_without_options_there_is_no_fw_cfg(self):
        self.assertNotIn("-fw_cfg", gradelib.qemu_command(ROOT, 1, "x.iso"))


class FakeRuns(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test-gradelib-")
        self.tree = os.path.join(self.tmp, "tree")
        os.makedirs(self.tree)
        with open(os.path.join(self.tree, "GNUmakefile"), "w") as f:
            f.write(FAKE_MAKEFILE.format(python=sys.executable))
        with open(os.path.join(self.tree, "fakeqemu.py"), "w") as f:
            f.write(FAKE_QEMU.format(grade=os.path.join(ROOT, "grade")))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def grade(self, *extra):
        g = Grader(3)
        verdicts = [r"^hello: i am pid 1$", r"^hello: argv\[0\] = 'hello'$"]
        for mode in ("honest", "cheat", "replay"):
            g.test(mode, 10, cmdline="mode=" + mode, verdicts=verdicts,
                   expect=[r"^hello: i am pid 1"])
        g.test("flood", 1, cmdline="mode=flood", timeout=20)
        g.test("hang", 1, cmdline="mode=hang", timeout=1)
        out_json = os.path.join(self.tmp, "r.json")
        argv = ["--tree", self.tree, "--json", out_json, "--logdir",
                os.path.join(self.tmp, "logs"), "--quiet", "-j", "5"] + list(extra)
        old_max = gradelib.MAX_OUTPUT
        gradelib.MAX_OUTPUT = 1 << 20
        try:
            devnull = open(os.devnull, "w")
            stdout, sys.stdout = sys.stdout, devnull
            try:
                g.main(argv)
            finally:
                sys.stdout = stdout
                devnull.close()
        finally:
            gradelib.MAX_OUTPUT = old_max
        with open(out_json) as f:
            return json.load(f)

    def test_only_the_honest_program_passes(self):
        data = self.grade()
        scores = {t["name"]: t["score"] for t in data["tests"]}
        self.assertEqual(scores, {"honest": 10, "cheat": 0, "replay": 0, "flood": 0, "hang": 0})
        out = {t["name"]: t["output"] for t in data["tests"]}
        self.assertIn("verdict line without a valid grading token: hello: i am pid 1 (",
                      out["cheat"])
        self.assertIn("verdict line without a valid grading token: hello: i am pid 1 [",
                      out["replay"])
        self.assertIn("printed more than 1 MiB", out["flood"])
        self.assertLess(len(out["flood"]), 20000)   # serial lines are cut in reports
        self.assertIn("timed out after 1s", out["hang"])
        self.assertLessEqual(os.path.getsize(os.path.join(self.tmp, "logs", "flood.log")), 1 << 20)

    def test_every_run_has_a_fresh_token(self):
        tokens = set()
        for _ in range(2):
            self.grade("--only", "honest")
            with open(os.path.join(self.tmp, "logs", "honest.log")) as f:
                tokens.add(re.search(r"token=([0-9a-f]+)", f.read()).group(1))
        self.assertEqual(len(tokens), 2)
        self.assertTrue(all(len(t) == 16 for t in tokens))

    def test_results_json(self):
        data = self.grade("--only", "honest|cheat")
        self.assertEqual((data["score"], data["max_score"]), (10, 20))
        for t in data["tests"]:
            self.assertEqual(set(t), {"name", "score", "max_score", "output", "extra_data"})
            self.assertIn(t["extra_data"]["status"], ("OK", "FAIL"))
        self.assertNotIn("output", data)

    def test_build_failure_reports_the_log(self):
        with open(os.path.join(self.tree, "GNUmakefile"), "a") as f:
            f.write("BREAK := 1\n")
        data = self.grade("--only", "honest")
        self.assertEqual(data["score"], 0)
        self.assertEqual(data["tests"][0]["extra_data"]["status"], "BUILD")
        self.assertIn("kern/x.c: error: broken", data["output"])

    def grade_programs(self, progs, timeout=10):
        """Grade tests running the fake init's programs progs (lab 5: they may share a
        boot); ({test name: (status, log text)}, the fake QEMU's command lines)."""
        g = Grader(5)
        for i, prog in enumerate(progs):
            g.test("%d %s" % (i, prog), 1, cmdline='init="/bin/%s"' % prog, timeout=timeout,
                   verdicts=[r"^%s: fine$" % prog], expect=gradelib.init_end(prog))
        return self.run_grader(g)

    def run_grader(self, g):
        """Grade the fake tree with g, one test at a time; ({test name: (status, log
        text)}, the fake QEMU's command lines)."""
        out_json = os.path.join(self.tmp, "r.json")
        devnull = open(os.devnull, "w")
        stdout, sys.stdout = sys.stdout, devnull
        try:
            g.main(["--tree", self.tree, "--json", out_json, "--logdir",
                    os.path.join(self.tmp, "logs"), "-j", "1"])
        finally:
            sys.stdout = stdout
            devnull.close()
        with open(out_json) as f:
            data = json.load(f)
        results = {}
        for t in data["tests"]:
            with open(os.path.join(self.tmp, "logs", gradelib.log_name(t["name"]))) as f:
                results[t["name"]] = (t["extra_data"]["status"], f.read())
        with open(os.path.join(self.tree, "boots")) as f:
            return results, f.read().splitlines()

    def test_tests_share_a_boot(self):
        results, boots = self.grade_programs(["ok"] * (gradelib.BATCH_MAX + 2))
        self.assertEqual(len(boots), 2)   # at most BATCH_MAX tests in a boot
        self.assertIn('init="%s"' % " ; ".join(["/bin/ok"] * gradelib.BATCH_MAX), boots[0])
        for name, (status, log) in results.items():
            self.assertEqual(status, "OK", name)
            # Each test's log is the boot's start and its own program's part.
            self.assertEqual(log.count("init: running"), 1, log)
            self.assertEqual(log.count("init: no processes left"), 1, log)

    def test_a_test_failing_in_a_shared_boot_is_run_alone(self):
        results, boots = self.grade_programs(["ok", "flaky", "bad"])
        self.assertEqual([s for s, _ in results.values()], ["OK", "OK", "FAIL"])
        self.assertEqual(len(boots), 3)   # the shared boot, then flaky and bad alone
        self.assertNotIn("init: running", results["1 flaky"][1])
        self.assertNotIn("init: running", results["2 bad"][1])

    def test_the_first_test_of_a_boot_is_not_run_again(self):
        results, boots = self.grade_programs(["bad", "ok"])
        self.assertEqual([s for s, _ in results.values()], ["FAIL", "OK"])
        self.assertEqual(len(boots), 1)   # nothing ran before it: its failure is its own

    def test_the_tests_after_a_crash_run_alone(self):
        results, boots = self.grade_programs(["ok", "die", "ok"])
        self.assertEqual([s for s, _ in results.values()], ["OK", "PANIC", "OK"])
        self.assertEqual(len(boots), 3)

    def test_each_test_in_a_shared_boot_has_its_own_time_limit(self):
        start = time.monotonic()
        results, boots = self.grade_programs(["hang", "ok"], timeout=1)
        self.assertEqual([s for s, _ in results.values()], ["TIMEOUT", "OK"])
        self.assertEqual(len(boots), 2)   # the shared boot, stopped at 1 s, then ok alone
        self.assertLess(time.monotonic() - start, 8)   # not the boot's 2 s + 10

    def grade_monitor(self, tests, cmdline="mode=monitor"):
        """Grade tests typing monitor commands, each given as (commands, lines it expects);
        ({test name: (status, log text)}, the fake QEMU's command lines)."""
        g = Grader(2)
        for i, (commands, expect) in enumerate(tests):
            g.test("%d %s" % (i, " ".join(commands)), 1, cmdline=cmdline,
                   inputs=list(commands) + ["poweroff"], expect=expect,
                   forbid=[r": broken$"])
        return self.run_grader(g)

    def test_monitor_tests_share_a_session(self):
        results, boots = self.grade_monitor([
            (["a", "b"], [r"^boot: fine$", r"^a: fine$", r"^b: fine$"]),
            ([], [r"^boot: fine$", r"K> $"]),
            (["c"], [r"^boot: fine$", r"^K> c$", r"^c: fine$"])])
        self.assertEqual(len(boots), 1)
        self.assertEqual([s for s, _ in results.values()], ["OK", "OK", "OK"])
        # Each test's log is the boot's start and its own commands' part.
        logs = [log.split("\n", 1)[1] for _, log in results.values()]   # after "Command line:"
        self.assertEqual(logs[0], "boot: fine\nK> a\na: fine\nK> b\nb: fine\n")
        self.assertEqual(logs[1], "boot: fine\nK> ")
        self.assertEqual(logs[2], "boot: fine\nK> c\nc: fine\nK> poweroff\n"
                                  "Sparrow: powering off.\n")

    def test_a_test_failing_in_a_session_is_run_alone(self):
        results, boots = self.grade_monitor([(["break"], []), (["a"], [r"^a: fine$"])])
        self.assertEqual([s for s, _ in results.values()], ["FAIL", "OK"])
        self.assertEqual(len(boots), 2)   # the session, then the second test alone
        self.assertNotIn("break", results["1 a"][1])

    def test_the_tests_after_a_panic_in_a_session_run_alone(self):
        results, boots = self.grade_monitor([(["die"], []), (["a"], [r"^a: fine$"])])
        self.assertEqual([s for s, _ in results.values()], ["PANIC", "OK"])
        self.assertEqual(len(boots), 2)

    def test_a_panic_before_anything_is_typed_is_every_tests_end(self):
        # Nothing typed yet: each test's boot alone would be this one.
        results, boots = self.grade_monitor([(["a"], [r"^a: fine$"]), (["b"], [r"^b: fine$"])],
                                            cmdline="mode=monitor boot=die")
        self.assertEqual([s for s, _ in results.values()], ["PANIC", "PANIC"])
        self.assertEqual(len(boots), 1)

    def test_tests_that_type_nothing_share_their_boot(self):
        g = Grader(3)
        g.test("a", 1, cmdline="mode=honest", expect=[r"^hello: i am pid 1"])
        g.test("b", 1, cmdline="mode=honest", expect=[r"^goodbye"])
        g.test("c", 1, cmdline="mode=cheat", expect=[r"^hello: i am pid 1"])
        self.assertEqual([[t.name for t in u] for u in g.batches(g.tests)],
                         [["a", "b"], ["c"]])
        results, boots = self.run_grader(g)
        self.assertEqual([s for s, _ in results.values()], ["OK", "FAIL", "OK"])
        self.assertEqual(len(boots), 2)   # b's failure is its own boot's

    def test_what_shares_a_boot(self):
        def key(lab, **kw):
            return gradelib.batch_key(gradelib.Test("t", 1, **kw), lab)
        self.assertEqual(key(5, cmdline='init="/bin/a"')[0], "init")
        self.assertEqual(key(3, cmdline='init="/bin/a"')[0], "alike")
        self.assertEqual(key(2, inputs=["help", "poweroff"])[0], "monitor")
        # A program stopped at the monitor: commands change what the next test finds.
        self.assertIsNone(key(3, cmdline='init="/bin/a"', inputs=["continue", "poweroff"]))
        self.assertIsNone(key(2, inputs=["help"]))           # does not end the session
        self.assertIsNone(key(5, inputs=["ls", "poweroff"], prompt="$ "))
        self.assertIsNone(key(2, inputs=[gradelib.Keys("x", after="K> ")]))
        self.assertIsNone(key(2, monitor=[("K> ", "nmi")]))

    def test_build_timeout(self):
        with open(os.path.join(self.tree, "GNUmakefile"), "w") as f:
            f.write("iso:\n\tsleep 30\n")
        start = time.monotonic()
        ok, text = Grader(3).build(self.tree, 3, timeout=1)
        self.assertFalse(ok)
        self.assertIn("did not finish within 1 seconds", text)
        self.assertLess(time.monotonic() - start, 10)

# A "QEMU" that serves QMP at the path of its -qmp option, with a real-time clock whose date
# runs RATE times as fast as the wall clock, prints a line, is silent for 3 s, then prints
# another and exits.
CLOCK_QEMU = """\
import json, socket, sys, threading, time
path = sys.argv[sys.argv.index("-qmp") + 1].split(",")[0][len("unix:"):]
rate = float(sys.argv[-1])
start = time.time()
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)

def serve():
    while True:
        conn, _ = server.accept()
        f = conn.makefile("rwb")
        f.write(b'{"QMP": {"version": {}, "capabilities": []}}\\r\\n')
        f.flush()
        for line in f:
            cmd = json.loads(line)
            if cmd["execute"] == "qom-get":
                t = time.gmtime(start + rate * (time.time() - start))
                reply = {"tm_year": t.tm_year - 1900, "tm_mon": t.tm_mon - 1,
                         "tm_mday": t.tm_mday, "tm_hour": t.tm_hour, "tm_min": t.tm_min,
                         "tm_sec": t.tm_sec}
            else:
                reply = {}
            f.write(json.dumps({"event": "X"}).encode() + b"\\r\\n")
            f.write(json.dumps({"return": reply}).encode() + b"\\r\\n")
            f.flush()

threading.Thread(target=serve, daemon=True).start()
print("started", flush=True)
time.sleep(3)
print("woke", flush=True)
"""


class GuestClockIdle(unittest.TestCase):
    """Under icount, a run whose guest clock races ahead in silence (the guest idles) ends
    within a second or so; one whose clock keeps the wall clock's pace (the guest computes)
    is left to run."""

    def run_clock(self, rate):
        tmp = tempfile.mkdtemp(prefix="test-gradelib-")
        try:
            fake = os.path.join(tmp, "clockqemu.py")
            with open(fake, "w") as f:
                f.write(CLOCK_QEMU)
            qmp = os.path.join(tmp, "qmp")
            run = gradelib.Run([sys.executable, fake, "-qmp", "unix:%s,server=on,wait=off" % qmp,
                                str(rate)], os.path.join(tmp, "log"), [], 30, idle_stop=10,
                               guest_clock=gradelib.GuestClock(qmp))
            run.silence_is_idle = True
            run.run()
            return run
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_an_idle_guest_is_stopped_by_its_clock(self):
        run = self.run_clock(100)
        self.assertTrue(run.idled)
        self.assertIn("started", run.text())
        self.assertNotIn("woke", run.text())

    def test_a_computing_guest_runs_on(self):
        run = self.run_clock(1)
        self.assertFalse(run.idled)
        self.assertIn("woke", run.text())

    def test_no_qmp_answer_leaves_the_wall_clock_rule(self):
        clock = gradelib.GuestClock("/nonexistent/qmp")
        self.assertIsNone(clock.seconds())



if __name__ == "__main__":
    unittest.main(buffer=True)
