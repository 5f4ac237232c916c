/*
 * musl-vforktest: vfork (the system call, and clone(CLONE_VM|CLONE_VFORK)): the child runs
 * in the parent's memory while the parent waits, until the child exits or execs; then the
 * parent sees what the child wrote, and its own registers and stack are as they were.
 * Compared with Linux.
 * Usage: musl-vforktest SCRATCHDIR (or, execed: musl-vforktest child)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "show.h"

static volatile int word;
static char stack[64 * 1024] __attribute__((aligned(16)));

static int clone_child(void *arg)
{
	(void)arg;
	word = 1;
	usleep(50000);
	word = 2; /* the parent still waits: it sees 2, never 1 */
	return 11;
}

static int status_of(pid_t pid)
{
	int status = 0;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	show_prefix = "musl-vforktest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "child") == 0) {
		printf("musl-vforktest: the execed child runs\n");
		return 12;
	}

	volatile int local = 5;
	word = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		word = 1;
		local = 6; /* the parent's stack: vfork shares it */
		usleep(50000);
		word = 2;
		_exit(10);
	}
	show(word, "vfork: the parent resumes after the child's _exit and sees its last write");
	show(local, "a local the child changed");
	show(status_of(pid), "the child's status");

	word = 0;
	pid = clone(clone_child, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	show(word, "clone(CLONE_VM|CLONE_VFORK): the parent sees the child's last write");
	show(status_of(pid), "the child's status");

	fflush(stdout);
	word = 0;
	pid = vfork();
	if (pid == 0) {
		word = 3;
		execl(argv[0], argv[0], "child", (char *)NULL);
		_exit(127);
	}
	int st = status_of(pid); /* first: the child's line comes before the parent's */
	show(word, "vfork then execve: the parent resumes and sees the write before the exec");
	show(st, "the execed child's status");

	word = 0;
	pid = vfork();
	if (pid == 0) {
		word = 4;
		execl("/nonexistent", "nonexistent", (char *)NULL);
		_exit(13); /* the exec failed: the child goes on in the parent's memory */
	}
	show(word, "vfork, a failed execve, _exit");
	show(status_of(pid), "its status");
	printf("musl-vforktest: done\n");
	return 0;
}
