/*
 * musl-dir: directories and the environment in a static musl program: mkdir, chdir,
 * getcwd, files made with fopen, opendir/readdir listings, stat, unlink, getenv, uname and
 * the clock. Plain "musl-dir:" lines (musl programs cannot use Sparrow's verdict()).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define DIR_PATH "/tmp/musl-dir"

static int failures;

static void result(int ok, const char *what)
{
	printf("musl-dir: %s %s\n", ok ? "OK" : "FAIL", what);
	failures += !ok;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of the working directory, sorted, as "name/type name/type ..." in out. */
static void list(char *out, size_t size)
{
	char *names[16];
	int n = 0;
	DIR *d = opendir(".");
	struct dirent *e;

	while (d && n < 16 && (e = readdir(d)) != NULL) {
		names[n] = malloc(strlen(e->d_name) + 8);
		sprintf(names[n++], "%s/%d", e->d_name, e->d_type);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
}

/* Check the listing of the working directory against want ("name/d_type", sorted). */
static void listing_is(const char *want, const char *what)
{
	char got[256];
	list(got, sizeof(got));
	result(strcmp(got, want) == 0, what);
	if (strcmp(got, want) != 0)
		printf("musl-dir:   (the listing was: %s)\n", got);
}

int main(void)
{
	char buf[256];
	struct stat st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		result(0, "mkdir /tmp");
	result(mkdir(DIR_PATH, 0755) == 0 && chdir(DIR_PATH) == 0 && getcwd(buf, sizeof(buf)) &&
	               strcmp(buf, DIR_PATH) == 0,
	       "mkdir, chdir and getcwd");

	const char *files[] = { "a", "b", "c" };
	int made = 0;
	for (int i = 0; i < 3; i++) {
		FILE *f = fopen(files[i], "w");
		if (f && fprintf(f, "%s%s", files[i], files[i]) == 2 && fclose(f) == 0)
			made++;
	}
	result(made == 3 && mkdir("sub", 0755) == 0, "three files and a directory made");
	listing_is("../4 ./4 a/8 b/8 c/8 sub/4",
	           "opendir and readdir list . .. a b c sub with their types");
	result(stat("sub", &st) == 0 && S_ISDIR(st.st_mode) && stat("a", &st) == 0 &&
	               S_ISREG(st.st_mode) && st.st_size == 2,
	       "stat tells a directory from a 2-byte file");
	int gone = 0;
	for (int i = 0; i < 3; i++)
		gone += unlink(files[i]) == 0;
	result(gone == 3, "unlink removes the three files");
	listing_is("../4 ./4 sub/4", "and readdir no longer lists them");
	errno = 0;
	result(stat("a", &st) == -1 && errno == ENOENT, "stat of a removed file fails with ENOENT");

	const char *path = getenv("PATH");
	result(path && strcmp(path, "/bin") == 0, "getenv(\"PATH\") is /bin");
	struct utsname u;
	result(uname(&u) == 0 && u.sysname[0] != '\0', "uname names the system");
	struct timespec t0, t1;
	struct timespec nap = { 0, 20000000 };
	int clock_ok = clock_gettime(CLOCK_MONOTONIC, &t0) == 0 && nanosleep(&nap, NULL) == 0 &&
	               clock_gettime(CLOCK_MONOTONIC, &t1) == 0;
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	result(clock_ok && ms >= 20, "nanosleep(20 ms) lasts at least 20 ms by clock_gettime");
	printf("musl-dir: %s\n", failures ? "FAIL" : "all OK");
	return failures != 0;
}
