/*
 * musl-sharedmap: shared mappings through musl, compared line by line with the same binary
 * on Linux (grade/lab7.py runs it there): MAP_SHARED|MAP_ANONYMOUS across fork, shared and
 * private mappings of a file, SIGBUS past the end of the file, and mmap's errors.
 *
 *	musl-sharedmap DIR		(DIR: a scratch directory, emptied first and at the end)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "show.h"

#define PG 4096
#define RW (PROT_READ | PROT_WRITE)

static sigjmp_buf escape;
static volatile int caught;

static void on_fault(int sig)
{
	caught = sig;
	siglongjmp(escape, 1);
}

/* The byte at p, or minus the signal reading it raised. */
static long peek(volatile char *p)
{
	caught = 0;
	if (sigsetjmp(escape, 1))
		return -caught;
	return *p;
}

/* Write v at p: 0, or minus the signal the write raised. */
static long poke(volatile char *p, char v)
{
	caught = 0;
	if (sigsetjmp(escape, 1))
		return -caught;
	*p = v;
	return 0;
}

/* The byte at offset off of the file (read with pread), or -1. */
static long file_byte(int fd, off_t off)
{
	char c;
	return pread(fd, &c, 1, off) == 1 ? c : -1;
}

/* Fork a child that runs fn(m) and exits with its result; the child's wait status. */
static long in_child(int (*fn)(char *), char *m)
{
	int status;
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn(m));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int child_writes(char *m)
{
	int saw = m[0] == 'p';
	m[1] = 'c';
	m[PG + 1] = 'C'; /* a page nobody touched before the fork */
	return saw ? 0 : 1;
}

static int child_second(char *m)
{
	m[PG + 2] = 'D';
	return m[PG + 1] == 'C' ? 0 : 1;
}

static void anonymous(void)
{
	char *m = mmap(NULL, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show(m != MAP_FAILED, "mmap(2 pages, MAP_SHARED|MAP_ANONYMOUS) succeeds");
	if (m == MAP_FAILED)
		return;
	show(m[0] + m[PG], "it starts zeroed");
	m[0] = 'p';
	show(in_child(child_writes, m), "a child sees the parent's byte and writes its own");
	show(m[1], "the parent sees the child's write in the page it had touched");
	show(m[PG + 1], "and in the page it had not");

	/* Written by both after the fork, synchronized by a pipe. */
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(p[0], &c, 1);
		_exit(m[2] == 'x' ? 0 : 1);
	}
	m[2] = 'x';
	write(p[1], "go", 1);
	int status;
	waitpid(pid, &status, 0);
	show(status, "a write after the fork reaches the running child");
	close(p[0]);
	close(p[1]);

	/* A private mapping beside it stays private. */
	char *q = mmap(NULL, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q[0] = 'p';
	show(in_child(child_writes, q), "a MAP_PRIVATE page: the child sees the old byte");
	show(q[1], "but its write stays in the child");

	/* Half unmapped: the other half is still shared. */
	show(munmap(m, PG), "munmap of the first page");
	show(in_child(child_second, m), "a child still shares the other page");
	show(m[PG + 2], "and the parent sees its write");
	show(munmap(m + PG, PG), "munmap of the second page");
	show(munmap(q, PG), "munmap of the private page");

	/* mprotect keeps it shared. */
	m = mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show(poke(m, 'r'), "a write to a PROT_READ shared page");
	show(mprotect(m, PG, RW), "mprotect(PROT_READ|PROT_WRITE)");
	pid = fork();
	if (pid == 0) {
		m[5] = 'm';
		_exit(0);
	}
	waitpid(pid, &status, 0);
	show(m[5], "after mprotect a child's write is still shared");
	show(munmap(m, PG), "munmap");
}

static int child_writes_file(char *m)
{
	m[30] = 'K';
	return 0;
}

static void file(void)
{
	char buf[3000];
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 'a', sizeof(buf));
	write(fd, buf, sizeof(buf));

	char *m = mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
	show(m != MAP_FAILED, "mmap(2 pages, MAP_SHARED) of a 3000-byte file");
	if (m == MAP_FAILED)
		return;
	show(peek(m), "the first byte");
	show(peek(m + 2999), "the last byte");
	show(peek(m + 3000), "past the end of the file in its last page: zero");
	show(peek(m + PG), "a page wholly past the end: the signal");
	show(poke(m + PG, 'x'), "writing there: the signal");
	show(poke(m + 10, 'Z'), "a write through the mapping");
	show(file_byte(fd, 10), "read() sees it");
	pwrite(fd, "W", 1, 20);
	show(peek(m + 20), "a pwrite() is seen through the mapping");
	show(in_child(child_writes_file, m), "a child writes through the inherited mapping");
	show(file_byte(fd, 30), "read() sees the child's write");
	struct stat st;
	fstat(fd, &st);
	show(st.st_size, "the file's size has not changed");

	show(ftruncate(fd, 2 * PG), "ftruncate to 2 pages");
	show(peek(m + PG), "the second page now reads zero");
	show(poke(m + PG + 1, 'y'), "and takes a write");
	show(file_byte(fd, PG + 1), "which read() sees");

	/* The second page alone, at an offset. */
	char *o = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG);
	show(o != MAP_FAILED ? peek(o + 1) : -1, "mmap at offset 4096 sees the same byte");
	munmap(o, PG);
	o = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 16 * PG);
	show(o != MAP_FAILED, "mmap at an offset past the end succeeds");
	show(peek(o), "and its page gives the signal");
	munmap(o, PG);

	/* A private mapping: its writes stay in it. */
	char *pm = mmap(NULL, PG, RW, MAP_PRIVATE, fd, 0);
	show(peek(pm + 10), "a MAP_PRIVATE mapping sees the data");
	show(poke(pm + 10, 'P'), "a write to it");
	show(file_byte(fd, 10), "does not reach the file");
	show(peek(m + 10), "nor the shared mapping");
	munmap(pm, PG);

	/* A read-only descriptor. */
	int ro = open("f", O_RDONLY);
	char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	show(r != MAP_FAILED ? peek(r + 30) : -1,
	     "PROT_READ, MAP_SHARED of an O_RDONLY descriptor");
	show(poke(r, 'n'), "a write to it");
	show(mprotect(r, PG, RW), "mprotect(PROT_READ|PROT_WRITE) of it");
	show(mprotect(r, PG, PROT_NONE), "mprotect(PROT_NONE) of it");
	show(peek(r), "reading it then");
	munmap(r, PG);
	show((long)mmap(NULL, PG, RW, MAP_SHARED, ro, 0), "PROT_WRITE, MAP_SHARED of it");
	r = mmap(NULL, PG, RW, MAP_PRIVATE, ro, 0);
	show(r != MAP_FAILED ? poke(r, 'n') : -1, "PROT_WRITE, MAP_PRIVATE of it, written");
	munmap(r, PG);
	close(ro);

	/* Removed while mapped: the mapping keeps the data. */
	show(unlink("f"), "unlink the file");
	close(fd);
	show(peek(m + 20), "the mapping outlives the name and the descriptor");
	show(munmap(m, 2 * PG), "munmap");
}

static void errors(void)
{
	int wo = open("w", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(wo, "data", 4);
	show((long)mmap(NULL, PG, PROT_WRITE, MAP_SHARED, wo, 0), "MAP_SHARED of O_WRONLY");
	show((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0), "MAP_PRIVATE of O_WRONLY");
	close(wo);
	unlink("w");
	int p[2];
	pipe(p);
	show((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, p[0], 0), "MAP_SHARED of a pipe");
	show((long)mmap(NULL, PG, PROT_READ, MAP_PRIVATE, p[0], 0), "MAP_PRIVATE of a pipe");
	close(p[0]);
	close(p[1]);
	int d = open(".", O_RDONLY);
	show((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, d, 0), "MAP_SHARED of a directory");
	close(d);
	int f = open("g", O_RDWR | O_CREAT | O_TRUNC, 0644);
	show((long)mmap(NULL, PG, PROT_READ, 0, f, 0), "neither MAP_SHARED nor MAP_PRIVATE");
	show((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, f, 100), "an offset not page-aligned");
	show((long)mmap(NULL, 0, PROT_READ, MAP_SHARED, f, 0), "length 0");
	show((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, 99, 0), "a closed descriptor");
	show((long)mmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) > 0,
	     "MAP_SHARED|MAP_ANONYMOUS ignores fd -1");
	close(f);
	unlink("g");
}

int main(int argc, char **argv)
{
	show_prefix = "musl-sharedmap";
	if (argc < 2 || scratch(argv[1]) < 0) {
		show(-1, "scratch directory");
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_fault };
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	anonymous();
	file();
	errors();
	scratch_done(argv[1]);
	printf("musl-sharedmap: done\n");
	return 0;
}
