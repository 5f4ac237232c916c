/* fuzzsys: thousands of system calls with random numbers and random arguments (small
 * numbers, -1, huge values, NULL, kernel addresses, pointers into and just past its own
 * memory). The kernel must answer every one with a result or an error, never crash. Calls
 * that would end this test (exit, fork, kill, reboot, long sleeps, ...) are left out. */
#include <stdio.h>
#include <syscall.h>
#include <unistd.h>
#include <verdict.h>

#define CALLS 20000

static unsigned long state = 0x9E3779B97F4A7C15UL; /* a fixed seed: the same run every time */
/* Pointers handed to the kernel point into the first two pages; the third is slack, so a
 * call that writes a structure there (sysinfo, clock_gettime ...) cannot reach past buf
 * into this program's own variables. */
static char buf[3 * 4096] __attribute__((aligned(4096)));

static unsigned long next(void)
{
	/* xorshift64 */
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* An argument: mostly the values kernels get wrong. */
static long arg(void)
{
	static const long special[] = {
		0,
		1,
		2,
		-1,
		4096,
		1L << 31,
		1L << 62,
		(long)0xffffffff80100000UL,
		(long)0xffff800000000000UL,
		0x7ffffffff000L,
		0x7fffffffffffL,
		(long)buf,
		(long)(buf + 4095),
		(long)(buf + 2 * 4096 - 1),
		0x400000,
		0x1000,
	};
	unsigned long r = next();
	if (r % 4 == 0)
		return (long)next();
	if (r % 4 == 1)
		return (long)(r >> 8) % 64;
	return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
}

/* System calls that would end or stall the test itself. */
static bool excluded(long n)
{
	switch (n) {
	case SYS_exit:
	case SYS_exit_group:
	case SYS_fork:
	case SYS_kill:
	case SYS_nanosleep:
	case SYS_reboot:
	case SYS_execve:
	case SYS_wait4:
	case SYS_read: /* could wait for console input */
	case SYS_pipe: /* (lab 5) */
	case SYS_pipe2:
	case SYS_setpriority: /* could give this test away to the scheduler */
	case SYS_munmap:      /* could unmap this program */
	case SYS_mprotect:
	case SYS_mmap: /* MAP_FIXED could replace it */
	case SYS_brk:
	case SYS_close: /* (lab 5) could close the console */
	case SYS_dup:   /* could make fds 3-10 the console, or replace fd 1 */
	case SYS_dup2:
	case SYS_dup3:
	case SYS_fcntl:
	case SYS_arch_prctl: /* could move this program's %fs */
	case SYS_getrandom:  /* these write as many bytes as asked: a random count would */
	case SYS_getdents64: /* overwrite this program's own variables, as it should */
	case SYS_getcwd:
	case SYS_readv:
		return true;
	default:
		return false;
	}
}

int main(void)
{
	long done = 0, errors = 0;

	for (int i = 0; i < CALLS; i++) {
		long n = (long)(next() % 340);
		if (i % 16 == 0)
			n = (long)next(); /* now and then a number far outside the table */
		if (excluded(n))
			continue;
		long a1 = arg(), a2 = arg(), a3 = arg();
		if (n == SYS_write || n == SYS_writev)
			a1 = 3 + (long)(next() % 8); /* keep garbage off the console (fds 1, 2) */
		long r = raw_syscall(n, a1, a2, a3, arg(), arg(), arg());
		done++;
		errors += r < 0 && r >= -4095;
	}
	verdict("fuzzsys: the kernel survived %ld random system calls", done);
	printf("fuzzsys: %ld of them returned an error\n", errors);
	return 0;
}
