/*
 * forkbomb: fork until the process table is full. fork must then fail cleanly with
 * EAGAIN (not crash, not hang); once the children are reaped, the process count and the
 * free memory are back where they were, and fork works again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysinfo.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define MIN_CHILDREN 50  /* the table has 64 slots: init and this program take two */
#define MAX_CHILDREN 200 /* stop here if fork never fails */
#define PAGE_SIZE    4096

static pid_t pids[MAX_CHILDREN];

static void counts(long *procs, long *free_pages)
{
	struct sysinfo si;
	sysinfo(&si);
	*procs = si.procs;
	*free_pages = (long)(si.freeram * si.mem_unit / PAGE_SIZE);
}

int main(void)
{
	check_prefix = "forkbomb";
	long procs0, free0, procs, free1;
	int n, err = 0;

	counts(&procs0, &free0);
	for (n = 0; n < MAX_CHILDREN; n++) {
		pid_t pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			/* Stay a while, so the table fills up, then exit. */
			struct timespec ts = { 0, 100000000 };
			nanosleep(&ts, NULL);
			exit(0);
		}
		pids[n] = pid;
	}
	counts(&procs, &free1);
	check(n >= MIN_CHILDREN && n < MAX_CHILDREN,
	      "fork failed after %d children (at least %d, fewer than %d)", n, MIN_CHILDREN,
	      MAX_CHILDREN);
	check(err == EAGAIN, "the failing fork set errno %d (EAGAIN, %d)", err, EAGAIN);
	check(procs == procs0 + n, "sysinfo counted %ld processes with the table full (%ld + %d)",
	      procs, procs0, n);

	int reaped = 0, bad = 0;
	for (int i = 0; i < n; i++) {
		int status = 0;
		pid_t pid = wait(&status);
		if (pid < 0)
			break;
		reaped++;
		bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	errno = 0;
	check(reaped == n && bad == 0 && wait(NULL) == -1 && errno == ECHILD,
	      "all %d children reaped (%d), all with status 0 (%d others), then ECHILD", n, reaped,
	      bad);
	counts(&procs, &free1);
	check(procs == procs0, "processes back to %ld (now %ld)", procs0, procs);
	check(free1 == free0, "free frames back to %ld (now %ld)", free0, free1);

	pid_t pid = fork();
	if (pid == 0)
		exit(3);
	int status = 0;
	pid_t r = pid > 0 ? waitpid(pid, &status, 0) : -1;
	check(r == pid && pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	      "fork works again (pid %d, status %#x)", pid, status);
	verdict("forkbomb: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
