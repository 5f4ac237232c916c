/*
 * primes: the concurrent prime sieve over a chain of pipes. A generator feeds 2..N into the
 * first pipe; the first number out of each pipe is a prime, whose own process prints "prime
 * P" and passes on, into the next pipe, the numbers P does not divide. All are reaped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

/* Every pipe can hold all the numbers (4 bytes each) a stage ever sends it, so no write
 * blocks and each stage can finish as soon as the one before it has: stages may then come
 * and go while the process table (64 slots) is full, and the chain still completes. */
#define MAX_LIMIT (4096 / 4 + 1)

static int limit = 1000;
static int forked, reaped, failed; /* children started, reaped, reaped with status != 0 */

/* The generator: 2..limit, one write per number. */
static void __attribute__((noreturn)) generate(int out)
{
	for (int n = 2; n <= limit; n++)
		if (write(out, &n, sizeof(n)) != sizeof(n))
			exit(3);
	exit(0);
}

/* The process for prime p: pass on from in to out every number p does not divide, until
 * end of file. */
static void __attribute__((noreturn)) filter(int p, int in, int out)
{
	int n;
	ssize_t r;

	verdict("prime %d", p);
	while ((r = read(in, &n, sizeof(n))) == sizeof(n))
		if (n % p != 0 && write(out, &n, sizeof(n)) != sizeof(n))
			exit(3);
	exit(r == 0 ? 0 : 2);
}

/* Reap the children that have ended; with `block`, wait up to 1000 ticks for all. */
static void reap(bool block)
{
	long end = ticks_now() + 1000;
	int status;
	while (reaped < forked) {
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			reaped++;
			failed += status != 0;
		} else if (pid < 0 || !block || ticks_now() >= end) {
			return;
		} else {
			sleep_ticks(1);
		}
	}
}

/* fork, waiting while the process table is full: the stages ahead can always finish, and
 * reaping them frees their slots. */
static pid_t start(void)
{
	for (int tries = 0; tries < 500; tries++) {
		pid_t pid = fork();
		if (pid >= 0 || errno != EAGAIN) {
			forked += pid > 0;
			return pid;
		}
		reap(false);
		sleep_ticks(1);
	}
	return -1;
}

int main(int argc, char **argv)
{
	int p[2], head, primes = 0;
	ssize_t r = -1;

	check_prefix = "primes";
	if (argc > 1)
		limit = atoi(argv[1]);
	if (limit < 2 || limit > MAX_LIMIT) {
		verdict("primes: usage: primes [N], N from 2 to %d", MAX_LIMIT);
		return 2;
	}
	if (pipe(p) < 0) {
		check(false, "pipe failed, errno %d", errno);
		return 1;
	}
	pid_t pid = start();
	if (pid == 0) {
		close(p[0]);
		generate(p[1]);
	}
	close(p[1]);
	int in = p[0];
	while (pid > 0 && (r = read(in, &head, sizeof(head))) == sizeof(head)) {
		if (pipe(p) < 0) {
			check(false, "pipe failed after %d primes, errno %d", primes, errno);
			break;
		}
		pid = start();
		if (pid == 0) {
			close(p[0]);
			filter(head, in, p[1]);
		}
		/* Only the filter may hold the write end, or the next read never sees end of file. */
		close(in);
		close(p[1]);
		in = p[0];
		if (pid < 0)
			check(false, "fork failed after %d primes, errno %d", primes, errno);
		else
			primes++;
	}
	close(in);
	if (pid > 0)
		check(r == 0, "the last pipe ends with end of file after %d primes up to %d",
		      primes, limit);
	reap(true);
	check(reaped == forked && failed == 0,
	      "%d filter processes, one per prime, and the generator all exited with status 0 "
	      "(%d of %d reaped, %d failed)",
	      primes, reaped, forked, failed);
	errno = 0;
	pid = waitpid(-1, NULL, WNOHANG);
	check(pid == -1 && errno == ECHILD, "no child is left: waitpid fails with ECHILD");
	verdict("primes: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
