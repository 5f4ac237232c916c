/*
 * musl-signal: signals through musl's C library, as real programs use them: signal(),
 * sigaction() with and without SA_SIGINFO, masks and pending signals, sa_mask, SA_RESETHAND,
 * SA_NODEFER, SA_RESTART, sigsetjmp/siglongjmp out of a fault handler, alarm, setitimer,
 * sigsuspend, SIGCHLD, SIGPIPE, sigaltstack, process groups and the errors of each call.
 * Every line is deterministic and says only what Linux says too: the grader runs the same
 * binary on this Linux machine and compares the lines one by one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t count[65];
static volatile int order[16], norder;
static volatile int info_signo, info_code, info_pid, info_status, depth, max_depth;
static volatile void *info_addr;
static sigjmp_buf jump;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("musl-signal: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static const char *err(long r)
{
	static char buf[32];
	if (r == 0)
		return "0";
	if (r > 0) {
		snprintf(buf, sizeof(buf), "%ld", r);
		return buf;
	}
	snprintf(buf, sizeof(buf), "-1 %s", strerror(errno));
	return buf;
}

static void counter(int sig)
{
	count[sig]++;
	if (norder < 16)
		order[norder++] = sig;
}

static void with_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	count[sig]++;
	info_signo = si->si_signo;
	info_code = si->si_code;
	info_pid = si->si_pid;
	info_status = si->si_status;
	info_addr = si->si_addr;
}

static void raise_usr2_inside(int sig)
{
	count[sig]++;
	raise(SIGUSR2);
	say("inside the SIGUSR1 handler after raise(SIGUSR2): SIGUSR2 has run %d times",
	    count[SIGUSR2]);
}

static void nested(int sig)
{
	count[sig]++;
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (count[sig] < 3)
		raise(sig);
	depth--;
}

static void jump_out(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	info_signo = sig;
	info_code = si->si_code;
	info_addr = si->si_addr;
	siglongjmp(jump, 1);
}

static void on_altstack(int sig)
{
	stack_t now;
	(void)sig;
	sigaltstack(NULL, &now);
	info_status = now.ss_flags;
	stack_t other = { .ss_size = 16384, .ss_sp = malloc(16384) };
	info_code = sigaltstack(&other, NULL) == 0 ? 0 : errno;
	free(other.ss_sp);
	info_addr = __builtin_frame_address(0);
}

static int blocked(int sig)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

static int pending(int sig)
{
	sigset_t now;
	sigpending(&now);
	return sigismember(&now, sig);
}

static void handlers(void)
{
	say("signal(SIGUSR1, h) returns SIG_DFL the first time: %s",
	    signal(SIGUSR1, counter) == SIG_DFL ? "yes" : "no");
	int r = raise(SIGUSR1);
	say("raise(SIGUSR1) returns %d and the handler has run %d times", r, count[SIGUSR1]);
	say("signal(SIGUSR1, SIG_IGN) returns the handler: %s",
	    signal(SIGUSR1, SIG_IGN) == counter ? "yes" : "no");
	raise(SIGUSR1);
	say("an ignored SIGUSR1 does nothing: the handler has run %d times", count[SIGUSR1]);

	struct sigaction sa = { .sa_sigaction = with_info, .sa_flags = SA_SIGINFO }, old;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	say("kill(getpid(), SIGUSR2) with SA_SIGINFO: si_signo %d, si_code %d (SI_USER), si_pid "
	    "is mine: %s",
	    info_signo, info_code, info_pid == getpid() ? "yes" : "no");
	sigaction(SIGUSR2, NULL, &old);
	say("sigaction reads back SA_SIGINFO: %s, the handler: %s",
	    old.sa_flags & SA_SIGINFO ? "yes" : "no", old.sa_sigaction == with_info ? "yes" : "no");

	signal(SIGUSR1, counter);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	raise(SIGUSR1);
	say("blocked: 2 raises, the handler has run %d times; pending: %d", count[SIGUSR1] - 1,
	    pending(SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	say("unblocked: the handler ran once more (not twice): %d, pending: %d", count[SIGUSR1] - 1,
	    pending(SIGUSR1));

	signal(SIGUSR2, counter);
	signal(SIGTERM, counter);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	norder = 0;
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	say("three signals unblocked at once run in the order %d %d %d", order[0], order[1],
	    order[2]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = raise_usr2_inside;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	count[SIGUSR2] = 0;
	raise(SIGUSR1);
	say("after the SIGUSR1 handler with SIGUSR2 in sa_mask: SIGUSR2 has run %d times",
	    count[SIGUSR2]);

	sa.sa_handler = nested;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &sa, NULL);
	max_depth = 0;
	count[SIGUSR1] = 0;
	raise(SIGUSR1);
	say("SA_NODEFER: a handler raising its own signal nests %d deep", max_depth);
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	max_depth = 0;
	count[SIGUSR1] = 0;
	raise(SIGUSR1);
	say("without it the signal waits for the handler to return: %d deep, %d runs", max_depth,
	    count[SIGUSR1]);
	say("the handler's own signal is blocked only while it runs: %d", blocked(SIGUSR1));
}

static void resethand(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = counter, .sa_flags = SA_RESETHAND };
		count[SIGUSR1] = 0;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		raise(SIGUSR1);
		struct sigaction now;
		sigaction(SIGUSR1, NULL, &now);
		if (count[SIGUSR1] != 1 || now.sa_handler != SIG_DFL)
			_exit(1);
		raise(SIGUSR1);
		_exit(2);
	}
	int status;
	waitpid(pid, &status, 0);
	say("SA_RESETHAND: the handler runs once, then the default action kills: %s %d",
	    WIFSIGNALED(status) ? "killed by signal" : "exited",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

static void faults(void)
{
	struct sigaction sa = { .sa_sigaction = jump_out, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);

	char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sigsetjmp(jump, 1) == 0)
		page[10] = 1;
	say("a write to a read-only page: SIGSEGV %d, si_code %d (SEGV_ACCERR), si_addr right: "
	    "%s",
	    info_signo, info_code, info_addr == page + 10 ? "yes" : "no");
	say("siglongjmp out of the handler restored the mask: SIGSEGV blocked: %d",
	    blocked(SIGSEGV));
	munmap(page, 4096);
	if (sigsetjmp(jump, 1) == 0)
		*(volatile char *)(page + 100) = 1;
	say("a write to an unmapped page: SIGSEGV %d, si_code %d (SEGV_MAPERR), si_addr right: "
	    "%s",
	    info_signo, info_code, info_addr == page + 100 ? "yes" : "no");
	volatile int zero = 0, x = 1;
	if (sigsetjmp(jump, 1) == 0)
		x = x / zero;
	say("a division by zero: SIGFPE %d, si_code %d (FPE_INTDIV)", info_signo, info_code);
	if (sigsetjmp(jump, 1) == 0)
		asm volatile("ud2");
	say("ud2: SIGILL %d, si_code %d (ILL_ILLOPN)", info_signo, info_code);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		volatile int *volatile bad = (int *)16;
		signal(SIGSEGV, SIG_IGN);
		*bad = 1;
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	say("an ignored SIGSEGV from a fault still kills: signal %d",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static void timers(void)
{
	signal(SIGALRM, counter);
	count[SIGALRM] = 0;
	unsigned first = alarm(5), second = alarm(1);
	say("alarm(5) returns %u, alarm(1) then returns %u", first, second);
	errno = 0;
	int r = pause();
	say("pause() until the alarm: %d %s, SIGALRM has run %d times", r, strerror(errno),
	    count[SIGALRM]);
	struct itimerval it = { .it_interval = { 0, 20000 }, .it_value = { 0, 30000 } }, now;
	setitimer(ITIMER_REAL, &it, NULL);
	sigset_t none;
	sigemptyset(&none);
	for (int i = 0; i < 3; i++)
		sigsuspend(&none);
	getitimer(ITIMER_REAL, &now);
	say("a periodic 20 ms timer woke sigsuspend 3 times; its interval is still %ld us",
	    (long)now.it_interval.tv_usec);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	getitimer(ITIMER_REAL, &now);
	say("disarmed: %ld.%06ld", (long)now.it_value.tv_sec, (long)now.it_value.tv_usec);

	struct sigaction sa = { .sa_handler = counter };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	struct itimerval soon = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &soon, NULL);
	r = nanosleep(&req, &rem);
	say("nanosleep(2 s) cut short by SIGALRM after 0.1 s: %d %s, the rest between 1.5 and 2 "
	    "s: %s",
	    r, strerror(errno), rem.tv_sec == 1 && rem.tv_nsec >= 500000000 ? "yes" : "no");
}

static void restart(void)
{
	for (int with = 0; with < 2; with++) {
		int p[2];
		pipe(p);
		struct sigaction sa = { .sa_handler = counter, .sa_flags = with ? SA_RESTART : 0 };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			struct timespec t = { 0, 300000000 };
			nanosleep(&t, NULL);
			write(p[1], "late", 4);
			_exit(0);
		}
		close(p[1]);
		count[SIGALRM] = 0;
		struct itimerval soon = { { 0, 0 }, { 0, 50000 } };
		setitimer(ITIMER_REAL, &soon, NULL);
		char buf[8] = "";
		errno = 0;
		long n = read(p[0], buf, sizeof(buf));
		say("a pipe read interrupted by a handler %s SA_RESTART: %s%s%s (SIGALRM ran %d "
		    "times)",
		    with ? "with" : "without", err(n), n > 0 ? " bytes: " : "", n > 0 ? buf : "",
		    count[SIGALRM]);
		waitpid(pid, NULL, 0);
		close(p[0]);
	}
}

static void children(void)
{
	signal(SIGTERM, SIG_DFL);
	struct sigaction sa = { .sa_sigaction = with_info, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	count[SIGCHLD] = 0;
	sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	say("SIGCHLD: si_code %d (CLD_EXITED), si_status %d, si_pid the child's: %s", info_code,
	    info_status, info_pid == pid ? "yes" : "no");
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGTERM);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	say("a child killed by SIGTERM: SIGCHLD si_code %d (CLD_KILLED), si_status %d; "
	    "WTERMSIG %d",
	    info_code, info_status, WTERMSIG(status));

	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	errno = 0;
	pid_t r = waitpid(pid, &status, 0);
	say("with SIGCHLD ignored a child is not left for wait: waitpid %d %s", r, strerror(errno));
	signal(SIGCHLD, SIG_DFL);
}

static void pipes(void)
{
	int p[2];
	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	long n = write(p[1], "x", 1);
	say("SIGPIPE ignored: a write without readers returns %s", err(n));
	signal(SIGPIPE, counter);
	count[SIGPIPE] = 0;
	n = write(p[1], "x", 1);
	say("SIGPIPE handled: the write returns %s after the handler ran %d times", err(n),
	    count[SIGPIPE]);
	signal(SIGPIPE, SIG_DFL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	say("SIGPIPE's default action kills the writer: signal %d",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	close(p[1]);
}

static void altstack(void)
{
	stack_t ss, old;
	sigaltstack(NULL, &old);
	say("no alternate stack at first: SS_DISABLE %d", old.ss_flags == SS_DISABLE);
	ss.ss_sp = malloc(65536);
	ss.ss_size = 65536;
	ss.ss_flags = 0;
	say("sigaltstack(64 KiB) returns %s", err(sigaltstack(&ss, NULL)));
	struct sigaction sa = { .sa_handler = on_altstack, .sa_flags = SA_ONSTACK };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	say("a SA_ONSTACK handler runs on it (SS_ONSTACK %d, its locals inside: %s); changing "
	    "the stack there fails with %s",
	    info_status == SS_ONSTACK,
	    (char *)info_addr >= (char *)ss.ss_sp && (char *)info_addr < (char *)ss.ss_sp + 65536
	            ? "yes"
	            : "no",
	    strerror(info_code));
	ss.ss_size = 1000;
	errno = 0;
	say("a stack smaller than MINSIGSTKSZ: %s", err(syscall(SYS_sigaltstack, &ss, NULL)));
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &old);
	say("disabled again: SS_DISABLE %d", old.ss_flags == SS_DISABLE);
}

static void groups(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, counter);
		count[SIGUSR1] = 0;
		setpgid(0, 0);
		say("the child made its own group: getpgrp() == getpid(): %d",
		    getpgrp() == getpid());
		say("a group leader cannot setsid: %s", err(setsid()));
		fflush(stdout);
		pid_t grandchild = fork();
		if (grandchild == 0) {
			pid_t sid = setsid();
			say("a grandchild's setsid makes it the leader of a session and a group: "
			    "%d %d",
			    sid == getpid(), getpgrp() == getpid());
			say("then it cannot join its parent's group (another session): %s",
			    err(setpgid(0, getppid())));
			fflush(stdout);
			_exit(0);
		}
		waitpid(grandchild, NULL, 0);
		kill(0, SIGUSR1);
		say("kill(0, SIGUSR1) reached the caller's own group: %d", count[SIGUSR1]);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	say("getsid(0) == getsid(getpid()): %d", getsid(0) == getsid(getpid()));
	errno = 0;
	say("getpgid of no process: %s", err(getpgid(999999)));
	say("setpgid of a process that is not a child: %s", err(setpgid(1, 0)));
	say("kill of a group with no process: %s", err(kill(-999999, SIGUSR1)));
}

static void errors(void)
{
	struct sigaction sa = { .sa_handler = counter };
	errno = 0;
	say("sigaction(SIGKILL) %s", err(sigaction(SIGKILL, &sa, NULL)));
	say("sigaction(SIGSTOP) %s", err(sigaction(SIGSTOP, &sa, NULL)));
	say("sigaction(0) %s", err(sigaction(0, &sa, NULL)));
	say("sigaction(65) %s", err(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8)));
	say("kill(getpid(), 65) %s", err(kill(getpid(), 65)));
	say("kill(getpid(), 0) %s", err(kill(getpid(), 0)));
	say("kill(999999, SIGUSR1) %s", err(kill(999999, SIGUSR1)));
	say("sigprocmask(17) %s", err(syscall(SYS_rt_sigprocmask, 17, &sa.sa_mask, NULL, 8)));
	say("rt_sigsuspend with a 4-byte set %s", err(syscall(SYS_rt_sigsuspend, &sa.sa_mask, 4)));
	say("tgkill(getpid(), 0, 0) %s", err(syscall(SYS_tgkill, getpid(), 0, 0)));
	say("tgkill(getpid(), getpid(), 0) %s", err(syscall(SYS_tgkill, getpid(), getpid(), 0)));
	struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
	say("setitimer with 1000000 us %s", err(setitimer(ITIMER_REAL, &bad, NULL)));
	struct sigaction killed;
	const char *r = err(sigaction(SIGKILL, NULL, &killed));
	say("sigaction(SIGKILL, NULL, &old) %s, SIG_DFL: %d", r, killed.sa_handler == SIG_DFL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	handlers();
	resethand();
	faults();
	timers();
	restart();
	children();
	pipes();
	altstack();
	groups();
	errors();
	say("done");
	return 0;
}
