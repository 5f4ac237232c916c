/*
 * init: process 1. The kernel starts it with the program to run in argv[1] and starts that
 * program itself as pid 2, a child of init (there is no exec until lab 5). init waits for
 * every child: the program, and every orphan the kernel hands over when its parent exits.
 * When no child is left it says so and exits, and the kernel returns to its monitor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>

#define PROGRAM_PID 2 /* the kernel creates the program right after init */

static void report(const char *who, int status)
{
	if (WIFEXITED(status))
		printf("%s exited with status %d\n", who, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s killed by signal %d\n", who, WTERMSIG(status));
	else
		printf("%s ended with wait status %#x\n", who, status);
}

int main(int argc, char **argv)
{
	const char *prog = NULL;
	char who[64];

	if (argc > 1) {
		const char *slash = strrchr(argv[1], '/');
		prog = slash ? slash + 1 : argv[1];
	}
	if (getpid() != 1)
		printf("init: warning: running as pid %d, not 1\n", getpid());
	for (;;) {
		int status;
		pid_t pid = wait(&status);
		if (pid < 0) {
			if (errno == ECHILD)
				break;
			printf("init: wait failed, errno %d\n", errno);
			return 1;
		}
		if (pid == PROGRAM_PID && prog) {
			snprintf(who, sizeof(who), "init: %s", prog);
			report(who, status);
		} else {
			/* Orphans say how they ended too, so tests can check their status. */
			snprintf(who, sizeof(who), "init: reaped orphan pid %d,", pid);
			report(who, status);
		}
	}
	printf("init: no processes left\n");
	return 0;
}
