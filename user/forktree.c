/*
 * forktree: a binary tree of processes, three levels of forks below the first: 15 in all.
 * Each prints its place in the tree (a string of 0s and 1s, '' for the first), its pid and
 * its parent's pid, then forks its two children and waits for both. Its exit status is the
 * number of processes in its subtree, so the first process counts the whole tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define DEPTH  3
#define NPROCS ((1 << (DEPTH + 1)) - 1)

/* The process at `branch` (depth strlen(branch)): returns the size of its subtree. */
static int grow(char *branch)
{
	size_t depth = strlen(branch);
	pid_t me = getpid();
	pid_t kids[2] = { -1, -1 };
	int count = 1;

	verdict("forktree: '%s' pid %d parent %d", branch, me, getppid());
	if (depth == DEPTH)
		return count;
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			verdict("forktree: '%s': fork failed, errno %d: FAIL", branch, errno);
			continue;
		}
		if (pid == 0) {
			/* The child: its own copy of branch, one digit longer. */
			branch[depth] = (char)('0' + i);
			branch[depth + 1] = '\0';
			if (getppid() != me)
				verdict("forktree: '%s': getppid() = %d, want %d: FAIL", branch,
				        getppid(), me);
			exit(grow(branch));
		}
		kids[i] = pid;
	}
	for (int i = 0; i < 2; i++) {
		int status = 0;
		pid_t pid = wait(&status);
		if (pid < 0)
			break; /* a fork failed: nothing to wait for */
		if ((pid != kids[0] && pid != kids[1]) || !WIFEXITED(status))
			verdict("forktree: '%s': wait returned pid %d, status %#x (children %d, "
			        "%d): FAIL",
			        branch, pid, status, kids[0], kids[1]);
		else
			count += WEXITSTATUS(status);
	}
	if (wait(NULL) != -1 || errno != ECHILD)
		verdict("forktree: '%s': a third wait did not fail with ECHILD: FAIL", branch);
	return count;
}

int main(void)
{
	char branch[DEPTH + 1] = "";
	int count = grow(branch);

	verdict("forktree: %d of %d processes ran and were reaped: %s", count, NPROCS,
	        count == NPROCS ? "OK" : "FAIL");
	verdict("forktree: %s", count == NPROCS ? "all checks OK" : "FAIL");
	return count == NPROCS ? 0 : 1;
}
