/*
 * sigpipe: a write to a pipe that has no reader left sends the writer SIGPIPE, as on
 * Linux: by default it kills (a writer blocked on a full pipe too, when the last reader
 * goes), a handler runs and the write fails with EPIPE, and ignored or blocked it is just
 * EPIPE.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PIPE_BUF 4096

static volatile int runs, code, sender;

static void on_pipe(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	runs += sig == SIGPIPE;
	code = si->si_code;
	sender = si->si_pid;
}

/* A pipe whose read end is closed: its write end. */
static int broken_pipe(void)
{
	int p[2];
	pipe(p);
	close(p[0]);
	return p[1];
}

int main(void)
{
	check_prefix = "sigpipe";

	int w = broken_pipe();
	pid_t pid = fork();
	if (pid == 0) {
		write(w, "x", 1);
		exit(0);
	}
	int status = reap_within(pid, 500);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	      "by default, a write without readers kills the writer with SIGPIPE (status %#x)",
	      status);

	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	ssize_t n = write(w, "x", 1);
	check(n == -1 && errno == EPIPE, "with SIGPIPE ignored, the write fails with EPIPE");

	struct sigaction sa = { .sa_sigaction = on_pipe, .sa_flags = SA_SIGINFO };
	sigaction(SIGPIPE, &sa, NULL);
	errno = 0;
	n = write(w, "x", 1);
	check(n == -1 && errno == EPIPE && runs == 1 && code == SI_USER && sender == getpid(),
	      "with a handler, it runs once (si_code SI_USER, si_pid the writer) and the write "
	      "fails with EPIPE (runs %d, code %d)",
	      runs, code);

	sigset_t set = 1UL << (SIGPIPE - 1), pend = 0;
	sigprocmask(SIG_BLOCK, &set, NULL);
	errno = 0;
	n = write(w, "x", 1);
	int e = errno;
	sigpending(&pend);
	check(n == -1 && e == EPIPE && runs == 1 && (pend & set),
	      "blocked, the write fails with EPIPE and SIGPIPE stays pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(runs == 2, "and it runs the handler when unblocked");
	close(w);
	signal(SIGPIPE, SIG_DFL);

	/* A writer asleep on a full pipe when the last reader closes. */
	int p[2], ready[2];
	pipe(p);
	pipe(ready);
	pid = fork();
	if (pid == 0) {
		static char block[PIPE_BUF];
		close(p[0]);
		write(p[1], block, PIPE_BUF);
		write(ready[1], "f", 1); /* full */
		write(p[1], "y", 1);     /* blocks until the reader goes */
		exit(0);
	}
	close(p[1]);
	char c;
	read(ready[0], &c, 1);
	sleep_ticks(2);
	close(p[0]);
	status = reap_within(pid, 500);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
	      "a writer blocked on a full pipe is killed with SIGPIPE when the last reader "
	      "closes (status %#x)",
	      status);
	close(ready[0]);
	close(ready[1]);

	verdict("sigpipe: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
