/*
 * sleep: wait for the number of seconds given (a fraction allowed: "sleep 0.5"), with
 * nanosleep. Sparrow's clock ticks 100 times a second, so sleeps are whole ticks.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Parse "S" or "S.FFF" into *ts; false if it is not a number of seconds. */
static bool parse_seconds(const char *s, struct timespec *ts)
{
	char *end;
	long ns = 0, scale = 100000000;

	if (*s < '0' || *s > '9')
		return false;
	ts->tv_sec = strtol(s, &end, 10);
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
			ns += (*end - '0') * scale;
	}
	ts->tv_nsec = ns;
	return *end == '\0' && ts->tv_sec >= 0;
}

int main(int argc, char **argv)
{
	struct timespec ts;

	if (argc != 2) {
		dprintf(2, "usage: sleep SECONDS\n");
		return 2;
	}
	if (!parse_seconds(argv[1], &ts)) {
		dprintf(2, "sleep: invalid time '%s'\n", argv[1]);
		return 1;
	}
	return nanosleep(&ts, NULL) < 0 ? 1 : 0;
}
