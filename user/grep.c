/*
 * grep: print the lines that contain a fixed string, from each file named or from standard
 * input. -v selects the lines that do not; -c prints how many lines were selected instead.
 * Exit status: 0 if a line was selected, 1 if none was, 2 on an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

static const char *pattern;
static bool invert, count_only, with_names;

/* Search fd, named name; returns the number of lines selected, or -1 on a read error. */
static long search(int fd, const char *name)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	long selected = 0;

	for (;;) {
		/* Keep room for a NUL after the data: the last line may lack its newline. */
		if (len + 1 >= cap) {
			cap = cap ? 2 * cap : 4096;
			char *more = realloc(buf, cap);
			if (more == NULL) {
				dprintf(2, "grep: out of memory\n");
				free(buf);
				return -1;
			}
			buf = more;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			dprintf(2, "grep: %s: %s\n", name, strerror(errno));
			free(buf);
			return -1;
		}
		bool end = n == 0;
		len += (size_t)n;
		if (end && len > 0)
			buf[len++] = '\n';
		/* Each whole line in the buffer, then keep the unfinished rest. */
		size_t start = 0;
		char *nl;
		while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
			*nl = '\0';
			const char *line = buf + start;
			if ((strstr(line, pattern) != NULL) != invert) {
				selected++;
				if (!count_only)
					printf("%s%s%s\n", with_names ? name : "",
					       with_names ? ":" : "", line);
			}
			start = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (end)
			break;
	}
	free(buf);
	if (count_only)
		printf("%s%s%ld\n", with_names ? name : "", with_names ? ":" : "", selected);
	return selected;
}

int main(int argc, char **argv)
{
	int i = 1;
	bool any = false, error = false;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'v') {
				invert = true;
			} else if (*o == 'c') {
				count_only = true;
			} else {
				dprintf(2, "grep: unknown option -%c\n", *o);
				i = argc;
				break;
			}
		}
	}
	if (i >= argc) {
		dprintf(2, "usage: grep [-vc] PATTERN [FILE...]\n");
		return 2;
	}
	pattern = argv[i++];
	with_names = argc - i > 1;
	if (i == argc) {
		long n = search(0, "(standard input)");
		return n < 0 ? 2 : n > 0 ? 0 : 1;
	}
	for (; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "grep: %s: %s\n", argv[i], strerror(errno));
			error = true;
			continue;
		}
		long n = search(fd, argv[i]);
		close(fd);
		if (n < 0)
			error = true;
		else if (n > 0)
			any = true;
	}
	return error ? 2 : any ? 0 : 1;
}
