/*
 * fuzzsys [SEED [CALLS]]: system calls with random numbers and arguments drawn from the
 * classes kernels get wrong: small and huge numbers, -1, high bits above an int, NULL,
 * kernel-half and non-canonical pointers, pointers at the top of user space, into a
 * read-only page, just before an unmapped hole, at an unterminated string, and lengths
 * that wrap. The kernel must answer every one with a result or an error, never crash.
 *
 * From lab 4 on the calls run in forked children, a batch each, each child in a scratch
 * directory that is emptied when it ends, so a call that kills or stalls its child does not
 * end the run; then every frame must be back. The same SEED makes the same calls: print it,
 * replay a failure with `fuzzsys SEED CALLS`. In lab 3 (no fork) the calls that would end
 * or stall the program itself are left out and the rest run in the program.
 *
 * Lab 6: the signal calls are drawn like the others (random handlers, masks, altstacks,
 * timers): a child that blocks or ignores everything still dies of the SIGKILL the parent
 * sends when its time is up. rt_sigreturn gets frames of random words instead of the
 * child's stack, half of them made plausible (a user rip and rsp that lead back into the
 * batch), so the kernel sees forged frames of every kind and the child usually goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include <verdict.h>
#if LAB >= 4
#include <sysinfo.h>
#include <time.h>
#include <wait.h>
#endif
#if LAB >= 5
#include <dirent.h>
#include <stat.h>
#endif
#if LAB >= 6
#include <setjmp.h>
#endif

#define PAGE         4096
#define DEFAULT_SEED 0x9E3779B97F4A7C15UL
#define BATCH        2000 /* calls per child */

static unsigned long state;
#if LAB >= 5
static const long no_wait[2]; /* a zero struct timespec or timeval */
#endif

/* Scratch memory the pointers point into: two read-write pages, a read-only page, a
 * string page with no NUL followed by an unmapped page. The pages after `slack` soak up
 * calls that write more than asked into them. */
static char area[8 * PAGE] __attribute__((aligned(PAGE)));
static char *rw = area, *ro = area + 2 * PAGE, *str = area + 3 * PAGE, *hole = area + 4 * PAGE;

static unsigned long next(void)
{
	/* xorshift64 */
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* An argument: mostly from the classes of value kernels get wrong. */
static long arg(void)
{
	const long special[] = {
		0,
		1,
		2,
		3,
		-1,
		-2,
		4096,
		1L << 31,
		(1L << 31) - 1,
		(1L << 32) | 1,
		(1L << 32) | 3,
		1L << 62,
		(long)0x8000000000000000UL,
		0x7fffffffffffffffL,
		(long)0xffff800000000000UL, /* the first kernel-half address */
		(long)0xffffffff80100000UL, /* kernel text */
		0x0000800000000000L,        /* the first non-canonical address */
		0x00007ffffffff000L,        /* the last page below the top of user space */
		-4096L,                     /* a range from here wraps around */
		(long)rw,
		(long)(rw + PAGE - 1),
		(long)(rw + 2 * PAGE - 8),
		(long)ro,
		(long)(str + PAGE - 16),
		(long)hole,
		(long)(hole - 1),
		0x400000,
		0x10000,
	};
	unsigned long r = next();
	if (r % 5 == 0)
		return (long)next();
	if (r % 5 == 1)
		return (long)(r >> 8) % 64;
	return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
}

/* Calls left out: those that would end or stall the program (lab 3) or the run. */
static bool excluded(long n, bool forked)
{
	switch (n) {
	case SYS_fork: /* a child forking would fuzz twice */
#if LAB >= 7
	case SYS_clone: /* (the same) */
#endif
#if LAB >= 5
	case SYS_vfork:
	case SYS_clock_nanosleep: /* these wait */
#endif
	case SYS_kill: /* it could kill the parent */
	case SYS_reboot:
	case SYS_wait4: /* these wait */
	case SYS_nanosleep:
	case SYS_read: /* (the console) */
	case SYS_readv:
#if LAB >= 6
	case SYS_tkill: /* they could kill the parent */
	case SYS_tgkill:
	case SYS_pause: /* these wait for a signal */
	case SYS_rt_sigsuspend:
#endif
		return true;
	case SYS_exit:
	case SYS_exit_group:
	case SYS_execve:
	case SYS_munmap: /* could unmap this program */
	case SYS_mprotect:
	case SYS_mmap: /* MAP_FIXED could replace it */
	case SYS_brk:
	case SYS_close: /* could close the console */
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_fcntl:
	case SYS_arch_prctl: /* could move this program's %fs */
	case SYS_getrandom:  /* these write as much as asked: into this program's variables */
	case SYS_getdents64:
	case SYS_getcwd:
	case SYS_setpriority: /* could give this program away to the scheduler */
	case SYS_pipe:
	case SYS_pipe2:
		return !forked;
	default:
		return false;
	}
}

#if LAB >= 6
static sigjmp_buf landing_back;
static char landing_stack[16384] __attribute__((aligned(16)));

/* Where a plausible forged frame leads: back into the batch, at the next call. */
static void landing(void)
{
	siglongjmp(landing_back, 1);
}

/* rt_sigreturn with a frame of random words (argument classes and noise); three in four
 * are made plausible: a rip and rsp that lead to landing(), the code and stack selectors
 * this program runs with, ordinary flags, no mask. Returns if the kernel took the frame and
 * it led back here. */
static void forged_sigreturn(void)
{
	static long frame[128] __attribute__((aligned(64)));
	for (size_t i = 0; i < ARRAY_SIZE(frame); i++)
		frame[i] = next() % 3 ? arg() : (long)next();
	ucontext_t *uc = (ucontext_t *)frame;
	if (next() % 4) {
		uint16_t cs, ss;
		asm volatile("movw %%cs, %0; movw %%ss, %1" : "=r"(cs), "=r"(ss));
		uc->uc_mcontext.cs = cs;
		uc->uc_mcontext.ss = ss;
		uc->uc_mcontext.rip = (uint64_t)landing;
		uc->uc_mcontext.rsp = (uint64_t)(landing_stack + sizeof(landing_stack) - 8);
		uc->uc_mcontext.rflags = 0x202 | (next() & 0x8d5); /* IF, and arithmetic flags */
		uc->uc_sigmask = 0;
		if (next() % 2)
			uc->uc_mcontext.fpstate = NULL;
	}
	if (sigsetjmp(landing_back, 1) == 0)
		asm volatile("movq %0, %%rsp; movl %1, %%eax; syscall"
		             :
		             : "r"(uc), "i"(SYS_rt_sigreturn)
		             : "memory");
}
#endif

/* Make `calls` random calls; returns how many were made. */
static long batch(long calls, bool forked)
{
	long done = 0;
	for (long i = 0; i < calls; i++) {
		long n = (long)(next() % 450); /* Linux's calls go up to 451 */
		if (i % 16 == 0)
			n = (long)next(); /* now and then a number far outside the table */
		if (excluded(n, forked))
			continue;
#if LAB >= 6
		if (n == SYS_rt_sigreturn) {
			if (forked)
				forged_sigreturn();
			continue;
		}
#endif
		long a1 = arg(), a2 = arg(), a3 = arg(), a4 = arg(), a5 = arg();
		if (n == SYS_write || n == SYS_writev)
			a1 = 3 + (long)(next() % 8); /* keep garbage off the console (fds 1, 2) */
#if LAB >= 5
		if (n == SYS_pwrite64 || n == SYS_sendfile)
			a1 = 3 + (long)(next() % 8);
		/* The waits for descriptors get no time to wait (0, or a zero timeout). */
		if (n == SYS_poll)
			a3 = 0;
		if (n == SYS_ppoll)
			a3 = (long)&no_wait;
		if (n == SYS_select || n == SYS_pselect6)
			a5 = (long)&no_wait;
#endif
		raw_syscall(n, a1, a2, a3, a4, a5, arg());
		done++;
	}
	return done;
}

static void setup(void)
{
	for (int i = 0; i < 2 * PAGE; i++)
		rw[i] = (char)('a' +
		               i % 23); /* names, never absolute: they stay in the scratch dir */
	for (int i = 0; i < 2 * PAGE; i += 16)
		rw[i] = '\0';
	memset(str, 'z', PAGE);
	/* (Before lab 5 there is no mprotect or munmap: the two pages stay writable.) */
	raw_syscall(SYS_mprotect, (long)ro, PAGE, PROT_READ, 0, 0, 0);
	raw_syscall(SYS_munmap, (long)hole, PAGE, 0, 0, 0, 0);
}

#if LAB >= 5
/* Empty the scratch directory dir: what a child's calls made there. Only the stack is used
 * (no malloc), so the parent's own memory does not change between the two readings. */
static void empty(const char *dir)
{
	char buf[1024], path[512];
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	ssize_t n;

	while (fd >= 0 && (n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct linux_dirent64 *d = (const void *)(buf + off);
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			if (unlink(path) < 0 && errno == EISDIR) {
				empty(path);
				rmdir(path);
			}
		}
	}
	if (fd >= 0)
		close(fd);
}
#endif

#if LAB >= 4
static unsigned long free_frames(void)
{
	struct sysinfo si;
	sysinfo(&si);
	return si.freeram;
}

/* Run child k's batch; how it ended: 0 on its own, else counted. */
static int child(unsigned long seed, long k, long calls, long *made)
{
#if LAB >= 5
	char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/fuzz-%ld", k);
	mkdir("/tmp", 0755);
	mkdir(dir, 0755);
#endif
	pid_t pid = fork();
	if (pid == 0) {
#if LAB >= 5
		chdir(dir);
#endif
		state = seed ^ (0x9E3779B97F4A7C15UL * (unsigned long)(k + 1));
		exit(batch(calls, true) > 0 ? 0 : 1);
	}
	int status = reap_within(pid, 500);
	*made += calls;
#if LAB >= 5
	empty(dir);
	rmdir(dir);
#endif
	return status;
}
#endif

int main(int argc, char **argv)
{
	unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 0) : DEFAULT_SEED;
	long calls = argc > 2 ? atol(argv[2]) : 20000;

	setup();
	printf("fuzzsys: seed %#lx, %ld calls (replay: fuzzsys %#lx %ld)\n", seed, calls, seed,
	       calls);
#if LAB >= 4
	long made = 0, killed = 0, stalled = 0;
	/* The first child warms the kernel's caches up, and the stack this program may use is
	 * touched now: free memory is read after that. */
	volatile char stack[32 * 1024];
	for (size_t i = 0; i < sizeof(stack); i += PAGE)
		stack[i] = 0;
	child(seed, 0, BATCH / 4, &made);
	unsigned long before = free_frames();
	for (long k = 1; made < calls; k++) {
		int status = child(seed, k, MIN(BATCH, calls - made), &made);
		killed += status > 0 && WIFSIGNALED(status);
		stalled += status < 0;
	}
	unsigned long after = free_frames();
	verdict("fuzzsys: the kernel survived %ld random system calls", made);
	printf("fuzzsys: %ld children were killed by a signal, %ld stalled and were killed\n",
	       killed, stalled);
	verdict("fuzzsys: free frames %lu before, %lu after: %s", before, after,
	        before == after ? "OK" : "FAIL");
	return before == after ? 0 : 1;
#else
	state = seed;
	long made = batch(calls, false);
	verdict("fuzzsys: the kernel survived %ld random system calls", made);
	return 0;
#endif
}
