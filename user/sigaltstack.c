/*
 * sigaltstack: the alternate signal stack. A stack overflow (unbounded recursion into the
 * guard page) is a SIGSEGV whose handler can only run on another stack: with SA_ONSTACK it
 * runs there and siglongjmp's back; without one the program dies of SIGSEGV. The call's
 * rules: SS_DISABLE, SS_ONSTACK inside a handler on it, EPERM for a change made from it,
 * ENOMEM below MINSIGSTKSZ, EINVAL for unknown flags, SS_AUTODISARM.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define ALT_SIZE 65536

static char *alt;
static sigjmp_buf back;
static volatile uintptr_t local_inside, fault_addr, uc_sp;
static volatile int flags_inside, change_error, depth_seen;
static volatile long depth;

static bool on_alt(uintptr_t a)
{
	return a >= (uintptr_t)alt && a < (uintptr_t)alt + ALT_SIZE;
}

/* Recurse until the stack runs out (limit is never reached: the stack ends first). */
static volatile long limit = 1L << 40;
static long __attribute__((noinline)) recurse(long n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	depth = n;
	if (n == limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

static void on_overflow(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig;
	local_inside = (uintptr_t)__builtin_frame_address(0);
	fault_addr = (uintptr_t)si->si_addr;
	uc_sp = uc->uc_mcontext.rsp;
	stack_t now;
	sigaltstack(NULL, &now);
	flags_inside = now.ss_flags;
	stack_t other = { .ss_sp = alt, .ss_size = ALT_SIZE };
	change_error = sigaltstack(&other, NULL) == 0 ? 0 : errno;
	siglongjmp(back, 1);
}

static void overflow(void)
{
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE };
	int r = sigaltstack(&ss, NULL);
	struct sigaction sa = { .sa_sigaction = on_overflow, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(back, 1) == 0)
		recurse(0);
	check(r == 0 && on_alt(local_inside),
	      "unbounded recursion overflows the 8 MiB stack; the SIGSEGV handler runs on the "
	      "alternate stack and siglongjmp's back (depth %ld)",
	      depth);
	check(fault_addr + 4096 > uc_sp && fault_addr < uc_sp + 4096 && !on_alt(uc_sp),
	      "si_addr is next to the interrupted stack pointer, in the guard page (%#lx, rsp "
	      "%#lx)",
	      fault_addr, uc_sp);
	check(flags_inside == SS_ONSTACK && change_error == EPERM,
	      "inside, sigaltstack says SS_ONSTACK, and changing it fails with EPERM (%d, %d)",
	      flags_inside, change_error);
	stack_t now;
	sigaltstack(NULL, &now);
	check(now.ss_flags == 0 && now.ss_sp == alt && now.ss_size == ALT_SIZE,
	      "back on the normal stack it is armed again: flags 0, the same stack");
	signal(SIGSEGV, SIG_DFL);

	pid_t pid = fork();
	if (pid == 0) {
		stack_t off = { .ss_flags = SS_DISABLE };
		sigaltstack(&off, NULL);
		sigaction(SIGSEGV, &sa, NULL);
		recurse(0);
		exit(0);
	}
	int status = reap_within(pid, 1000);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "without an alternate stack, the handler has no room for its frame: the overflow "
	      "kills with SIGSEGV (status %#x)",
	      status);
}

static void on_usr1(int sig)
{
	(void)sig;
	local_inside = (uintptr_t)__builtin_frame_address(0);
	stack_t now;
	sigaltstack(NULL, &now);
	flags_inside = now.ss_flags;
	if (depth_seen++ == 0)
		raise(SIGUSR2);
}

static void on_usr2(int sig)
{
	(void)sig;
	fault_addr = (uintptr_t)__builtin_frame_address(0);
}

static void rules(void)
{
	stack_t now;
	stack_t off = { .ss_flags = SS_DISABLE };
	sigaltstack(&off, NULL);
	sigaltstack(NULL, &now);
	check(now.ss_flags == SS_DISABLE && now.ss_sp == NULL && now.ss_size == 0,
	      "disabled: ss_flags SS_DISABLE, no stack");

	stack_t small = { .ss_sp = alt, .ss_size = MINSIGSTKSZ - 1 };
	errno = 0;
	int r1 = sigaltstack(&small, NULL);
	int e1 = errno;
	stack_t weird = { .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 5 };
	errno = 0;
	int r2 = sigaltstack(&weird, NULL);
	check(r1 == -1 && e1 == ENOMEM && r2 == -1 && errno == EINVAL,
	      "a stack smaller than MINSIGSTKSZ fails with ENOMEM; unknown flags with EINVAL");

	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = SS_AUTODISARM };
	sigaltstack(&ss, NULL);
	struct sigaction sa1 = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	struct sigaction sa2 = { .sa_handler = on_usr2, .sa_flags = SA_ONSTACK };
	sigaction(SIGUSR1, &sa1, NULL);
	sigaction(SIGUSR2, &sa2, NULL);
	depth_seen = 0;
	raise(SIGUSR1);
	sigaltstack(NULL, &now);
	check(on_alt(local_inside) && flags_inside == (int)SS_DISABLE && on_alt(fault_addr) &&
	              fault_addr < local_inside && now.ss_sp == alt &&
	              now.ss_flags == (int)SS_AUTODISARM,
	      "SS_AUTODISARM: inside a handler on the stack it is disarmed (a nested SA_ONSTACK "
	      "handler's frame goes on below, as on any stack), and armed again after (flags "
	      "%#x, %#x)",
	      flags_inside, now.ss_flags);

	stack_t plain = { .ss_sp = alt, .ss_size = ALT_SIZE };
	sigaltstack(&plain, NULL);
	depth_seen = 1;
	raise(SIGUSR1);
	check(on_alt(local_inside) && flags_inside == SS_ONSTACK,
	      "a SA_ONSTACK handler of a plain signal runs on the stack too (SS_ONSTACK)");
	signal(SIGUSR1, SIG_DFL);
	depth_seen = 1;
	struct sigaction normal = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &normal, NULL);
	raise(SIGUSR1);
	check(!on_alt(local_inside) && flags_inside == 0,
	      "a handler without SA_ONSTACK runs on the normal stack");
}

int main(void)
{
	check_prefix = "sigaltstack";
	alt = malloc(ALT_SIZE);
	rules();
	overflow();
	verdict("sigaltstack: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
