/*
 * wc: count the lines, words and bytes of each file named, or of standard input; with
 * several files, a total too. -l, -w and -c choose which counts to show.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

enum { LINES, WORDS, BYTES };

static bool shown[3];

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Add fd's counts to c. 0, or -1 (errno set) on a read error. */
static int count(int fd, long c[3])
{
	char buf[4096];
	bool in_word = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		c[BYTES] += n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				c[LINES]++;
			if (is_space(buf[i])) {
				in_word = false;
			} else if (!in_word) {
				in_word = true;
				c[WORDS]++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

/* One line: the counts chosen, then the name (NULL for standard input). */
static void print(const long c[3], const char *name)
{
	char line[64];
	int n = 0;

	for (int i = 0; i < 3; i++)
		if (shown[i])
			n += snprintf(line + n, sizeof(line) - n, "%s%7ld", n ? " " : "", c[i]);
	printf("%s%s%s\n", line, name ? " " : "", name ? name : "");
}

int main(int argc, char **argv)
{
	long total[3] = { 0 };
	int i = 1, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			const char *at = strchr("lwc", *o);
			if (at == NULL) {
				dprintf(2, "wc: unknown option -%c\nusage: wc [-lwc] [FILE...]\n",
				        *o);
				return 2;
			}
			shown[at - "lwc"] = true;
		}
	}
	if (!shown[LINES] && !shown[WORDS] && !shown[BYTES])
		shown[LINES] = shown[WORDS] = shown[BYTES] = true;
	if (i == argc) {
		long c[3] = { 0 };
		if (count(0, c) < 0) {
			dprintf(2, "wc: stdin: %s\n", strerror(errno));
			return 1;
		}
		print(c, NULL);
		return 0;
	}
	int files = argc - i;
	for (; i < argc; i++) {
		long c[3] = { 0 };
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || count(fd, c) < 0) {
			dprintf(2, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		print(c, argv[i]);
		for (int k = 0; k < 3; k++)
			total[k] += c[k];
	}
	if (files > 1)
		print(total, "total");
	return status;
}
