/*
 * hardening ITEM: one regression test per way an unprivileged program once broke the
 * kernel (docs/syscalls.md, "What the kernel promises"). Each prints check lines and ends
 * with "hardening ITEM: all checks OK"; a kernel that still has the bug panics, hangs or
 * prints FAIL. grade/robust.py runs them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <ioctl.h>
#include <mman.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <sysinfo.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE 4096UL
#define HIGH (1L << 32) /* a bit above any int */

static unsigned long free_frames(void)
{
	struct sysinfo si;
	sysinfo(&si);
	return si.freeram;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Run fn in a child; its wait status. */
static int in_child(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

/* ---- 1: int arguments use their low 32 bits ------------------------------------------- */
static void fd_high_bits(void)
{
	int fd = open("/tmp-hardening", O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(syscall(SYS_dup2, fd | HIGH, fd) == fd,
	      "dup2(fd | 1 << 32, fd) is dup2(fd, fd): it returns fd");
	check(write(fd, "still open", 10) == 10, "the file is still open and usable after it");
	check(syscall(SYS_dup2, fd, fd | HIGH) == fd, "dup2(fd, fd | 1 << 32) returns fd too");
	check(syscall(SYS_dup3, fd | HIGH, fd, 0) == -1 && errno == EINVAL,
	      "dup3(fd | 1 << 32, fd, 0) is dup3 onto itself: EINVAL");
	check(write(fd, "!", 1) == 1, "and the file still works");
	check(syscall(SYS_read, fd | HIGH, NULL, 0) == 0, "read(fd | 1 << 32, NULL, 0) reads fd");
	check(syscall(SYS_close, fd | HIGH) == 0 && write(fd, "x", 1) == -1 && errno == EBADF,
	      "close(fd | 1 << 32) closes fd");
	unlink("/tmp-hardening");
}

/* ---- 2: RFLAGS.NT and RFLAGS.AC set by a program stay in that program ------------------ */
#define RFLAGS_AC 0x40000UL
#define RFLAGS_NT 0x4000UL

static void set_flags(unsigned long bits)
{
	asm volatile("pushfq; orq %0, (%%rsp); popfq" : : "r"(bits) : "memory", "cc");
}

static void clear_flags(unsigned long bits)
{
	asm volatile("pushfq; andq %0, (%%rsp); popfq" : : "r"(~bits) : "memory", "cc");
}

static void rflags(void)
{
	/* A spinning child is preempted by the timer, so the kernel returns to it with iretq,
	 * which is a task return (a #GP) if the flags it runs with have NT set. */
	pid_t spinner = fork();
	if (spinner == 0)
		for (;;)
			asm volatile("" ::: "memory");
	set_flags(RFLAGS_NT | RFLAGS_AC);
	for (int i = 0; i < 200; i++) {
		getpid();
		sched_yield();
	}
	clear_flags(RFLAGS_NT | RFLAGS_AC);
	kill(spinner, SIGKILL);
	waitpid(spinner, NULL, 0);
	check(true, "200 system calls and switches with NT and AC set, the kernel is still up");
	set_flags(RFLAGS_AC);
	char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[0] = 1; /* a page fault taken with AC set */
	clear_flags(RFLAGS_AC);
	check(true, "a page fault taken with AC set is handled");
}

/* ---- 3: mmap never maps anything outside the user half --------------------------------- */
static void mmap_kernel_half(void)
{
	unsigned long before = free_frames();
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		static const unsigned long lens[] = { 0x7fffff7fe000UL, 0x7ffffffff000UL,
			                              0x7fffff000000UL, 1UL << 46 };
		int bad = 0;
		mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			void *a = mmap(NULL, lens[i], PROT_READ | PROT_WRITE,
			               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (a != MAP_FAILED && (uintptr_t)a + lens[i] > 0x7ffffffff000UL)
				bad++;
			if (a != MAP_FAILED)
				munmap(a, lens[i]);
		}
		exit(bad);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "mmap of nearly all the address space never returns memory past the user half");
	check(free_frames() == before, "every frame is back after the child exits (%lu, %lu)",
	      before, free_frames());
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "true", NULL };
		execv("/bin/true", argv);
		exit(99);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "execve still works afterwards");
}

/* ---- 4: TCGETS writes the kernel's 36-byte struct termios, no more --------------------- */
static void tcgets(void)
{
	unsigned char buf[64];
	memset(buf, 0xAA, sizeof(buf));
	check(ioctl(0, TCGETS, buf) == 0, "TCGETS on the console works");
	int untouched = 1;
	for (size_t i = 36; i < sizeof(buf); i++)
		untouched &= buf[i] == 0xAA;
	check(untouched, "it writes 36 bytes (Linux's kernel struct termios), not a byte more");
}

/* ---- 5: long system calls neither stop time nor hang --------------------------------- */
static void long_calls(void)
{
	struct timespec t0, t1, nap = { 0, 200000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t c0 = rdtsc();
	nanosleep(&nap, NULL);
	uint64_t c1 = rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	uint64_t per_ms = (c1 - c0) / (uint64_t)(ms > 0 ? ms : 1);

	size_t len = 48UL << 20;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	c0 = rdtsc();
	ssize_t r = getrandom(buf, len, 0);
	c1 = rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long took = (long)((c1 - c0) / (per_ms ? per_ms : 1));
	long clock = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	check(r == (ssize_t)len, "getrandom of 48 MiB fills it all");
	check(clock >= took / 2 - 30,
	      "the clock goes on during it (%ld ms by the clock, %ld ms "
	      "by the cycle counter)",
	      clock, took);
	munmap(buf, len);

	/* One page fixed in the way, then a large request: answered at once. */
	mmap((void *)0x20000000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	void *big = mmap(NULL, 1UL << 40, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(true, "a 1 TiB mmap request after a MAP_FIXED page returns (%s)",
	      big == MAP_FAILED ? "ENOMEM" : "mapped");
}

/* ---- 6: int3 and icebp are SIGTRAP for the program, not the kernel monitor ------------ */
static void do_int3(void)
{
	asm volatile("int3");
}

static void do_icebp(void)
{
	asm volatile(".byte 0xf1");
}

static void do_single_step(void)
{
	asm volatile("pushfq; orq $0x100, (%rsp); popfq; nop");
}

static void int3(void)
{
	int s = in_child(do_int3);
	check(WIFSIGNALED(s) && WTERMSIG(s) == SIGTRAP, "int3 kills the program with SIGTRAP");
	s = in_child(do_single_step);
	check(WIFSIGNALED(s) && WTERMSIG(s) == SIGTRAP,
	      "the trap flag (a single step) kills the program with SIGTRAP");
	/* icebp is a debug trap on real processors; QEMU's emulator makes it an invalid
	 * opcode. Either way only the program ends. */
	s = in_child(do_icebp);
	check(WIFSIGNALED(s) && (WTERMSIG(s) == SIGTRAP || WTERMSIG(s) == SIGILL),
	      "icebp kills the program with SIGTRAP (or SIGILL: signal %d)", WTERMSIG(s));
}

/* ---- 7: no program can starve or kill init --------------------------------------------- */
static void nice_init(void)
{
	check(setpriority(PRIO_PROCESS, 0, -20) == -1 && errno == EACCES,
	      "lowering one's nice value below 0 fails with EACCES");
	check(setpriority(PRIO_PROCESS, 0, 5) == 0, "raising it to 5 works");
	check(setpriority(PRIO_PROCESS, 0, 0) == -1 && errno == EACCES,
	      "lowering it back to 0 fails with EACCES");
	check(kill(1, SIGKILL) == 0 && kill(1, SIGTERM) == 0 && kill(1, 0) == 0,
	      "SIGKILL and SIGTERM sent to init are ignored: init is still there");
}

/* ---- 8: a shared frame is copied before anybody may write it ------------------------- */
static __attribute__((noinline)) int victim(void)
{
	return 7;
}

static const int constant = 7;

static void patch_victim(void)
{
	uintptr_t page = (uintptr_t)victim & ~(PAGE - 1);
	static const unsigned char ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 }; /* mov $42, %eax; ret */
	if (mprotect((void *)page, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) < 0)
		exit(2);
	memcpy((void *)victim, ret42, sizeof(ret42));
	if (victim() != 42)
		exit(3);
	uintptr_t rodata = (uintptr_t)&constant & ~(PAGE - 1);
	if (mprotect((void *)rodata, PAGE, PROT_READ | PROT_WRITE) < 0)
		exit(4);
	*(volatile int *)&constant = 42;
}

static void mprotect_shared(void)
{
	int s = in_child(patch_victim);
	check(WIFEXITED(s) && WEXITSTATUS(s) == 0, "a child made its code and rodata writable "
	                                           "and patched them");
	check(victim() == 7, "the parent's code is its own: victim() still returns 7");
	check(*(volatile const int *)&constant == 7, "the parent's rodata is its own");

	int p[2];
	char go;
	char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[0] = 1;
	mprotect(page, PAGE, PROT_READ);
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		read(p[0], &go, 1);
		exit(page[0]);
	}
	mprotect(page, PAGE, PROT_READ | PROT_WRITE);
	page[0] = 2;
	write(p[1], "g", 1);
	waitpid(pid, &s, 0);
	check(WIFEXITED(s) && WEXITSTATUS(s) == 1, "a page re-protected writable after fork: the "
	                                           "parent's write is not seen by its child");
}

/* ---- 9: mmap and munmap give back everything ------------------------------------------ */
static void mmap_leak(void)
{
	/* Once, to let the kernel heap reach its working size. */
	void *a = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(a, 1 << 20);
	unsigned long before = free_frames();
	for (int i = 0; i < 2000; i++) {
		char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		               -1, 0);
		m[0] = m[(1 << 20) - 1] = 1;
		munmap(m, 1 << 20);
	}
	check(free_frames() == before,
	      "2000 rounds of mmap 1 MiB, touch, munmap leave free memory "
	      "where it was (%lu, %lu)",
	      before, free_frames());
	void *huge = mmap(NULL, 1UL << 46, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (huge != MAP_FAILED)
		munmap(huge, 1UL << 46);
	void *small = mmap(NULL, 256 << 10, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(small != MAP_FAILED, "after a huge mmap (%s), a 256 KiB one works",
	      huge == MAP_FAILED ? "refused" : "mapped and unmapped");
	check(free_frames() + 1 >= before, "free memory is back (%lu, %lu)", before, free_frames());
}

/* ---- 10: the checked copies handle memory that is there but not yet touched ------------ */
static __attribute__((noinline)) ssize_t read_to_stack(int fd)
{
	char big[256 * 1024]; /* untouched: the stack must grow as the kernel copies */
	ssize_t r = read(fd, big, 200000);
	return r == 200000 && big[199999] == 'z' ? r : -1;
}

static void oom_write(void)
{
	/* Take every free frame, then write: the console must not need memory for that. A 2 MiB
	 * region whose page table exists is filled last, so no page table is needed then. */
	struct sysinfo si;
	char *last =
	        mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	last = (char *)(((uintptr_t)last + (1 << 21) - 1) & ~((1UL << 21) - 1));
	last[0] = 1;
	for (sysinfo(&si); si.freeram > 400; sysinfo(&si)) {
		char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		               -1, 0);
		if (m == MAP_FAILED)
			break;
		for (unsigned long i = 0; i < 256; i++)
			m[i * PAGE] = 1;
	}
	for (unsigned long i = 1; i < 512; i++) {
		sysinfo(&si);
		if (si.freeram == 0)
			break;
		last[i * PAGE] = 1;
	}
	const char line[] = "hardening: a write with no free memory left gets through\n";
	exit(write(1, line, sizeof(line) - 1) == sizeof(line) - 1 && si.freeram == 0 ? 0 : 1);
}

static void stack_copy(void)
{
	int fd = open("/tmp-stackcopy", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *data = malloc(200000);
	memset(data, 'z', 200000);
	write(fd, data, 200000);
	lseek(fd, 0, SEEK_SET);
	check(read_to_stack(fd) == 200000, "read() into 200 KB of stack not yet touched works");
	close(fd);
	unlink("/tmp-stackcopy");

	char *small = malloc(4096);
	fd = open("/tmp-small", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	lseek(fd, 0, SEEK_SET);
	check(read(fd, small, 1 << 20) == 10,
	      "read(fd, 4 KiB buffer, 1 MiB) of a 10-byte file returns 10, as on Linux");
	close(fd);
	unlink("/tmp-small");
	int s = in_child(oom_write);
	check(WIFEXITED(s) && WEXITSTATUS(s) == 0,
	      "a child that used up all memory could still write");
}

/* ---- 11: the rest -------------------------------------------------------------------- */
static void do_x87(void)
{
	unsigned short cw = 0x037B; /* every x87 exception masked but divide by zero */
	asm volatile("fldcw %0; fld1; fldz; fdivrp; fwait" : : "m"(cw));
	exit(0);
}

static void brk_over_mapping(void)
{
	char *top = sbrk(0);
	uintptr_t above = ((uintptr_t)top + 2 * PAGE) & ~(PAGE - 1);
	char *m = mmap((void *)above, PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	m[0] = 'M';
	check(brk(top + 8 * PAGE) == -1 && sbrk(0) == top,
	      "brk over a MAP_FIXED mapping fails and leaves the break");
	check(m[0] == 'M', "the mapping's data is intact");
}

static void execve_args(void)
{
	static char *argv[602];
	argv[0] = "true";
	for (int i = 1; i < 601; i++)
		argv[i] = "argument";
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		execv("/bin/true", argv);
		exit(99);
	}
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "execve with 600 arguments (within the documented 1024) works");
}

static void rest(void)
{
	brk_over_mapping();
	execve_args();
	char *buf = malloc(4 << 20);
	for (int i = 0; i < 20; i++)
		getrandom(buf, 4 << 20, 0);
	struct tms t;
	times(&t);
	check(t.tms_stime > 0, "kernel time is counted: %ld ticks after 80 MiB of getrandom",
	      (long)t.tms_stime);
	int s = in_child(do_x87);
	check(WIFSIGNALED(s) && WTERMSIG(s) == SIGFPE,
	      "an unmasked x87 divide by zero is a SIGFPE for the program");
}

/* ---- an NMI while a program runs (the grader sends it through QEMU's monitor) ------ */
static void nmi(void)
{
	verdict("hardening nmi: spinning for 2 seconds: send the NMI now");
	long end = ticks_now() + 200;
	while (ticks_now() < end)
		for (volatile int i = 0; i < 1000; i++)
			;
	check(true, "the program ran on through the NMI");
}

static const struct {
	const char *name;
	void (*fn)(void);
} items[] = {
	{ "fd-high-bits", fd_high_bits },
	{ "rflags", rflags },
	{ "mmap-kernel-half", mmap_kernel_half },
	{ "tcgets", tcgets },
	{ "long-calls", long_calls },
	{ "int3", int3 },
	{ "nice-init", nice_init },
	{ "mprotect-shared", mprotect_shared },
	{ "mmap-leak", mmap_leak },
	{ "stack-copy", stack_copy },
	{ "rest", rest },
	{ "nmi", nmi },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (argc < 2 || strcmp(argv[1], items[i].name) != 0)
			continue;
		static char prefix[64];
		snprintf(prefix, sizeof(prefix), "hardening %s", items[i].name);
		check_prefix = prefix;
		items[i].fn();
		if (!check_failures)
			verdict("%s: all checks OK", prefix);
		return check_failures != 0;
	}
	printf("usage: hardening ITEM, one of:");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		printf(" %s", items[i].name);
	printf("\n");
	return 2;
}
