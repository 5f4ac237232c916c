/*
 * What the musl test programs that are compared with Linux share: show() prints one line,
 * "PREFIX: what = result" with the result's value or -1 and the error's name, so the same
 * binary's output on Linux (the expected one: the graders run it there) and on Sparrow can
 * be compared line by line.
 */
#ifndef SPARROW_USER_MUSL_SHOW_H
#define SPARROW_USER_MUSL_SHOW_H

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* The name of an errno value, "EFAULT", or "E?" (Sparrow's lib/errname.c, linked into every
 * musl program: errno values are Linux's on both sides). */
const char *errno_name(int e);

/* What each line starts with ("musl-NAME"), or NULL for nothing. */
static const char *show_prefix;

/* Print "PREFIX: what = result": the value, or -1 and the error's name (errno as it was
 * when show was called). Returns r. */
static long show(long r, const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	char what[300];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (show_prefix)
		printf("%s: ", show_prefix);
	if (r == -1)
		printf("%s = -1 %s\n", what, errno_name(e));
	else
		printf("%s = %ld\n", what, r);
	return r;
}

__attribute__((unused)) static int remove_one(const char *path, const struct stat *st, int type,
                                              struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Start in an empty scratch directory dir (what an earlier run left there is removed):
 * 0, or -1. */
__attribute__((unused)) static int scratch(const char *dir)
{
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return -1;
	if (mkdir(dir, 0755) < 0 || chdir(dir) < 0)
		return -1;
	return 0;
}

/* Leave the scratch directory dir empty again (so memory is as it was before the run). */
__attribute__((unused)) static void scratch_done(const char *dir)
{
	chdir("/");
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A call through syscall(): errno cleared first, so show() sees this call's. */
#define CALL(nr, ...) (errno = 0, syscall(nr, __VA_ARGS__))

#endif
