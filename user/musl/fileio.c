/*
 * musl-fileio: the data of files through musl: truncate and ftruncate, pread and pwrite,
 * sendfile, file times with utimensat, and private mappings of files with mmap. Every
 * line is compared with the same binary's on Linux (grade/lab5.py runs it there).
 *
 *	musl-fileio DIR		(DIR: a scratch directory, emptied first and at the end)
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

#define N 10000

static char pattern(int i)
{
	return (char)('a' + i % 23);
}

static int make(const char *name, int n)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < n; i++) {
		char c = pattern(i);
		write(fd, &c, 1);
	}
	return fd;
}

static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

static void sizes(void)
{
	char buf[32];
	int fd = make("t", 100);
	int p[2];

	show(ftruncate(fd, 10), "ftruncate(t, 10)");
	show(size_of("t"), "t's size");
	show(ftruncate(fd, 5000), "ftruncate(t, 5000)");
	show(size_of("t"), "t's size");
	show(pread(fd, buf, 4, 8), "pread(t, 4, at 8)");
	show(buf[0] == pattern(8) && buf[1] == pattern(9) && buf[2] == 0 && buf[3] == 0,
	     "the data, then zeros where it grew");
	show(truncate("t", 3), "truncate(t, 3)");
	show(size_of("t"), "t's size");
	show(ftruncate(fd, -1), "ftruncate(t, -1)");
	show(truncate("t", -1), "truncate(t, -1)");
	show(truncate(".", 0), "truncate(., 0)");
	show(truncate("missing", 0), "truncate(missing, 0)");
	show(ftruncate(99, 0), "ftruncate(99, 0)");
	int ro = open("t", O_RDONLY);
	show(ftruncate(ro, 0), "ftruncate(read-only, 0)");
	close(ro);
	pipe(p);
	show(ftruncate(p[1], 0), "ftruncate(pipe, 0)");
	int dir = open(".", O_RDONLY);
	show(ftruncate(dir, 0), "ftruncate(directory, 0)");
	close(dir);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void positioned(void)
{
	char buf[64];
	int fd = make("p", 50);
	int p[2];

	lseek(fd, 7, SEEK_SET);
	show(pread(fd, buf, 10, 20), "pread(p, 10, at 20)");
	show(buf[0] == pattern(20) && buf[9] == pattern(29), "the bytes at 20");
	show(lseek(fd, 0, SEEK_CUR), "the offset stays");
	show(pwrite(fd, "XY", 2, 100), "pwrite(p, XY, at 100)");
	show(size_of("p"), "p's size");
	show(lseek(fd, 0, SEEK_CUR), "the offset stays");
	show(pread(fd, buf, 10, 95), "pread(p, 10, at 95)");
	show(buf[0] == 0 && buf[5] == 'X' && buf[6] == 'Y', "a hole, then XY");
	show(pread(fd, buf, 10, 1000), "pread(p, 10, past the end)");
	show(CALL(SYS_pread64, fd, buf, 10, -1L), "pread(p, at -1)");
	show(CALL(SYS_pread64, 99, buf, 10, 0L), "pread(99)");
	pipe(p);
	show(pread(p[0], buf, 1, 0), "pread(pipe)");
	show(pwrite(p[1], "x", 1, 0), "pwrite(pipe)");
	show(CALL(SYS_pread64, p[1], buf, 1, -1L), "pread(pipe, at -1)");
	close(p[0]);
	close(p[1]);
	int wo = open("p", O_WRONLY);
	show(pread(wo, buf, 1, 0), "pread(write-only)");
	show(pwrite(wo, "q", 1, 0), "pwrite(write-only)");
	close(wo);
	int ro = open("p", O_RDONLY);
	show(pwrite(ro, "q", 1, 0), "pwrite(read-only)");
	close(ro);
	int dir = open(".", O_RDONLY);
	show(pread(dir, buf, 1, 0), "pread(directory)");
	close(dir);
	int ap = open("p", O_WRONLY | O_APPEND);
	show(pwrite(ap, "Z", 1, 0), "pwrite(O_APPEND, at 0)");
	show(size_of("p"), "p's size: it went to the end");
	close(ap);
	int null = open("/dev/null", O_RDWR);
	show(pread(null, buf, 5, 10), "pread(/dev/null)");
	show(pwrite(null, "abc", 3, 10), "pwrite(/dev/null)");
	close(null);

	/* sendfile: from p to q, from the offset given, then from p's own. */
	int q = open("q", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	off_t off = 10;
	show(sendfile(q, fd, &off, 20), "sendfile(q, p, at 10, 20)");
	show(off, "the offset it gave back");
	show(lseek(fd, 0, SEEK_CUR), "p's own offset");
	lseek(fd, 0, SEEK_SET);
	show(sendfile(q, fd, NULL, 1000), "sendfile(q, p, NULL, 1000)");
	show(lseek(fd, 0, SEEK_CUR), "p's offset moved");
	show(size_of("q"), "q's size");
	show(sendfile(fd, q, NULL, 10), "sendfile(p, write-only q)");
	show(sendfile(99, fd, NULL, 10), "sendfile(99, p)");
	pipe(p);
	show(sendfile(p[1], fd, &off, 5), "sendfile(pipe, p, at off, 5)");
	show(read(p[0], buf, sizeof(buf)), "read(pipe)");
	show(sendfile(q, p[0], &off, 5), "sendfile(q, pipe, at off)");
	close(p[0]);
	close(p[1]);
	close(q);
	close(fd);
}

static void times(void)
{
	struct stat st;
	struct timespec t[2] = { { 1000000000, 5 }, { 1234567890, 123456789 } };
	int fd = make("u", 1);

	show(utimensat(AT_FDCWD, "u", t, 0), "utimensat(u, 2001, 2009)");
	stat("u", &st);
	show(st.st_atim.tv_sec, "atime");
	show(st.st_atim.tv_nsec, "atime's ns");
	show(st.st_mtim.tv_sec, "mtime");
	show(st.st_mtim.tv_nsec, "mtime's ns");
	t[0].tv_nsec = UTIME_OMIT;
	t[1].tv_sec = 1500000000;
	t[1].tv_nsec = 0;
	show(utimensat(AT_FDCWD, "u", t, 0), "utimensat(u, OMIT, 2017)");
	stat("u", &st);
	show(st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1500000000,
	     "atime kept, mtime set");
	time_t before = time(NULL);
	t[1].tv_nsec = UTIME_NOW;
	show(futimens(fd, t), "futimens(u, OMIT, NOW)");
	fstat(fd, &st);
	show(st.st_mtim.tv_sec >= before && st.st_mtim.tv_sec <= time(NULL) + 1, "mtime is now");
	show(utimensat(AT_FDCWD, "u", NULL, 0), "utimensat(u, NULL): both now");
	stat("u", &st);
	show(st.st_atim.tv_sec >= before, "atime is now");
	t[0].tv_nsec = 1000000000;
	show(utimensat(AT_FDCWD, "u", t, 0), "utimensat(nsec 1e9)");
	t[0].tv_nsec = -1;
	show(utimensat(AT_FDCWD, "u", t, 0), "utimensat(nsec -1)");
	show(utimensat(AT_FDCWD, "missing", NULL, 0), "utimensat(missing)");
	show(utimensat(AT_FDCWD, "u", NULL, 0x8000), "utimensat(bad flag)");
	show(CALL(SYS_utimensat, fd, NULL, NULL, AT_SYMLINK_NOFOLLOW),
	     "utimensat(fd, NULL, flags)");
	show(CALL(SYS_utimensat, 99, NULL, NULL, 0), "utimensat(99, NULL)");
	show(CALL(SYS_utimensat, AT_FDCWD, NULL, NULL, 0), "utimensat(AT_FDCWD, NULL)");
	symlink("u", "su");
	t[0].tv_sec = t[1].tv_sec = 1111111111;
	t[0].tv_nsec = t[1].tv_nsec = 0;
	show(utimensat(AT_FDCWD, "su", t, AT_SYMLINK_NOFOLLOW), "utimensat(link, NOFOLLOW)");
	lstat("su", &st);
	show(st.st_mtim.tv_sec, "the link's mtime");
	stat("u", &st);
	show(st.st_mtim.tv_sec != 1111111111, "the file's is not that");
	/* Writing changes mtime and ctime. */
	utimensat(AT_FDCWD, "u", t, 0);
	write(fd, "x", 1);
	fstat(fd, &st);
	show(st.st_mtim.tv_sec >= before, "a write sets mtime");
	close(fd);
}

static void mappings(void)
{
	int fd = make("m", N);
	int ok = 1;

	char *a = mmap(NULL, N, PROT_READ, MAP_PRIVATE, fd, 0);
	show(a != MAP_FAILED, "mmap(m, PROT_READ, MAP_PRIVATE)");
	for (int i = 0; a != MAP_FAILED && i < N; i++)
		ok &= a[i] == pattern(i);
	show(ok, "it holds the file's bytes");
	show(a != MAP_FAILED && a[N] == 0 && a[3 * 4096 - 1] == 0,
	     "and zeros to the end of its page");
	munmap(a, N);
	char *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
	show(b != MAP_FAILED && b[0] == pattern(4096) && b[4095] == pattern(8191),
	     "mmap(m, offset 4096) holds the second page");
	if (b != MAP_FAILED) {
		b[0] = '#';
		char c;
		pread(fd, &c, 1, 4096);
		show(b[0] == '#' && c == pattern(4096),
		     "a write to it is private: the file keeps its byte");
	}
	pwrite(fd, "!", 1, 0);
	char *c = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	show(c != MAP_FAILED && c[0] == '!', "a new mapping sees the file's new data");
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100), "mmap(offset 100)");
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0), "mmap(fd 99)");
	show((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0), "mmap(len 0)");
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, -4096L), "mmap(offset -4096)");
	int wo = open("m", O_WRONLY);
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, wo, 0), "mmap(write-only fd)");
	close(wo);
	int ro = open("m", O_RDONLY);
	show((long)mmap(NULL, 4096, PROT_WRITE, MAP_SHARED, ro, 0),
	     "mmap(read-only fd, PROT_WRITE, MAP_SHARED)");
	char *d = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	show(d != MAP_FAILED, "mmap(read-only fd, PROT_WRITE, MAP_PRIVATE)");
	close(ro);
	int p[2];
	pipe(p);
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, p[0], 0), "mmap(pipe)");
	int dir = open(".", O_RDONLY);
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dir, 0), "mmap(directory)");
	int null = open("/dev/null", O_RDONLY);
	show((long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, null, 0), "mmap(/dev/null)");
	close(fd);
	show(c[1] == pattern(1), "a mapping outlives its descriptor");
	unlink("m");
	show(c[2] == pattern(2), "and its file's name");
}

int main(int argc, char **argv)
{
	show_prefix = "musl-fileio";
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	if (argc < 2 || scratch(argv[1]) < 0) {
		printf("usage: musl-fileio DIR (a scratch directory, emptied first)\n");
		return 2;
	}
	sizes();
	positioned();
	times();
	mappings();
	scratch_done(argv[1]);
	printf("musl-fileio: done\n");
	return 0;
}
