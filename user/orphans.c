/*
 * orphans: when a process exits, init adopts its children. A child forks two grandchildren
 * and exits: one grandchild still sleeping, the other already a zombie. The sleeper must
 * find that its parent is now init (getppid() == 1), and init must reap both, the zombie
 * included ("init: reaped orphan pid P, exited with status S": 7 for the sleeper, 9 for
 * the zombie), the zombie at once: init is asleep in wait4 when it gets it. The
 * grandchildren are not their grandparent's children: its wait() fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

/* The grandchild that outlives its parent. */
static void __attribute__((noreturn)) sleeper(void)
{
	verdict("orphans: grandchild pid %d sleeps, parent %d", getpid(), getppid());
	sleep_ticks(20);
	pid_t ppid = getppid();
	verdict("orphans: grandchild pid %d now has parent %d (init is 1): %s", getpid(), ppid,
	        ppid == 1 ? "OK" : "FAIL");
	exit(7);
}

/* The child: forks both grandchildren, waits until one is a zombie, exits. */
static void __attribute__((noreturn)) middle(void)
{
	pid_t s = fork();
	if (s == 0)
		sleeper();
	pid_t z = fork();
	if (z == 0) {
		verdict("orphans: grandchild pid %d exits at once with status 9", getpid());
		exit(9);
	}
	if (s < 0 || z < 0) {
		verdict("orphans: fork failed, errno %d: FAIL", errno);
		exit(1);
	}
	sleep_ticks(5);
	verdict("orphans: child pid %d exits, leaving grandchildren %d (asleep) and %d (a zombie)",
	        getpid(), s, z);
	exit(0);
}

int main(void)
{
	int status = 0, failures = 0;

	pid_t c = fork();
	if (c == 0)
		middle();
	if (c < 0) {
		verdict("orphans: fork failed, errno %d: FAIL", errno);
		return 1;
	}
	pid_t r = waitpid(c, &status, 0);
	bool ok = r == c && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	failures += !ok;
	verdict("orphans: child pid %d exited with status 0 (waitpid %d, status %#x): %s", c, r,
	        status, ok ? "OK" : "FAIL");
	/* Meanwhile init must reap the zombie grandchild: the grader checks that it says so
	 * before this program's last line. */
	sleep_ticks(5);
	errno = 0;
	r = wait(&status);
	ok = r == -1 && errno == ECHILD;
	failures += !ok;
	verdict("orphans: the grandchildren are not ours: wait() fails with ECHILD (returned %d, "
	        "errno %d): %s",
	        r, errno, ok ? "OK" : "FAIL");
	verdict("orphans: %s", failures ? "FAIL" : "all checks OK");
	return failures ? 1 : 0;
}
