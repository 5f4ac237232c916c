/*
 * init: process 1. It waits for every child: the program it runs and every orphan the
 * kernel hands over when a parent exits. Lab 4: the kernel starts the program (argv[1]) as
 * pid 2 itself. Lab 5: init runs the program (or the shell) with exec and powers the
 * machine off when it is done. Like every process the kernel starts, init has the console
 * on descriptors 0, 1 and 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>

static void report(const char *who, int status)
{
	if (WIFEXITED(status))
		printf("%s exited with status %d\n", who, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s killed by signal %d\n", who, WTERMSIG(status));
	else
		printf("%s ended with wait status %#x\n", who, status);
}

/*
 * Reap children until none is left, reporting each: the program (pid prog_pid, called prog)
 * and the orphans. Returns 0, or 1 if wait failed for another reason than "no children".
 */
static int reap_all(pid_t prog_pid, const char *prog)
{
	char who[64];

	for (;;) {
		int status;
		pid_t pid = wait(&status);
		if (pid < 0) {
			if (errno == ECHILD)
				return 0;
			printf("init: wait failed, errno %d\n", errno);
			return 1;
		}
		if (pid == prog_pid && prog) {
			snprintf(who, sizeof(who), "init: %s", prog);
			report(who, status);
		} else {
			/* Orphans say how they ended too, so tests can check their status. */
			snprintf(who, sizeof(who), "init: reaped orphan pid %d,", pid);
			report(who, status);
		}
	}
}

/* The last part of a path: "hello" for "/bin/hello". */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

#if LAB < 5
#define PROGRAM_PID 2 /* the kernel creates the program right after init */

int main(int argc, char **argv)
{
	if (getpid() != 1)
		printf("init: warning: running as pid %d, not 1\n", getpid());
	if (reap_all(PROGRAM_PID, argc > 1 ? base_name(argv[1]) : NULL))
		return 1;
	printf("init: no processes left\n");
	return 0;
}

#else
/* Run path with argv in a child (path without '/': searched in $PATH). Its pid, or -1. */
static pid_t start(const char *path, char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		execvp(path, argv);
		printf("init: cannot run %s: %s\n", path, strerror(errno));
		exit(127);
	}
	if (pid < 0)
		printf("init: cannot fork: %s\n", strerror(errno));
	return pid;
}

/* An interactive boot: the shell, until it exits. Orphans are reaped without a word. */
static void run_shell(void)
{
	char *argv[] = { "sh", NULL };
	pid_t sh = start("/bin/sh", argv);

	for (;;) {
		int status;
		pid_t pid = wait(&status);
		if (pid == sh || (pid < 0 && errno == ECHILD))
			break;
	}
	printf("init: the shell exited\n");
}

/*
 * A test run: init="PROG ARGS" on the kernel command line. The graders run several test
 * programs in one boot with init="PROG ARGS ; PROG ARGS ...": each alone, in turn (every
 * process of one has ended before the next starts), after a line "init: running PROG ARGS"
 * that tells where its output begins.
 */
static void run_tests(char **argv)
{
	int several = 0;

	for (char **a = argv; *a; a++)
		several |= strcmp(*a, ";") == 0;
	while (*argv) {
		char **end = argv;
		while (*end && strcmp(*end, ";") != 0)
			end++;
		char **next = *end ? end + 1 : end;
		*end = NULL;
		if (*argv) {
			if (several) {
				printf("init: running");
				for (char **a = argv; *a; a++)
					printf(" %s", *a);
				printf("\n");
			}
			pid_t pid = start(argv[0], argv);
			reap_all(pid, base_name(argv[0]));
			printf("init: no processes left\n");
		}
		argv = next;
	}
}

int main(int argc, char **argv)
{
	if (getpid() != 1)
		printf("init: warning: running as pid %d, not 1\n", getpid());
	if (argc > 1) {
		run_tests(argv + 1);
	} else {
		run_shell();
	}
	reboot(RB_POWER_OFF);
	printf("init: cannot power off: %s\n", strerror(errno));
	return 1;
}
#endif
