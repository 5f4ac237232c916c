/*
 * memcheck PROG [ARGS]: does PROG give back every frame it used? It runs PROG once with its
 * output thrown away (so the kernel's caches reach their working size), then again, with
 * its output, between two readings of free memory, and says whether they agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysinfo.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

static unsigned long free_frames(void)
{
	struct sysinfo si;
	sysinfo(&si);
	return si.freeram;
}

/* Run argv with its output to /dev/null (quiet) or the console; its wait status. */
static int run(char **argv, bool quiet)
{
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(null, 2);
			close(null);
		}
		execv(argv[0], argv);
		printf("memcheck: cannot run %s: %s\n", argv[0], strerror(errno));
		exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: memcheck PROG [ARGS]\n");
		return 2;
	}
	run(argv + 1, true);
	unsigned long before = free_frames();
	int status = run(argv + 1, false);
	unsigned long after = free_frames();
	verdict("memcheck: %s ended with wait status %#x; free frames %lu before, %lu after: %s",
	        argv[1], status, before, after, before == after ? "OK" : "FAIL");
	return before == after ? 0 : 1;
}
