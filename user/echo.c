/*
 * echo: write the arguments, separated by spaces and followed by a newline (none with -n),
 * in a single write, so that a line never mixes with another program's output.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool newline = true;
	int first = 1;
	size_t len = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = false;
		first = 2;
	}
	for (int i = first; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *line = malloc(len), *p = line;
	if (line == NULL)
		return 1;
	for (int i = first; i < argc; i++) {
		if (i > first)
			*p++ = ' ';
		size_t n = strlen(argv[i]);
		memcpy(p, argv[i], n);
		p += n;
	}
	if (newline)
		*p++ = '\n';
	size_t n = (size_t)(p - line);
	for (size_t done = 0; done < n;) {
		ssize_t w = write(1, line + done, n - done);
		if (w <= 0)
			return 1;
		done += (size_t)w;
	}
	return 0;
}
