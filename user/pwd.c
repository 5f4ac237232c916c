/*
 * pwd: print the working directory (the shell's cd builtin changes it).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char dir[PATH_MAX];

	if (getcwd(dir, sizeof(dir)) == NULL) {
		dprintf(2, "pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", dir);
	return 0;
}
