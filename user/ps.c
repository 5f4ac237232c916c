/*
 * ps: list the processes. The kernel writes the table as text in /proc/ps (the same
 * columns as the monitor's ps command); ps copies it to standard output.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

int main(void)
{
	char buf[1024];
	ssize_t n;
	int fd = open("/proc/ps", O_RDONLY);

	if (fd < 0) {
		dprintf(2, "ps: /proc/ps: %s\n", strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(1, buf + done, (size_t)(n - done));
			if (w <= 0)
				return 1;
			done += w;
		}
	}
	if (n < 0) {
		dprintf(2, "ps: /proc/ps: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
