/*
 * rm: remove each file named (not directories). -f: say nothing about files that do not
 * exist.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool force = argc > 1 && strcmp(argv[1], "-f") == 0;
	int status = 0;

	if (argc < 2 + force) {
		if (force)
			return 0;
		dprintf(2, "usage: rm [-f] FILE...\n");
		return 2;
	}
	for (int i = 1 + force; i < argc; i++) {
		if (unlink(argv[i]) < 0 && !(force && errno == ENOENT)) {
			dprintf(2, "rm: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
