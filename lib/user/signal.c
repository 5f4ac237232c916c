/*
 * User-side signals and process groups (lab 6): the wrappers of the system calls, signal()
 * and sigaction() with our own return trampoline (__restore_rt, lib/user/setjmp.S), the signal
 * sets, raise, abort, alarm and the interval timers.
 */
#include <types.h>
#include <errno.h>
#include <ioctl.h>
#include <signal.h>
#include <stdlib.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>
#include "usyscall.h"

void __restore_rt(void);

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct sigaction k;

	if (act) {
		k = *act;
		k.sa_flags |= SA_RESTORER;
		k.sa_restorer = __restore_rt;
	}
	return (int)SYSCALL6(SYS_rt_sigaction, sig, act ? &k : NULL, old, sizeof(sigset_t), 0, 0);
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)SYSCALL6(SYS_rt_sigprocmask, how, set, old, sizeof(sigset_t), 0, 0);
}

int sigpending(sigset_t *set)
{
	return (int)SYSCALL3(SYS_rt_sigpending, set, sizeof(sigset_t), 0);
}

int sigsuspend(const sigset_t *mask)
{
	return (int)SYSCALL3(SYS_rt_sigsuspend, mask, sizeof(sigset_t), 0);
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	return (int)SYSCALL3(SYS_sigaltstack, ss, old, 0);
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	return (int)SYSCALL3(SYS_tgkill, tgid, tid, sig);
}

int raise(int sig)
{
	pid_t me = getpid();
	return tgkill(me, me, sig);
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}

/* ---- signal sets ----------------------------------------------------------------------- */

static bool valid(int sig)
{
	if (sig < 1 || sig > NSIG) {
		errno = EINVAL;
		return false;
	}
	return true;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!valid(sig))
		return -1;
	*set |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!valid(sig))
		return -1;
	*set &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!valid(sig))
		return -1;
	return (*set >> (sig - 1)) & 1;
}

static const char *const names[32] = {
	[SIGHUP] = "HUP",   [SIGINT] = "INT",       [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT",     [SIGBUS] = "BUS",   [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1",     [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM",     [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT",     [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU",     [SIGURG] = "URG",   [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO",     [SIGPWR] = "PWR",       [SIGSYS] = "SYS",
};

const char *signame(int sig)
{
	return sig > 0 && sig < 32 ? names[sig] : NULL;
}

/* SIGABRT, whatever the program did with it: caught (and the handler returned), ignored or
 * blocked, the default action ends the program the second time. */
void abort(void)
{
	sigset_t set = 1UL << (SIGABRT - 1);
	raise(SIGABRT);
	signal(SIGABRT, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	_exit(127);
}

/* ---- timers and waiting ------------------------------------------------------------------ */

unsigned int alarm(unsigned int seconds)
{
	return (unsigned int)raw_syscall(SYS_alarm, seconds, 0, 0, 0, 0, 0);
}

int pause(void)
{
	return (int)SYSCALL3(SYS_pause, 0, 0, 0);
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	return (int)SYSCALL3(SYS_setitimer, which, value, old);
}

int getitimer(int which, struct itimerval *value)
{
	return (int)SYSCALL3(SYS_getitimer, which, value, 0);
}

/* ---- process groups and sessions --------------------------------------------------------- */

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)SYSCALL3(SYS_setpgid, pid, pgid, 0);
}

pid_t getpgid(pid_t pid)
{
	return (pid_t)SYSCALL3(SYS_getpgid, pid, 0, 0);
}

pid_t getpgrp(void)
{
	return (pid_t)SYSCALL3(SYS_getpgrp, 0, 0, 0);
}

pid_t setsid(void)
{
	return (pid_t)SYSCALL3(SYS_setsid, 0, 0, 0);
}

pid_t getsid(pid_t pid)
{
	return (pid_t)SYSCALL3(SYS_getsid, pid, 0, 0);
}

pid_t tcgetpgrp(int fd)
{
	pid_t pgrp;
	if (SYSCALL3(SYS_ioctl, fd, TIOCGPGRP, &pgrp) < 0)
		return -1;
	return pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return (int)SYSCALL3(SYS_ioctl, fd, TIOCSPGRP, &pgrp);
}
