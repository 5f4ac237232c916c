/*
 * cowview: a fork seen through the memory viewer. The child stops in the kernel monitor
 * (int3, with the kernel option onbreak=monitor) right after the fork and again after it
 * writes one page, so grade/lab4.py can read the monitor's `memview` map at each stop: the
 * pages first shared copy-on-write, then the written one the child's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE_SIZE 4096
#define NPAGES    4 /* pages the parent fills before the fork */
#define WRITTEN   1 /* the one the child writes */

static char data[NPAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

int main(void)
{
	check_prefix = "cowview";
	for (int i = 0; i < NPAGES; i++)
		data[i][0] = (char)(i + 1);

	pid_t pid = fork();
	if (pid < 0) {
		check(false, "fork works");
		return 1;
	}
	if (pid == 0) {
		printf("cowview: child pid %d, parent pid %d: %d pages at %p, the child writes "
		       "%p\n",
		       getpid(), getppid(), NPAGES, (void *)data, (void *)data[WRITTEN]);
		asm volatile("int3"); /* the monitor: every page still shared */
		data[WRITTEN][0] = 42;
		printf("cowview: the child wrote page %p\n", (void *)data[WRITTEN]);
		asm volatile("int3"); /* the monitor: that page is the child's own now */
		exit(data[0][0] == 1 && data[WRITTEN][0] == 42 ? 0 : 1);
	}
	int status = 0;
	pid_t r = waitpid(pid, &status, 0);
	check(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child exited with status 0 (status %#x)", status);
	check(data[WRITTEN][0] == WRITTEN + 1,
	      "the parent's page is unchanged by the child's write");
	if (!check_failures)
		verdict("cowview: all checks OK");
	return check_failures ? 1 : 0;
}
