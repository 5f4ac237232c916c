/*
 * sigrestart: system calls that sleep and a signal. A handler installed without SA_RESTART
 * makes a read on an empty pipe, a write to a full one and wait4 fail with EINTR; with
 * SA_RESTART each goes back to waiting and completes; a signal whose default action is to
 * ignore it interrupts nothing; nanosleep and pause fail with EINTR even with SA_RESTART,
 * as on Linux; a write that has moved some bytes returns that count, not EINTR.
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

static volatile int runs;

static void on_alarm(int sig)
{
	runs += sig == SIGALRM;
}

static void handle(bool restart)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0 };
	sigaction(SIGALRM, &sa, NULL);
	runs = 0;
}

/* SIGALRM in `ms` milliseconds. */
static void alarm_in(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, ms % 1000 * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* A child that writes `what` into fd after `ticks`. */
static pid_t late_writer(int fd, const char *what, long ticks)
{
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ticks(ticks);
		write(fd, what, strlen(what));
		exit(0);
	}
	return pid;
}

static void reads(void)
{
	for (int restart = 0; restart < 2; restart++) {
		int p[2];
		pipe(p);
		handle(restart);
		pid_t pid = late_writer(p[1], "late", 30);
		alarm_in(50);
		char buf[8] = "";
		errno = 0;
		ssize_t n = read(p[0], buf, sizeof(buf));
		if (!restart)
			check(n == -1 && errno == EINTR && runs == 1,
			      "a read on an empty pipe, interrupted by a handler without "
			      "SA_RESTART, "
			      "fails with EINTR (%ld, errno %d)",
			      n, errno);
		else
			check(n == 4 && memcmp(buf, "late", 4) == 0 && runs == 1,
			      "with SA_RESTART the read goes on waiting and returns the 4 bytes "
			      "written later (%ld)",
			      n);
		waitpid(pid, NULL, 0);
		close(p[0]);
		close(p[1]);
	}
}

static void writes(void)
{
	static char full[PIPE_BUF];
	for (int restart = 0; restart < 2; restart++) {
		int p[2];
		pipe(p);
		write(p[1], full, PIPE_BUF);
		handle(restart);
		pid_t pid = fork();
		if (pid == 0) {
			char sink[PIPE_BUF];
			sleep_ticks(30);
			for (int got = 0; got < PIPE_BUF + 1;)
				got += (int)read(p[0], sink, sizeof(sink));
			exit(0);
		}
		alarm_in(50);
		errno = 0;
		ssize_t n = write(p[1], "!", 1);
		if (!restart)
			check(n == -1 && errno == EINTR && runs == 1,
			      "a write to a full pipe, interrupted without SA_RESTART, fails with "
			      "EINTR "
			      "(%ld, errno %d)",
			      n, errno);
		else
			check(n == 1 && runs == 1,
			      "with SA_RESTART it waits on until the reader makes room (%ld)", n);
		if (!restart)
			write(p[1], "!", 1);
		waitpid(pid, NULL, 0);
		close(p[0]);
		close(p[1]);
	}

	/* A large write cut short after it moved some bytes returns the count. */
	int p[2];
	pipe(p);
	handle(false);
	pid_t pid = fork();
	if (pid == 0) {
		char sink[1000];
		read(p[0], sink, sizeof(sink)); /* room for 1000 more bytes, then no more */
		sleep_ticks(100);
		exit(0);
	}
	static char big[3 * PIPE_BUF];
	alarm_in(100);
	errno = 0;
	ssize_t n = write(p[1], big, sizeof(big));
	check(n > 0 && n < (ssize_t)sizeof(big) && runs == 1,
	      "a 12 KiB write that filled the pipe and is interrupted returns the bytes moved "
	      "(%ld)",
	      n);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
}

static void waits(void)
{
	for (int restart = 0; restart < 2; restart++) {
		handle(restart);
		pid_t pid = fork();
		if (pid == 0) {
			sleep_ticks(30);
			exit(5);
		}
		alarm_in(50);
		int status = -1;
		errno = 0;
		pid_t r = waitpid(pid, &status, 0);
		if (!restart) {
			check(r == -1 && errno == EINTR && runs == 1,
			      "wait4 interrupted without SA_RESTART fails with EINTR (%d, errno "
			      "%d)",
			      r, errno);
			waitpid(pid, &status, 0);
		} else {
			check(r == pid && WEXITSTATUS(status) == 5 && runs == 1,
			      "with SA_RESTART wait4 waits on and reaps the child (%d, status %#x)",
			      r, status);
		}
	}
}

static void never_restarted(void)
{
	handle(true);
	struct timespec req = { 1, 0 }, rem;
	alarm_in(100);
	errno = 0;
	int r = nanosleep(&req, &rem);
	check(r == -1 && errno == EINTR && runs == 1,
	      "nanosleep fails with EINTR even when the handler has SA_RESTART");
	alarm_in(50);
	errno = 0;
	r = pause();
	check(r == -1 && errno == EINTR && runs == 2, "so does pause");

	/* A signal that is ignored by default interrupts nothing. */
	int p[2];
	pipe(p);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	pid_t pid = fork();
	if (pid == 0) {
		kill(getppid(), SIGWINCH);
		sleep_ticks(20);
		write(p[1], "w", 1);
		exit(0);
	}
	char c = 0;
	errno = 0;
	ssize_t n = read(p[0], &c, 1);
	check(n == 1 && c == 'w',
	      "SIGWINCH and SIGCHLD, ignored by default, do not interrupt a read (%ld, errno %d)",
	      n, errno);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	check_prefix = "sigrestart";
	reads();
	writes();
	waits();
	never_restarted();
	verdict("sigrestart: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
