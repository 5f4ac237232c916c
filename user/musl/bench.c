/*
 * musl-bench: what the kernel's basic operations cost, in time-stamp counter cycles per
 * operation (guest instructions when QEMU runs with -icount shift=0; see docs/bench.md).
 * A static musl program, so the same binary runs on Linux for a reference figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB  (1024UL * 1024)
#define REPS 5 /* each row is the median of this many measurements */

static unsigned long rdtsc(void)
{
	unsigned int lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((unsigned long)hi << 32) | lo;
}

static void die(const char *what)
{
	printf("musl-bench: %s failed\n", what);
	exit(1);
}

/* Touch (write) every page of [p, p + len). */
static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
}

/* Fresh anonymous memory of len bytes, every page touched. */
static char *touched_memory(size_t len)
{
	if (len == 0)
		return NULL;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	touch(p, len);
	return p;
}

static void untouched(char *p, size_t len)
{
	if (len && munmap(p, len) < 0)
		die("munmap");
}

/* One measurement: cycles of n operations, divided by n. */
typedef unsigned long (*measure_fn)(unsigned long n);

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/* One row of the table: the median of the REPS measurements in v. */
static void print_row(const char *name, unsigned long *v)
{
	qsort(v, REPS, sizeof(v[0]), cmp_ul);
	printf("%-48s %12lu\n", name, v[REPS / 2]);
	fflush(stdout);
}

/* The row of f(n), measured REPS times. */
static void row(const char *name, measure_fn f, unsigned long n)
{
	unsigned long v[REPS];
	for (int i = 0; i < REPS; i++)
		v[i] = f(n);
	print_row(name, v);
}

/* The system call itself, without a C library's wrapper (which may also cache the pid). */
static unsigned long getpid_loop(unsigned long n)
{
	unsigned long t = rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		long r = SYS_getpid;
		asm volatile("syscall" : "+a"(r) : : "rcx", "r11", "memory");
	}
	return (rdtsc() - t) / n;
}

static unsigned long fork_loop(unsigned long n)
{
	unsigned long t = rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
	}
	return (rdtsc() - t) / n;
}

/* fork + exit + wait with size bytes of the parent's memory touched. */
static size_t fork_size;
static unsigned long fork_with_memory(unsigned long n)
{
	char *p = touched_memory(fork_size);
	unsigned long c = fork_loop(n);
	untouched(p, fork_size);
	return c;
}

/* A 1-byte message to a child and back, through two pipes. */
static int to_child[2], to_parent[2];
static unsigned long pipe_loop(unsigned long n)
{
	char c = 'x';
	unsigned long t = rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
			die("pipe round trip");
	}
	return (rdtsc() - t) / n;
}

static void pipe_rows(unsigned long n)
{
	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char c;
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			if (write(to_parent[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	row("pipe 1-byte round trip (2 processes)", pipe_loop, n);
	close(to_child[1]);
	close(to_parent[0]);
	waitpid(pid, NULL, 0);
}

/* The heap grown by n pages (one brk call) with each page written once, then shrunk back
 * (one brk call): the cost of each, per page. */
static void brk_rows(unsigned long n)
{
	unsigned long grow[REPS], shrink[REPS];
	for (int i = 0; i < REPS; i++) {
		unsigned long base = (unsigned long)syscall(SYS_brk, 0);
		unsigned long p = (base + PAGE - 1) & ~(PAGE - 1), top = p + n * PAGE;
		unsigned long t = rdtsc();
		if ((unsigned long)syscall(SYS_brk, top) != top)
			die("brk");
		touch((char *)p, n * PAGE);
		grow[i] = (rdtsc() - t) / n;
		t = rdtsc();
		if ((unsigned long)syscall(SYS_brk, base) != base)
			die("brk shrink");
		shrink[i] = (rdtsc() - t) / n;
	}
	print_row("brk + first touch, per page", grow);
	print_row("free (brk shrink), per page", shrink);
}

/* A child shares n touched pages; the parent writes each once, copying it. */
static unsigned long cow_loop(unsigned long n)
{
	char *p = touched_memory(n * PAGE);
	int hold[2];
	if (pipe(hold) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char c;
		close(hold[1]);
		read(hold[0], &c, 1); /* until the parent closes its end */
		_exit(0);
	}
	close(hold[0]);
	unsigned long t = rdtsc();
	touch(p, n * PAGE);
	unsigned long c = (rdtsc() - t) / n;
	close(hold[1]);
	waitpid(pid, NULL, 0);
	untouched(p, n * PAGE);
	return c;
}

/* fork's cost against the memory mapped now, which should be a line; and the cost of a
 * small process again once the memory is gone. */
static void fork_rows(unsigned long n)
{
	static const size_t mib[] = { 1, 4, 16, 64 };
	row("fork + exit + wait, small process", fork_loop, 20 * n);
	for (size_t i = 0; i < sizeof(mib) / sizeof(mib[0]); i++) {
		char name[64];
		snprintf(name, sizeof(name), "fork + exit + wait, %zu MiB touched", mib[i]);
		fork_size = mib[i] * MIB;
		row(name, fork_with_memory, (mib[i] < 16 ? 10 : 4) * n);
	}
	row("fork + exit + wait, small, after a 64 MiB peak", fork_loop, 20 * n);
}

static void getpid_rows(unsigned long n)
{
	row("getpid", getpid_loop, 1000 * n);
}

static void fork4_rows(unsigned long n)
{
	fork_size = 4 * MIB;
	row("fork + exit + wait, 4 MiB touched", fork_with_memory, 10 * n);
}

static void small_rows(unsigned long n)
{
	row("fork + exit + wait, small process", fork_loop, 20 * n);
}

static void cow_rows(unsigned long n)
{
	row("copy-on-write fault, per page", cow_loop, 256 * n);
}

static void brk_group(unsigned long n)
{
	brk_rows(256 * n);
}

static void pipe_group(unsigned long n)
{
	pipe_rows(1000 * n);
}

/* The groups of rows; `musl-bench GROUP [N]` runs one, with N times the operations (to
 * profile it: docs/bench.md). */
static const struct {
	const char *name;
	void (*run)(unsigned long n);
} groups[] = {
	{ "getpid", getpid_rows }, { "fork", fork_rows }, { "pipe", pipe_group },
	{ "brk", brk_group },      { "cow", cow_rows },   { "fork-small", small_rows },
	{ "fork-4m", fork4_rows },
};

int main(int argc, char **argv)
{
	int only = -1;
	unsigned long n = 1;
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
			if (strcmp(argv[1], groups[i].name) == 0)
				only = (int)i;
		if (only < 0) {
			printf("usage: musl-bench [getpid|fork|pipe|brk|cow|fork-small|fork-4m "
			       "[N]]\n");
			return 2;
		}
		if (argc > 2)
			n = strtoul(argv[2], NULL, 10) ?: 1;
	}
	printf("musl-bench: cycles per operation, median of %d runs\n", REPS);
	printf("--- bench begin\n");
	/* Without a group: the first five, the whole table. */
	for (size_t i = 0; i < 5; i++)
		if (only < 0 || only == (int)i)
			groups[i].run(n);
	if (only >= 5)
		groups[only].run(n);
	printf("--- bench end\n");
	return 0;
}
