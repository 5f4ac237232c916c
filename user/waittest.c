/*
 * waittest: wait4 and its wrappers. WNOHANG before and after a child exits, waiting for
 * one particular child among several, ECHILD, exit statuses and signals decoded from the
 * wait status, signals that are ignored, and bad arguments.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

/* A child that sleeps `ticks` then exits with `code`; returns its pid. */
static pid_t child(long ticks, int code)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (ticks)
			sleep_ticks(ticks);
		exit(code);
	}
	if (pid < 0)
		check(false, "fork failed, errno %d", errno);
	return pid;
}

/* A child that spins until it is killed. */
static pid_t spinner(void)
{
	pid_t pid = fork();
	if (pid == 0)
		for (volatile long n = 0;; n++)
			;
	if (pid < 0)
		check(false, "fork failed, errno %d", errno);
	return pid;
}

/* Reap pid, waiting at most 300 ticks; returns what waitpid returned (0: still there). */
static pid_t reap(pid_t pid, int *status)
{
	long end = ticks_now() + 300;
	*status = 0;
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r != 0 || ticks_now() >= end)
			return r;
		sleep_ticks(1);
	}
}

static void expect_errno(const char *what, pid_t r, int want)
{
	check(r == -1 && errno == want, "%s fails with errno %d (returned %d, errno %d)", what,
	      want, r, errno);
	errno = 0;
}

/* Kill pid with sig and check that its wait status says so. */
/* A child that waits for a grandchild sleeping `ticks`, then exits 0. */
static pid_t waiter(long ticks)
{
	pid_t pid = fork();
	if (pid == 0) {
		child(ticks, 0);
		wait(NULL);
		exit(0);
	}
	if (pid < 0)
		check(false, "fork failed, errno %d", errno);
	return pid;
}

/* Kill pid with sig and check that its wait status says so, and that it died at once. */
static void kill_and_check(pid_t pid, int sig, const char *what)
{
	int status;
	sleep_ticks(2); /* let it get going: spinning, asleep, waiting */
	long t0 = ticks_now();
	int k = kill(pid, sig);
	pid_t r = reap(pid, &status);
	long took = ticks_now() - t0;
	check(k == 0 && r == pid && WIFSIGNALED(status) && !WIFEXITED(status) &&
	              WTERMSIG(status) == sig && took <= 50,
	      "%s killed with signal %d: WIFSIGNALED, WTERMSIG %d, dead within %ld ticks (at most "
	      "50; status %#x)",
	      what, sig, WTERMSIG(status), took, status);
}

int main(void)
{
	check_prefix = "waittest";
	int status;
	pid_t r;

	/* No children at all. */
	expect_errno("wait() without children", wait(&status), ECHILD);
	expect_errno("waitpid(-1, WNOHANG) without children", waitpid(-1, &status, WNOHANG),
	             ECHILD);
	expect_errno("waitpid(1, WNOHANG), not a child", waitpid(1, &status, WNOHANG), ECHILD);

	/* WNOHANG before and after the child exits. */
	pid_t c = child(10, 3);
	r = waitpid(c, &status, WNOHANG);
	check(r == 0, "WNOHANG while the child runs returns 0 (returned %d)", r);
	expect_errno("waitpid(pid that is not a child)", waitpid(c + 1000, &status, 0), ECHILD);
	r = waitpid(c, &status, 0);
	check(r == c && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	      "a blocking waitpid then returns it with exit status 3 (returned %d, status %#x)", r,
	      status);
	c = child(0, 4);
	sleep_ticks(10);
	r = waitpid(c, &status, WNOHANG);
	check(r == c && WIFEXITED(status) && WEXITSTATUS(status) == 4,
	      "WNOHANG after the child exited returns it with status 4 (returned %d, status %#x)",
	      r, status);

	/* One child among several: the others, already zombies, stay for later. */
	pid_t kids[3] = { child(1, 10), child(8, 11), child(2, 12) };
	r = waitpid(kids[1], &status, 0);
	check(r == kids[1] && WEXITSTATUS(status) == 11,
	      "waitpid(the middle one of 3) returns it, status 11 (returned %d, status %#x)", r,
	      status);
	int others = 0;
	for (int i = 0; i < 2; i++) {
		r = wait(&status);
		others += (r == kids[0] && WEXITSTATUS(status) == 10) ||
		          (r == kids[2] && WEXITSTATUS(status) == 12);
	}
	check(others == 2, "wait() then returns the other two with their statuses");
	expect_errno("wait() after all were reaped", wait(&status), ECHILD);

	/* Exit statuses: only the low 8 bits count. */
	static const int codes[][2] = { { 0, 0 },     { 1, 1 },       { 42, 42 },
		                        { 255, 255 }, { 256 + 7, 7 }, { -1, 255 } };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		c = child(0, codes[i][0]);
		r = waitpid(c, &status, 0);
		check(r == c && WIFEXITED(status) && !WIFSIGNALED(status) &&
		              WEXITSTATUS(status) == codes[i][1],
		      "exit(%d): WIFEXITED, WEXITSTATUS %d (status %#x)", codes[i][0], codes[i][1],
		      status);
	}

	/* Signals. */
	kill_and_check(child(1000, 0), SIGKILL, "a sleeping child");
	kill_and_check(spinner(), SIGTERM, "a spinning child");
	kill_and_check(child(1000, 0), SIGUSR1, "a sleeping child");
	kill_and_check(waiter(100), SIGKILL, "a child blocked in wait()");

	/* Signals whose default action is to do nothing: the child sleeps on and exits 5. */
	c = fork();
	if (c == 0)
		exit(sleep_ticks(5) == 0 ? 5 : 6);
	int k = kill(c, SIGCHLD) | kill(c, SIGCONT) | kill(c, SIGURG) | kill(c, SIGWINCH);
	r = reap(c, &status);
	check(k == 0 && r == c && WIFEXITED(status) && WEXITSTATUS(status) == 5,
	      "SIGCHLD, SIGCONT, SIGURG, SIGWINCH do not kill or wake a child (status %#x)",
	      status);
	expect_errno("kill(no such pid, SIGTERM)", kill(30000, SIGTERM), ESRCH);

	/* Bad arguments. */
	c = child(0, 0);
	r = waitpid(c, NULL, 0);
	check(r == c, "waitpid with a NULL status pointer works (returned %d)", r);
	expect_errno("waitpid with unknown options 0x1000", waitpid(-1, &status, 0x1000), EINVAL);
	c = child(0, 0);
	sleep_ticks(2);
	expect_errno("wait4 with status pointer 0x1", wait4(c, (int *)1, 0, NULL), EFAULT);
	r = waitpid(c, NULL, WNOHANG); /* reaped or not by the failed call: either is fine */
	check(r == c || (r == -1 && errno == ECHILD), "then the child is reaped (returned %d)", r);

	verdict("waittest: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
