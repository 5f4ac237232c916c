/*
 * cat: copy each file named (or "-": standard input) to standard output, or standard
 * input when none is named.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

/* Write all n bytes; false (errno set) if the output failed. */
static bool write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Copy fd to standard output. 0, or 1 after saying what failed. */
static int copy(int fd, const char *name)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			dprintf(2, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		if (!write_all(buf, (size_t)n)) {
			/* A reader that went away (EPIPE) is no error to report. */
			if (errno != EPIPE)
				dprintf(2, "cat: write error: %s\n", strerror(errno));
			_exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(0, "stdin");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			status |= copy(0, "stdin");
			continue;
		}
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		close(fd);
	}
	return status;
}
