/*
 * musl-stdio: a static musl program using C stdio: printf's conversions, a file written
 * with fopen/fprintf and read back with fgets, fseek/ftell, and remove. Prints plain
 * "musl-stdio: OK ..." lines (musl programs cannot use Sparrow's verdict()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_PATH "/tmp/musl-stdio.txt"

static int failures;

static void result(int ok, const char *what)
{
	printf("musl-stdio: %s %s\n", ok ? "OK" : "FAIL", what);
	failures += !ok;
}

int main(void)
{
	char buf[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(buf, sizeof(buf), "%d %5s|%-3s|%x %o %.3f %e %c %lu", -42, "ab", "c", 255, 8,
	         3.14159, 12345.678, 'z', 18446744073709551615UL);
	result(strcmp(buf, "-42    ab|c  |ff 10 3.142 1.234568e+04 z 18446744073709551615") == 0,
	       "printf formats integers, strings and floating point");

	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		result(0, "mkdir /tmp");
	FILE *f = fopen(FILE_PATH, "w");
	int wrote = 0;
	for (int i = 0; f && i < 100; i++)
		wrote += fprintf(f, "line %d of the file\n", i) > 0;
	result(f && wrote == 100 && fclose(f) == 0, "fopen, fprintf and fclose write a file");

	f = fopen(FILE_PATH, "r");
	int lines = 0, right = 0;
	while (f && fgets(buf, sizeof(buf), f)) {
		char want[64];
		snprintf(want, sizeof(want), "line %d of the file\n", lines);
		right += strcmp(buf, want) == 0;
		lines++;
	}
	result(lines == 100 && right == 100, "fgets reads its 100 lines back");
	int seek_ok = f && fseek(f, 0, SEEK_END) == 0 && ftell(f) > 0;
	long size = f ? ftell(f) : -1;
	seek_ok = seek_ok && fseek(f, -20, SEEK_END) == 0 && fgets(buf, sizeof(buf), f) &&
	          strcmp(buf, "line 99 of the file\n") == 0;
	result(seek_ok, "fseek and ftell move about in it");
	if (f)
		fclose(f);

	f = fopen(FILE_PATH, "a");
	if (f) {
		fputs("appended\n", f);
		fclose(f);
	}
	struct stat st;
	result(stat(FILE_PATH, &st) == 0 && st.st_size == size + 9,
	       "fopen(\"a\") appends; stat sees the new size");
	result(remove(FILE_PATH) == 0 && fopen(FILE_PATH, "r") == NULL && errno == ENOENT,
	       "remove deletes it; fopen then fails with ENOENT");
	printf("musl-stdio: %s\n", failures ? "FAIL" : "all OK");
	return failures != 0;
}
