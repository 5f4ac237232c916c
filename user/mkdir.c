/*
 * mkdir: make each directory named. -p makes the missing parents too and does not mind a
 * directory that exists already.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stat.h>

/* Make every directory along path, then path itself; errors other than EEXIST count. */
static int make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0755);
		*p = '/';
		if (r < 0 && errno != EEXIST)
			return -1;
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	bool parents = argc > 1 && strcmp(argv[1], "-p") == 0;
	int status = 0;

	if (argc < 2 + parents) {
		dprintf(2, "usage: mkdir [-p] DIR...\n");
		return 2;
	}
	for (int i = 1 + parents; i < argc; i++) {
		if ((parents ? make_parents(argv[i]) : mkdir(argv[i], 0755)) < 0) {
			dprintf(2, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
