/*
 * musl-hostile: every system call Sparrow implements, called with each class of bad
 * argument (NULL, kernel-half and non-canonical pointers, wrapping ranges, ranges across the
 * top of user space or into an unmapped hole, read-only buffers for output, huge and
 * negative lengths, high bits in int arguments, unterminated strings). One line per call:
 * what was called and what came back. The same static binary runs on Linux, whose output
 * is the expected one: the grader runs it there and compares line by line.
 *
 *	musl-hostile DIR	(DIR: a scratch directory, made if missing, that it fills)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

#define PAGE 4096L

/* Addresses no program may hand the kernel. */
#define KERNEL_LOW  0xffff800000000000L /* the first kernel-half address */
#define KERNEL_TEXT 0xffffffff80100000L /* where kernels keep their code */
#define NONCANON    0x0000800000000000L /* the first non-canonical address */
#define NONCANON_HI 0x8000000000000000L
#define USER_LAST   0x00007ffffffff000L /* the last page below the top of user space */
#define HIGH        (1L << 32)          /* a bit above any int */

/* Buffers with a known shape. */
static char *rw;   /* two read-write pages */
static char *ro;   /* one read-only page */
static char *hole; /* three pages, the middle one unmapped */
static char *edge; /* one page of 'a's with no NUL, then an unmapped page */
static char longname[5000];

/* The classes of bad pointer, with the names the output gives them. */
static const struct {
	const char *name;
	long addr;
} bad[] = {
	{ "NULL", 0 },
	{ "kernel", KERNEL_LOW },
	{ "kernel text", KERNEL_TEXT },
	{ "non-canonical", NONCANON },
	{ "non-canonical high", NONCANON_HI },
	{ "top of user space", USER_LAST },
	{ "all ones", -1L },
};
#define NBAD (int)(sizeof(bad) / sizeof(bad[0]))

static void setup(void)
{
	rw = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hole = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rw == MAP_FAILED || ro == MAP_FAILED || hole == MAP_FAILED || edge == MAP_FAILED) {
		printf("musl-hostile: FAIL setup: mmap\n");
		exit(1);
	}
	munmap(hole + PAGE, PAGE);
	memset(edge, 'a', PAGE);
	munmap(edge + PAGE, PAGE);
	memset(longname, 'n', sizeof(longname) - 1);
}

/* A regular file of n bytes (a repeating pattern), open for reading and writing. */
static int make_file(const char *name, int n)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[256];
	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)('A' + i % 26);
	for (int done = 0; done < n;) {
		int k = n - done < (int)sizeof(buf) ? n - done : (int)sizeof(buf);
		done += (int)write(fd, buf, (size_t)k);
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void io_calls(void)
{
	int fd = make_file("data", 10000);
	int small = make_file("small", 10);
	int p[2];

	for (int i = 0; i < NBAD; i++) {
		show(CALL(SYS_read, fd, bad[i].addr, 16), "read(file, %s, 16)", bad[i].name);
		show(CALL(SYS_write, fd, bad[i].addr, 16), "write(file, %s, 16)", bad[i].name);
	}
	lseek(fd, 0, SEEK_SET);
	show(CALL(SYS_read, fd, ro, 16), "read(file, read-only page, 16)");
	show(CALL(SYS_read, fd, rw, 0), "read(file, buf, 0)");
	show(CALL(SYS_read, -1, rw, 16), "read(-1, buf, 16)");
	show(CALL(SYS_read, 1000, rw, 16), "read(1000, buf, 16)");
	show(CALL(SYS_read, fd | HIGH, rw, 16), "read(fd | 1 << 32, buf, 16)");
	show(CALL(SYS_read, small, rw, 1L << 20), "read(10-byte file, 8 KiB buffer, 1 MiB)");
	lseek(small, 0, SEEK_SET);
	show(CALL(SYS_read, small, rw, -1L), "read(10-byte file, buf, SIZE_MAX)");
	lseek(fd, 0, SEEK_SET);
	show(CALL(SYS_read, fd, hole + PAGE - 100, 4096),
	     "read(file, 100 bytes before a hole, 4096)");
	lseek(fd, 0, SEEK_SET);
	show(CALL(SYS_read, fd, rw + PAGE, 2 * PAGE),
	     "read(file, across the end of a mapping, 8192)");
	show(CALL(SYS_read, fd, rw, KERNEL_LOW - (long)rw + 1),
	     "read(file, buf, up to the kernel)");
	show(CALL(SYS_write, fd, rw, -1L), "write(file, buf, SIZE_MAX)");
	show(CALL(SYS_write, fd, rw, 1L << 62), "write(file, buf, 1 << 62)");
	show(CALL(SYS_write, fd, ro, 16), "write(file, read-only page, 16)");
	show(CALL(SYS_write, fd, rw, USER_LAST), "write(file, buf, past the top of user space)");
	show(CALL(SYS_write, small, rw, 0), "write(file, buf, 0)");
	show(CALL(SYS_write, -1, rw, 1), "write(-1, buf, 1)");
	show(CALL(SYS_write, fd | HIGH, rw, 4), "write(fd | 1 << 32, buf, 4)");

	pipe(p);
	show(CALL(SYS_write, p[1], NULL, 1), "write(pipe, NULL, 1)");
	show(CALL(SYS_write, p[1], KERNEL_LOW, 100), "write(pipe, kernel, 100)");
	show(CALL(SYS_write, p[1], "xy", 2), "write(pipe, \"xy\", 2)");
	show(CALL(SYS_read, p[0], KERNEL_LOW, 2), "read(pipe, kernel, 2)");
	show(CALL(SYS_read, p[0], rw, 2), "read(pipe, buf, 2)");
	close(p[0]);
	close(p[1]);

	/* readv and writev: the vector itself and each buffer in it. */
	struct iovec iov[2] = { { rw, 8 }, { (void *)KERNEL_LOW, 8 } };
	struct iovec big[2] = { { rw, (size_t)1 << 62 }, { rw, (size_t)1 << 62 } };
	lseek(fd, 0, SEEK_SET);
	for (int i = 0; i < NBAD; i++)
		show(CALL(SYS_readv, fd, bad[i].addr, 1), "readv(file, iov %s, 1)", bad[i].name);
	show(CALL(SYS_readv, fd, iov, 2), "readv(file, [buf 8, kernel 8], 2)");
	show(CALL(SYS_writev, fd, iov, 2), "writev(file, [buf 8, kernel 8], 2)");
	show(CALL(SYS_writev, fd, iov, -1), "writev(file, iov, -1)");
	show(CALL(SYS_writev, fd, iov, 1025), "writev(file, iov, 1025)");
	show(CALL(SYS_writev, fd, iov, 1 | HIGH), "writev(file, iov, 1 | 1 << 32)");
	show(CALL(SYS_writev, fd, big, 2), "writev(file, two iovecs of 1 << 62 bytes, 2)");
	show(CALL(SYS_readv, fd, hole + PAGE - 8, 2), "readv(file, iov ending in a hole, 2)");

	/* lseek. */
	show(CALL(SYS_lseek, fd, 5L, 99), "lseek(file, 5, 99)");
	show(CALL(SYS_lseek, fd, 5L, SEEK_SET | HIGH), "lseek(file, 5, SEEK_SET | 1 << 32)");
	show(CALL(SYS_lseek, fd, -1L, SEEK_SET), "lseek(file, -1, SEEK_SET)");
	show(CALL(SYS_lseek, fd, 1L << 62, SEEK_SET), "lseek(file, 1 << 62, SEEK_SET)");
	show(CALL(SYS_lseek, fd, 0x7fffffffffffffffL, SEEK_END), "lseek(file, LONG_MAX, SEEK_END)");
	pipe(p);
	show(CALL(SYS_lseek, p[0], 0, SEEK_SET), "lseek(pipe, 0, SEEK_SET)");
	close(p[0]);
	close(p[1]);
	close(fd);
	close(small);
}

static void path_calls(void)
{
	struct stat st;
	char path[PAGE];

	for (int i = 0; i < NBAD; i++) {
		show(CALL(SYS_open, bad[i].addr, O_RDONLY), "open(%s, O_RDONLY)", bad[i].name);
		show(CALL(SYS_openat, AT_FDCWD, bad[i].addr, O_RDONLY), "openat(AT_FDCWD, %s)",
		     bad[i].name);
		show(CALL(SYS_stat, bad[i].addr, &st), "stat(%s, buf)", bad[i].name);
		show(CALL(SYS_stat, "data", bad[i].addr), "stat(\"data\", %s)", bad[i].name);
		show(CALL(SYS_mkdir, bad[i].addr, 0755), "mkdir(%s)", bad[i].name);
		show(CALL(SYS_unlink, bad[i].addr), "unlink(%s)", bad[i].name);
		show(CALL(SYS_chdir, bad[i].addr), "chdir(%s)", bad[i].name);
	}
	show(CALL(SYS_open, edge, O_RDONLY), "open(unterminated name before a hole)");
	show(CALL(SYS_stat, edge, &st), "stat(unterminated name before a hole)");
	show(CALL(SYS_open, longname, O_RDONLY), "open(a 4999-byte name)");
	memset(path, 'p', sizeof(path));
	path[sizeof(path) - 1] = '\0';
	show(CALL(SYS_open, path, O_RDONLY), "open(a 4095-byte path)");
	show(CALL(SYS_open, "", O_RDONLY), "open(\"\")");
	show(CALL(SYS_open, "data", O_RDONLY | O_DIRECTORY), "open(file, O_DIRECTORY)");
	show(CALL(SYS_open, "data/x", O_RDONLY), "open(\"data/x\")");
	show(CALL(SYS_open, "nodir/x", O_RDWR | O_CREAT, 0644), "open(\"nodir/x\", O_CREAT)");
	show(CALL(SYS_open, ".", O_WRONLY), "open(\".\", O_WRONLY)");
	show(CALL(SYS_open, "data", O_RDONLY | O_CREAT | O_EXCL, 0644), "open(\"data\", O_EXCL)");
	show(CALL(SYS_open, "data", 3), "open(\"data\", O_ACCMODE)");
	show(CALL(SYS_openat, 1000, "data", O_RDONLY), "openat(1000, \"data\")");
	int fd = (int)CALL(SYS_open, "data", O_RDONLY);
	show(CALL(SYS_openat, fd, "x", O_RDONLY), "openat(file fd, \"x\")");
	show(CALL(SYS_openat, fd, "/dev/null", O_RDONLY) >= 0,
	     "openat(file fd, absolute path) works");
	show(CALL(SYS_fstat, fd, KERNEL_LOW), "fstat(file, kernel)");
	show(CALL(SYS_fstat, fd, ro), "fstat(file, read-only page)");
	show(CALL(SYS_fstat, fd, USER_LAST + PAGE - 8),
	     "fstat(file, across the top of user space)");
	show(CALL(SYS_fstat, -1, &st), "fstat(-1, buf)");
	show(CALL(SYS_fstat, fd | HIGH, &st), "fstat(fd | 1 << 32, buf)");
	close(fd);
	show(CALL(SYS_chdir, "data"), "chdir(file)");
	show(CALL(SYS_chdir, "missing"), "chdir(missing)");
	show(CALL(SYS_mkdir, "data", 0755), "mkdir(existing file)");
	show(CALL(SYS_mkdir, "", 0755), "mkdir(\"\")");
	show(CALL(SYS_unlink, "."), "unlink(\".\")");
	show(CALL(SYS_unlink, "missing"), "unlink(missing)");

	/* getcwd. */
	show(CALL(SYS_getcwd, rw, 0), "getcwd(buf, 0)");
	show(CALL(SYS_getcwd, rw, 1), "getcwd(buf, 1)");
	for (int i = 0; i < NBAD; i++)
		show(CALL(SYS_getcwd, bad[i].addr, 100), "getcwd(%s, 100)", bad[i].name);
	show(CALL(SYS_getcwd, ro, 100), "getcwd(read-only page, 100)");
	show(CALL(SYS_getcwd, rw, -1L) > 0, "getcwd(buf, SIZE_MAX) works");

	/* getdents64. */
	fd = (int)CALL(SYS_open, ".", O_RDONLY | O_DIRECTORY);
	int file = (int)CALL(SYS_open, "data", O_RDONLY);
	show(CALL(SYS_getdents64, file, rw, PAGE), "getdents64(file, buf, 4096)");
	show(CALL(SYS_getdents64, -1, rw, PAGE), "getdents64(-1, buf, 4096)");
	for (int i = 0; i < NBAD; i++)
		show(CALL(SYS_getdents64, fd, bad[i].addr, PAGE), "getdents64(dir, %s, 4096)",
		     bad[i].name);
	show(CALL(SYS_getdents64, fd, ro, PAGE), "getdents64(dir, read-only page, 4096)");
	show(CALL(SYS_getdents64, fd, rw, 0), "getdents64(dir, buf, 0)");
	show(CALL(SYS_getdents64, fd, rw, 10), "getdents64(dir, buf, 10)");
	close(fd);
	close(file);
}

static void fd_calls(void)
{
	int fd = make_file("fds", 100);
	int p[2];

	show(CALL(SYS_close, -1), "close(-1)");
	show(CALL(SYS_close, 100000), "close(100000)");
	show(CALL(SYS_dup, -1), "dup(-1)");
	show(CALL(SYS_dup, fd | HIGH) >= 0, "dup(fd | 1 << 32) works");
	show(CALL(SYS_dup2, -1, 5), "dup2(-1, 5)");
	show(CALL(SYS_dup2, fd, -1), "dup2(fd, -1)");
	show(CALL(SYS_dup2, fd, 1 << 30), "dup2(fd, 1 << 30)");
	show(CALL(SYS_dup2, fd | HIGH, fd) == fd, "dup2(fd | 1 << 32, fd) returns fd");
	show(CALL(SYS_write, fd, "ok", 2), "write(fd, \"ok\", 2) after it");
	show(CALL(SYS_dup2, fd, fd | HIGH) == fd, "dup2(fd, fd | 1 << 32) returns fd");
	show(CALL(SYS_write, fd, "ok", 2), "write(fd, \"ok\", 2) after that");
	show(CALL(SYS_dup3, fd, fd, 0), "dup3(fd, fd, 0)");
	show(CALL(SYS_dup3, fd, 20, 1), "dup3(fd, 20, 1)");
	show(CALL(SYS_dup3, fd | HIGH, fd, 0), "dup3(fd | 1 << 32, fd, 0)");
	show(CALL(SYS_fcntl, fd, 9999), "fcntl(fd, 9999)");
	show(CALL(SYS_fcntl, -1, F_GETFD), "fcntl(-1, F_GETFD)");
	show(CALL(SYS_fcntl, fd, F_DUPFD, -1), "fcntl(fd, F_DUPFD, -1)");
	show(CALL(SYS_fcntl, fd, F_DUPFD, 1 << 30), "fcntl(fd, F_DUPFD, 1 << 30)");
	show(CALL(SYS_fcntl, fd, F_GETFD | HIGH), "fcntl(fd, F_GETFD | 1 << 32)");
	show(CALL(SYS_fcntl, fd | HIGH, F_GETFD), "fcntl(fd | 1 << 32, F_GETFD)");
	for (int i = 0; i < NBAD; i++)
		show(CALL(SYS_pipe, bad[i].addr), "pipe(%s)", bad[i].name);
	show(CALL(SYS_pipe, ro), "pipe(read-only page)");
	show(CALL(SYS_pipe2, p, 0x12345), "pipe2(fds, 0x12345)");
	show(CALL(SYS_pipe2, p, O_CLOEXEC | HIGH) == 0, "pipe2(fds, O_CLOEXEC | 1 << 32) works");
	show(CALL(SYS_dup, 3) >= 0, "fd 3 still works: dup(3)");
	show(CALL(SYS_ioctl, -1, 0x5401, rw), "ioctl(-1, TCGETS, buf)");
	show(CALL(SYS_ioctl, fd, 0x5401, rw), "ioctl(file, TCGETS, buf)");
	show(CALL(SYS_ioctl, p[0], 0x5401, KERNEL_LOW), "ioctl(pipe, TCGETS, kernel)");
	show(CALL(SYS_ioctl, fd, 0x5413, NULL), "ioctl(file, TIOCGWINSZ, NULL)");
}

static void mem_calls(void)
{
	show(CALL(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap(len 0)");
	show(CALL(SYS_mmap, 0, -1L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	     "mmap(len SIZE_MAX)");
	show(CALL(SYS_mmap, 0, 1L << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	     "mmap(len 1 << 62)");
	show(CALL(SYS_mmap, 0, -PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	     "mmap(len -4096)");
	show(CALL(SYS_mmap, 0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0),
	     "mmap(neither private nor shared)");
	show(CALL(SYS_mmap, rw + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	          0),
	     "mmap(MAP_FIXED, unaligned)");
	show(CALL(SYS_mmap, KERNEL_LOW, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	          -1, 0),
	     "mmap(MAP_FIXED, kernel)");
	show(CALL(SYS_mmap, KERNEL_TEXT, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	          -1, 0),
	     "mmap(MAP_FIXED, kernel text)");
	show(CALL(SYS_mmap, NONCANON, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	          0),
	     "mmap(MAP_FIXED, non-canonical)");
	show(CALL(SYS_mmap, USER_LAST, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	          -1, 0),
	     "mmap(MAP_FIXED, across the top of user space)");
	show(CALL(SYS_mmap, -PAGE, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	          0),
	     "mmap(MAP_FIXED, wrapping around)");
	long a = CALL(SYS_mmap, KERNEL_LOW, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show(a > 0 && a < NONCANON, "mmap(hint kernel) lands in user space");
	a = CALL(SYS_mmap, -PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show(a > 0 && a < NONCANON, "mmap(hint -4096) lands in user space");

	show(CALL(SYS_munmap, rw + 1, PAGE), "munmap(unaligned)");
	show(CALL(SYS_munmap, rw, 0), "munmap(len 0)");
	show(CALL(SYS_munmap, KERNEL_LOW, PAGE), "munmap(kernel)");
	show(CALL(SYS_munmap, KERNEL_TEXT, PAGE), "munmap(kernel text)");
	show(CALL(SYS_munmap, NONCANON, PAGE), "munmap(non-canonical)");
	show(CALL(SYS_munmap, USER_LAST, 2 * PAGE), "munmap(across the top of user space)");
	show(CALL(SYS_munmap, 0x10000, -PAGE), "munmap(len -4096)");
	show(CALL(SYS_munmap, hole + PAGE, PAGE), "munmap(an unmapped page)");

	show(CALL(SYS_mprotect, rw + 1, PAGE, PROT_READ), "mprotect(unaligned)");
	show(CALL(SYS_mprotect, hole + PAGE, PAGE, PROT_READ), "mprotect(an unmapped page)");
	show(CALL(SYS_mprotect, hole, 3 * PAGE, PROT_READ), "mprotect(across a hole)");
	show(CALL(SYS_mprotect, rw, -1L, PROT_READ), "mprotect(len SIZE_MAX)");
	show(CALL(SYS_mprotect, rw, PAGE, 0x100), "mprotect(unknown prot bit)");
	show(CALL(SYS_mprotect, KERNEL_LOW, PAGE, PROT_READ), "mprotect(kernel)");
	show(CALL(SYS_mprotect, NONCANON, PAGE, PROT_READ), "mprotect(non-canonical)");
	show(CALL(SYS_mprotect, rw, 0, PROT_READ), "mprotect(len 0)");

	long cur = CALL(SYS_brk, 0);
	show(CALL(SYS_brk, KERNEL_LOW) == cur, "brk(kernel) leaves the break");
	show(CALL(SYS_brk, NONCANON) == cur, "brk(non-canonical) leaves the break");
	show(CALL(SYS_brk, -1L) == cur, "brk(-1) leaves the break");
	show(CALL(SYS_brk, 1) == cur, "brk(1) leaves the break");
}

/* The calls lab 6 adds (never one that could wait, nor change this process's group). */
static void signal_calls_lab6(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } }, bad_usec = { { 0, 0 }, { 0, 1000000 } };
	for (int i = 0; i < NBAD; i++) {
		if (bad[i].addr == 0)
			continue;
		show(CALL(SYS_rt_sigpending, bad[i].addr, 8), "rt_sigpending(%s)", bad[i].name);
		show(CALL(SYS_rt_sigsuspend, bad[i].addr, 8), "rt_sigsuspend(%s)", bad[i].name);
		show(CALL(SYS_sigaltstack, bad[i].addr, NULL), "sigaltstack(ss %s)", bad[i].name);
		show(CALL(SYS_sigaltstack, NULL, bad[i].addr), "sigaltstack(old %s)", bad[i].name);
		show(CALL(SYS_setitimer, ITIMER_REAL, bad[i].addr, NULL), "setitimer(value %s)",
		     bad[i].name);
		show(CALL(SYS_setitimer, 7, bad[i].addr, NULL), "setitimer(7, value %s)",
		     bad[i].name);
		show(CALL(SYS_setitimer, ITIMER_REAL, &off, bad[i].addr), "setitimer(old %s)",
		     bad[i].name);
		show(CALL(SYS_getitimer, ITIMER_REAL, bad[i].addr), "getitimer(%s)", bad[i].name);
	}
	show(CALL(SYS_rt_sigpending, rw, 9), "rt_sigpending(size 9)");
	show(CALL(SYS_rt_sigpending, rw, 0), "rt_sigpending(size 0)");
	show(CALL(SYS_rt_sigpending, rw, -1L), "rt_sigpending(size -1)");
	show(CALL(SYS_rt_sigsuspend, rw, 4), "rt_sigsuspend(sigsetsize 4)");
	stack_t ss = { rw, 0, 100 };
	show(CALL(SYS_sigaltstack, &ss, NULL), "sigaltstack(100 bytes)");
	ss.ss_size = 2 * PAGE;
	ss.ss_flags = 5;
	show(CALL(SYS_sigaltstack, &ss, NULL), "sigaltstack(flags 5)");
	ss.ss_flags = SS_DISABLE;
	ss.ss_size = 1;
	show(CALL(SYS_sigaltstack, &ss, NULL), "sigaltstack(SS_DISABLE, 1 byte)");
	show(CALL(SYS_setitimer, ITIMER_REAL, &bad_usec, NULL), "setitimer(1000000 us)");
	show(CALL(SYS_setitimer, 7, &off, NULL), "setitimer(7)");
	show(CALL(SYS_setitimer, ITIMER_REAL | HIGH, &off, NULL), "setitimer(0 | 1 << 32)");
	show(CALL(SYS_getitimer, 7, rw), "getitimer(7)");
	show(CALL(SYS_alarm, 0), "alarm(0)");
	show(CALL(SYS_tgkill, 0, getpid(), 0), "tgkill(0, self, 0)");
	show(CALL(SYS_tgkill, getpid(), 0, 0), "tgkill(self, 0, 0)");
	show(CALL(SYS_tgkill, getpid(), getpid(), 65), "tgkill(self, self, 65)");
	show(CALL(SYS_tgkill, getpid(), 999999, 0), "tgkill(self, 999999, 0)");
	show(CALL(SYS_tgkill, 999999, getpid(), 0), "tgkill(999999, self, 0)");
	show(CALL(SYS_tgkill, getpid(), getpid(), 0), "tgkill(self, self, 0)");
	show(CALL(SYS_tkill, 0, 0), "tkill(0, 0)");
	show(CALL(SYS_tkill, getpid(), -1), "tkill(self, -1)");
	show(CALL(SYS_tkill, getpid() | HIGH, 0), "tkill(self | 1 << 32, 0)");
	show(CALL(SYS_setpgid, -5, 0), "setpgid(-5, 0)");
	show(CALL(SYS_setpgid, 999999, 0), "setpgid(999999, 0)");
	show(CALL(SYS_setpgid, 0, 999999), "setpgid(0, 999999)");
	show(CALL(SYS_getpgid, 999999), "getpgid(999999)");
	show(CALL(SYS_getpgid, -5), "getpgid(-5)");
	show(CALL(SYS_getsid, 999999), "getsid(999999)");
	show(CALL(SYS_getpgid, 0) == getpgrp(), "getpgid(0) == getpgrp()");
}

static void signal_calls(void)
{
	long act[4] = { 0 };
	for (int i = 0; i < NBAD; i++) {
		if (bad[i].addr == 0)
			continue;
		show(CALL(SYS_rt_sigaction, SIGUSR1, bad[i].addr, NULL, 8), "rt_sigaction(act %s)",
		     bad[i].name);
		show(CALL(SYS_rt_sigaction, SIGUSR1, NULL, bad[i].addr, 8),
		     "rt_sigaction(oldact %s)", bad[i].name);
		show(CALL(SYS_rt_sigprocmask, SIG_BLOCK, bad[i].addr, NULL, 8),
		     "rt_sigprocmask(set %s)", bad[i].name);
		show(CALL(SYS_rt_sigprocmask, SIG_BLOCK, NULL, bad[i].addr, 8),
		     "rt_sigprocmask(oldset %s)", bad[i].name);
	}
	show(CALL(SYS_rt_sigaction, 0, act, NULL, 8), "rt_sigaction(0)");
	show(CALL(SYS_rt_sigaction, 65, act, NULL, 8), "rt_sigaction(65)");
	show(CALL(SYS_rt_sigaction, SIGUSR1 | HIGH, NULL, NULL, 8),
	     "rt_sigaction(SIGUSR1 | 1 << 32)");
	show(CALL(SYS_rt_sigaction, SIGKILL, act, NULL, 8), "rt_sigaction(SIGKILL, act)");
	show(CALL(SYS_rt_sigaction, SIGSTOP, act, NULL, 8), "rt_sigaction(SIGSTOP, act)");
	show(CALL(SYS_rt_sigaction, SIGKILL, NULL, rw, 8), "rt_sigaction(SIGKILL, NULL, oldact)");
	show(CALL(SYS_rt_sigaction, SIGUSR1, act, NULL, 4), "rt_sigaction(sigsetsize 4)");
	show(CALL(SYS_rt_sigprocmask, 3, rw, NULL, 8), "rt_sigprocmask(how 3)");
	show(CALL(SYS_rt_sigprocmask, SIG_BLOCK, rw, NULL, 16), "rt_sigprocmask(sigsetsize 16)");
	show(CALL(SYS_kill, getpid(), 65), "kill(self, 65)");
	show(CALL(SYS_kill, getpid(), -1), "kill(self, -1)");
	show(CALL(SYS_kill, getpid(), 0), "kill(self, 0)");
	show(CALL(SYS_kill, getpid() | HIGH, 0), "kill(self | 1 << 32, 0)");
	show(CALL(SYS_kill, 999999, 0), "kill(999999, 0)");
	show(CALL(SYS_kill, 999999, 65), "kill(999999, 65)");
	show(CALL(SYS_kill, -999999, 0), "kill(-999999, 0)");
	show(CALL(SYS_kill, (long)INT32_MIN, 0), "kill(INT_MIN, 0)");
	show(CALL(SYS_kill, -1, 65), "kill(-1, 65)");
	signal_calls_lab6();
}

static void process_calls(void)
{
	struct timespec ts = { 0, 1000 };
	int status;

	for (int i = 0; i < NBAD; i++) {
		if (bad[i].addr == 0)
			continue;
		show(CALL(SYS_nanosleep, bad[i].addr, NULL), "nanosleep(%s, NULL)", bad[i].name);
		show(CALL(SYS_uname, bad[i].addr), "uname(%s)", bad[i].name);
		show(CALL(SYS_sysinfo, bad[i].addr), "sysinfo(%s)", bad[i].name);
		show(CALL(SYS_times, bad[i].addr), "times(%s)", bad[i].name);
		show(CALL(SYS_clock_gettime, CLOCK_MONOTONIC, bad[i].addr), "clock_gettime(%s)",
		     bad[i].name);
		show(CALL(SYS_arch_prctl, 0x1002, bad[i].addr), "arch_prctl(ARCH_SET_FS, %s)",
		     bad[i].name);
		show(CALL(SYS_arch_prctl, 0x1003, bad[i].addr), "arch_prctl(ARCH_GET_FS, %s)",
		     bad[i].name);
		show(CALL(SYS_getrandom, bad[i].addr, 16, 0), "getrandom(%s, 16)", bad[i].name);
	}
	show(CALL(SYS_nanosleep, NULL, NULL), "nanosleep(NULL, NULL)");
	show(CALL(SYS_uname, NULL), "uname(NULL)");
	show(CALL(SYS_uname, ro), "uname(read-only page)");
	show(CALL(SYS_sysinfo, NULL), "sysinfo(NULL)");
	show(CALL(SYS_times, NULL) > 0, "times(NULL) works");
	show(CALL(SYS_clock_gettime, CLOCK_MONOTONIC, NULL), "clock_gettime(NULL)");
	show(CALL(SYS_clock_gettime, 1000, &ts), "clock_gettime(1000, ts)");
	show(CALL(SYS_clock_gettime, CLOCK_MONOTONIC | HIGH, &ts),
	     "clock_gettime(MONOTONIC | 1 << 32)");
	ts.tv_nsec = 1000000000;
	show(CALL(SYS_nanosleep, &ts, NULL), "nanosleep(tv_nsec 1e9)");
	ts.tv_nsec = -1;
	show(CALL(SYS_nanosleep, &ts, NULL), "nanosleep(tv_nsec -1)");
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	show(CALL(SYS_nanosleep, &ts, NULL), "nanosleep(tv_sec -1)");
	show(CALL(SYS_arch_prctl, 0x9999, rw), "arch_prctl(0x9999)");
	show(CALL(SYS_getrandom, rw, 16, 0x100), "getrandom(flags 0x100)");
	show(CALL(SYS_getrandom, rw, 0, 0), "getrandom(len 0)");
	show(CALL(SYS_getrandom, edge, 2 * PAGE, 0), "getrandom(a page then a hole, 8192)");
	show(CALL(SYS_getpriority, 99, 0), "getpriority(99, 0)");
	show(CALL(SYS_getpriority, 0, 999999), "getpriority(PRIO_PROCESS, 999999)");
	show(CALL(SYS_setpriority, 99, 0, 0), "setpriority(99, 0, 0)");
	show(CALL(SYS_setpriority, 0, 999999, 0), "setpriority(PRIO_PROCESS, 999999, 0)");
	show(CALL(SYS_reboot, 1, 2, 3, 0), "reboot(bad magic)");

	show(CALL(SYS_wait4, -1, &status, 0, NULL), "wait4(-1) without children");
	show(CALL(SYS_wait4, -1, &status, 0x12345, NULL), "wait4(bad options)");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	show(CALL(SYS_wait4, pid, KERNEL_LOW, 0, NULL), "wait4(child, kernel)");
	show(CALL(SYS_wait4, pid, &status, 0, NULL) == pid, "wait4(child) then reaps it");

	/* execve from a child: each must fail, and the child then exits 0. */
	char *ok_argv[] = { "x", NULL };
	char *bad_argv[] = { "x", (char *)KERNEL_LOW, NULL };
	int fd = open("script", O_RDWR | O_CREAT | O_TRUNC, 0755);
	write(fd, "echo hi\n", 8);
	close(fd);
	struct {
		const char *what;
		long path, argv, envp;
	} ex[] = {
		{ "execve(NULL)", 0, (long)ok_argv, 0 },
		{ "execve(kernel)", KERNEL_LOW, (long)ok_argv, 0 },
		{ "execve(missing)", (long)"missing", (long)ok_argv, 0 },
		{ "execve(a directory)", (long)".", (long)ok_argv, 0 },
		{ "execve(a text file)", (long)"script", (long)ok_argv, 0 },
		{ "execve(argv kernel)", (long)"/bin/true", KERNEL_LOW, 0 },
		{ "execve(argv with a kernel string)", (long)"/bin/true", (long)bad_argv, 0 },
		{ "execve(argv running into a hole)", (long)"/bin/true", (long)(hole + PAGE - 8),
		  0 },
		{ "execve(envp kernel)", (long)"/bin/true", (long)ok_argv, KERNEL_LOW },
	};
	for (unsigned i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			show(CALL(SYS_execve, ex[i].path, ex[i].argv, ex[i].envp), "%s",
			     ex[i].what);
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, &status, 0);
	}
}

/* The calls real programs (busybox, musl's own) make beyond the labs' first ones. */
static void newer_calls(void)
{
	struct stat st;
	char buf[256];
	long rl[2];
	int fd = make_file("newer", 100);
	int out = open("sendfile-out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long big = 1L << 50;

	symlink("newer", "newer-link");
	memset(edge, 'a', PAGE); /* getrandom wrote over it */
	for (int i = 0; i < NBAD; i++) {
		long b = bad[i].addr;
		const char *n = bad[i].name;
		show(CALL(SYS_newfstatat, AT_FDCWD, b, &st, 0), "newfstatat(%s, buf)", n);
		show(CALL(SYS_newfstatat, AT_FDCWD, "newer", b, 0), "newfstatat(\"newer\", %s)", n);
		show(CALL(SYS_lstat, b, &st), "lstat(%s, buf)", n);
		show(CALL(SYS_mkdirat, AT_FDCWD, b, 0755), "mkdirat(%s)", n);
		show(CALL(SYS_unlinkat, AT_FDCWD, b, 0), "unlinkat(%s)", n);
		show(CALL(SYS_rename, b, "x"), "rename(%s, x)", n);
		show(CALL(SYS_rename, "newer", b), "rename(\"newer\", %s)", n);
		show(CALL(SYS_link, b, "x"), "link(%s, x)", n);
		show(CALL(SYS_symlink, b, "x"), "symlink(%s, x)", n);
		show(CALL(SYS_symlink, "x", b), "symlink(x, %s)", n);
		show(CALL(SYS_readlink, b, buf, sizeof(buf)), "readlink(%s, buf)", n);
		show(CALL(SYS_readlink, "newer-link", b, sizeof(buf)), "readlink(link, %s)", n);
		show(CALL(SYS_access, b, 0), "access(%s)", n);
		show(CALL(SYS_chmod, b, 0644), "chmod(%s)", n);
		show(CALL(SYS_truncate, b, 0), "truncate(%s)", n);
		show(CALL(SYS_utimensat, AT_FDCWD, "newer", b, 0), "utimensat(\"newer\", %s)", n);
		show(CALL(SYS_pread64, fd, b, 16, 0), "pread64(file, %s, 16)", n);
		show(CALL(SYS_pwrite64, fd, b, 16, 0), "pwrite64(file, %s, 16)", n);
		if (b) {
			show(CALL(SYS_poll, b, 1, 0), "poll(%s, 1, 0)", n);
			show(CALL(SYS_select, 1, b, NULL, NULL, NULL), "select(1, %s)", n);
			show(CALL(SYS_getrlimit, 7, b), "getrlimit(NOFILE, %s)", n);
			show(CALL(SYS_prlimit64, 0, 7, b, NULL), "prlimit64(0, NOFILE, new %s)", n);
			show(CALL(SYS_prlimit64, 0, 7, NULL, b), "prlimit64(0, NOFILE, old %s)", n);
			show(CALL(SYS_gettimeofday, b, NULL), "gettimeofday(%s)", n);
			show(CALL(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, b, NULL),
			     "clock_nanosleep(%s)", n);
			show(CALL(SYS_fcntl, fd, F_GETLK, b), "fcntl(F_GETLK, %s)", n);
			show(CALL(SYS_fcntl, fd, F_SETLK, b), "fcntl(F_SETLK, %s)", n);
			show(CALL(SYS_statfs, "newer", b), "statfs(\"newer\", %s)", n);
			show(CALL(SYS_sendfile, out, fd, b, 1),
			     "sendfile(file, file, offset %s, 1)", n);
		}
	}
	show(CALL(SYS_pread64, fd, rw, -1L, 0), "pread64(file, buf, SIZE_MAX)");
	show(CALL(SYS_pread64, fd, rw, 16, -1L), "pread64(file, buf, 16, -1)");
	show(CALL(SYS_pread64, fd, ro, 16, 0), "pread64(file, read-only page, 16)");
	show(CALL(SYS_pread64, fd | HIGH, rw, 16, 0), "pread64(fd | 1 << 32, buf, 16)");
	show(CALL(SYS_pwrite64, fd, rw, 1L << 62, 0), "pwrite64(file, buf, 1 << 62)");
	show(CALL(SYS_readlink, "newer-link", rw, -1), "readlink(link, buf, -1)");
	show(CALL(SYS_readlink, "newer-link", rw, 1 | HIGH), "readlink(link, buf, 1 | 1 << 32)");
	show(CALL(SYS_readlink, edge, rw, 10), "readlink(unterminated name before a hole)");
	show(CALL(SYS_newfstatat, AT_FDCWD, edge, &st, 0),
	     "newfstatat(unterminated name before a hole)");
	show(CALL(SYS_newfstatat, AT_FDCWD, "newer", &st, -1), "newfstatat(flags -1)");
	show(CALL(SYS_newfstatat, fd | HIGH, "", &st, AT_EMPTY_PATH),
	     "newfstatat(fd | 1 << 32, \"\", AT_EMPTY_PATH)");
	show(CALL(SYS_unlinkat, AT_FDCWD, "newer", 0x200 | HIGH) == 0 ? 1 : -1,
	     "unlinkat(\"newer\", AT_REMOVEDIR | 1 << 32): a file");
	show(CALL(SYS_unlinkat, AT_FDCWD, "x", -1), "unlinkat(flags -1)");
	show(CALL(SYS_renameat2, AT_FDCWD, longname, AT_FDCWD, "x", 0),
	     "renameat2(a 4999-byte name)");
	show(CALL(SYS_renameat2, AT_FDCWD, "x", AT_FDCWD, "y", -1), "renameat2(flags -1)");
	show(CALL(SYS_renameat2, 1000, "x", AT_FDCWD, "y", 0), "renameat2(dirfd 1000)");
	show(CALL(SYS_linkat, AT_FDCWD, "newer", AT_FDCWD, "y", -1), "linkat(flags -1)");
	show(CALL(SYS_symlink, longname, "y"), "symlink(a 4999-byte target)");
	show(CALL(SYS_access, "newer", -1), "access(mode -1)");
	show(CALL(SYS_access, "newer", 4 | HIGH), "access(R_OK | 1 << 32)");
	show(CALL(SYS_faccessat2, AT_FDCWD, "newer", 0, -1), "faccessat2(flags -1)");
	show(CALL(SYS_truncate, "newer", -1L), "truncate(-1)");
	show(CALL(SYS_ftruncate, fd, 1L << 62), "ftruncate(1 << 62)");
	show(CALL(SYS_ftruncate, fd | HIGH, 10), "ftruncate(fd | 1 << 32, 10)");
	show(CALL(SYS_umask, 022 | HIGH), "umask(022 | 1 << 32)");
	show(CALL(SYS_umask, 022), "umask(022) again");
	show(CALL(SYS_poll, rw, -1, 0), "poll(buf, UINT_MAX, 0)");
	show(CALL(SYS_poll, rw, 1L << 32, 0), "poll(buf, 1 << 32, 0): nfds 0");
	show(CALL(SYS_poll, hole + PAGE - 8, 2, 0), "poll(fds running into a hole, 2, 0)");
	show(CALL(SYS_select, -1, NULL, NULL, NULL, NULL), "select(-1)");
	show(CALL(SYS_select, 1, NULL, NULL, NULL, KERNEL_LOW), "select(timeout kernel)");
	show(CALL(SYS_getrlimit, -1, rw), "getrlimit(-1)");
	show(CALL(SYS_getrlimit, 7 | HIGH, rw) == 0, "getrlimit(NOFILE | 1 << 32) works");
	rl[0] = 2048;
	rl[1] = 1024;
	show(CALL(SYS_setrlimit, 7, rl), "setrlimit(NOFILE, soft above hard)");
	show(CALL(SYS_prlimit64, -1, 7, NULL, rl), "prlimit64(pid -1)");
	show(CALL(SYS_clock_getres, 1000, rw), "clock_getres(1000)");
	show(CALL(SYS_clock_getres, CLOCK_MONOTONIC | HIGH, rw),
	     "clock_getres(MONOTONIC | 1 << 32)");
	show(CALL(SYS_clock_nanosleep, 1000, 0, rw, NULL),
	     "clock_nanosleep(clock 1000): 0, the error returned");
	show(CALL(SYS_sched_getaffinity, 0, -1, rw) > 0, "sched_getaffinity(len UINT_MAX) works");
	show(CALL(SYS_sched_getaffinity, 0, 8, ro), "sched_getaffinity(read-only page)");
	show(CALL(SYS_prctl, 15, KERNEL_LOW), "prctl(PR_SET_NAME, kernel)");
	show(CALL(SYS_prctl, 16, ro), "prctl(PR_GET_NAME, read-only page)");
	show(CALL(SYS_fcntl, fd, F_SETLKW | HIGH, NULL), "fcntl(F_SETLKW | 1 << 32, NULL)");
	show(CALL(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, fd, 1), "mmap(file, offset 1)");
	show(CALL(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), "mmap(fd -1, not anonymous)");
	show(CALL(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE, -1, 0),
	     "mmap(len 0, fd -1, not anonymous)");
	show(CALL(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, fd | HIGH, 0) > 0,
	     "mmap(file, fd | 1 << 32) works");
	show(CALL(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, fd, -PAGE),
	     "mmap(file, offset -4096)");
	show(CALL(SYS_sendfile, out, fd, NULL, -1L), "sendfile(file, file, NULL, SIZE_MAX)");
	show(CALL(SYS_sendfile, out, fd, &big, 1), "sendfile(file, file, offset 1 << 50, 1)");
	show(CALL(SYS_sendfile, out | HIGH, fd, NULL, 1), "sendfile(out | 1 << 32, file, NULL, 1)");
	close(out);
	close(fd);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || (mkdir(argv[1], 0755) < 0 && errno != EEXIST) || chdir(argv[1]) < 0) {
		printf("usage: musl-hostile DIR (a scratch directory, made if missing)\n");
		return 2;
	}
	setup();
	io_calls();
	path_calls();
	fd_calls();
	mem_calls();
	signal_calls();
	process_calls();
	newer_calls();
	printf("musl-hostile: done\n");
	return 0;
}
