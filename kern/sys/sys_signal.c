/*
 * The signal system calls (lab 6): the handler table (rt_sigaction), the mask and the
 * pending set, waiting for a signal, rt_sigreturn, the alternate stack, sending signals to
 * processes and groups, the interval timer, and process groups and sessions. Linux's
 * numbers, structures, checks and errors, in Linux's order; the mechanism is in
 * kern/proc/signal.c.
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#if LAB >= 7
#include "proc/thread.h"
#endif
#include "proc/proc.h"
#include "proc/signal.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sys/syscall.h"
#include "trap/trap.h"

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
/* The sa_flags rt_sigaction keeps (Linux's UAPI_SA_FLAGS for x86-64, SA_EXPOSE_TAGBITS
 * included): the rest read back as 0. */
#define SA_KNOWN                                                                         \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | 0x800UL | SA_RESTORER | SA_ONSTACK | \
	 SA_RESTART | SA_NODEFER | SA_RESETHAND)

/* ---- handlers, masks, waiting ------------------------------------------------------------ */

long sys_rt_sigaction(const long a[6])
{
	struct proc *p = myproc();
	int sig = (int)a[0];
	struct sigaction act, old;

	if (a[3] != sizeof(sigset_t))
		return -EINVAL;
	if (a[1] && copy_from_user(&act, (uintptr_t)a[1], sizeof(act)) < 0)
		return -EFAULT;
	if (sig < 1 || sig > NSIG || (a[1] && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	old = p->sig.action[sig - 1];
	if (a[1]) {
		act.sa_flags &= SA_KNOWN;
		act.sa_mask &= ~UNBLOCKABLE;
		p->sig.action[sig - 1] = act;
		/* POSIX: setting a pending signal's action to ignore it discards it. */
		if (signal_ignores(p, sig))
			p->sig.pending &= ~SIGBIT(sig);
#if LAB >= 7
		thread_sighand_changed(p, sig); /* lab 7: the tasks sharing p's handlers */
#endif
	}
	if (a[2] && copy_to_user((uintptr_t)a[2], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(const long a[6])
{
	struct proc *p = myproc();
	sigset_t set, old = p->sig.blocked;

	if (a[3] != sizeof(sigset_t))
		return -EINVAL;
	if (a[1]) {
		if (copy_from_user(&set, (uintptr_t)a[1], sizeof(set)) < 0)
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		switch ((int)a[0]) {
		case SIG_BLOCK:
			p->sig.blocked |= set;
			break;
		case SIG_UNBLOCK:
			p->sig.blocked &= ~set;
			break;
		case SIG_SETMASK:
			p->sig.blocked = set;
			break;
		default:
			return -EINVAL;
		}
	}
	if (a[2] && copy_to_user((uintptr_t)a[2], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

/* rt_sigpending(set, size): the pending signals that are blocked (the others are being
 * delivered); as on Linux, a size up to 8 writes that many bytes of the set. */
long sys_rt_sigpending(const long a[6])
{
	struct proc *p = myproc();
	sigset_t set = p->sig.pending & p->sig.blocked;

	if ((size_t)a[1] > sizeof(set))
		return -EINVAL;
	return copy_to_user((uintptr_t)a[0], &set, (size_t)a[1]);
}

/* Sleep until a signal is to be taken (or the process is to die). */
static long wait_for_signal(struct proc *p)
{
	while (!proc_interrupted(p))
		sleep_on(&p->sig);
	return -ERESTARTNOHAND;
}

long sys_rt_sigsuspend(const long a[6])
{
	struct proc *p = myproc();
	sigset_t mask;

	if (a[1] != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, (uintptr_t)a[0], sizeof(mask)) < 0)
		return -EFAULT;
	p->sig.saved_mask = p->sig.blocked;
	p->sig.restore_mask = true; /* the delivery puts it back after the handler */
	p->sig.blocked = mask & ~UNBLOCKABLE;
	return wait_for_signal(p);
}

long sys_pause(const long a[6])
{
	(void)a;
	return wait_for_signal(myproc());
}

long sys_rt_sigreturn(const long a[6])
{
	(void)a;
	return signal_return(myproc()->tf);
}

long sys_sigaltstack(const long a[6])
{
	struct proc *p = myproc();
	stack_t ss, old;

	if (a[0] && copy_from_user(&ss, (uintptr_t)a[0], sizeof(ss)) < 0)
		return -EFAULT;
	int r = signal_altstack(p, a[0] ? &ss : NULL, a[1] ? &old : NULL, p->tf->rsp);
	if (r == 0 && a[1] && copy_to_user((uintptr_t)a[1], &old, sizeof(old)) < 0)
		return -EFAULT;
	return r;
}

/* ---- sending ------------------------------------------------------------------------------ */

/* Send sig (0: just check) to q, as kill does: 0, or -EINVAL for a bad signal. */
static long send_to(struct proc *q, int sig, const struct sig_info *info)
{
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig)
		signal_send_process(q, sig, info); /* from lab 7, a thread that takes it */
	return 0;
}

/* In use and not being built: a process kill can find (a zombie included, which takes no
 * signal but still exists). */
static bool exists(const struct proc *q)
{
	return q && q->state != PROC_UNUSED && q->state != PROC_EMBRYO;
}

long sys_kill(const long a[6])
{
	struct proc *p = myproc();
	int pid = (int)a[0], sig = (int)a[1];
	struct sig_info info = { .code = SI_USER, .pid = proc_tgid(p) };
	long r = -ESRCH;
	int n = 0;

	if (pid > 0) {
		struct proc *q = proc_find(pid);
		return exists(q) ? send_to(q, sig, &info) : -ESRCH;
	}
	if (pid == INT_MIN)
		return -ESRCH;
	/* pid 0: the caller's group; -1: every process but init and the caller; -pgid. */
	int pgid = pid == 0 ? p->pgid : -pid;
	bool ok = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (!exists(q) || !proc_is_process(q))
			continue;
		if (pid == -1 ? (q->pid == 1 || proc_tgid(q) == proc_tgid(p)) : q->pgid != pgid)
			continue;
		n++;
		r = send_to(q, sig, &info);
		ok |= r == 0;
	}
	if (pid == -1)
		return n ? r : -ESRCH;
	return ok ? 0 : r;
}

/* tgkill and tkill: one thread, which is one process here. */
static long kill_thread(int tgid, int tid, int sig)
{
	struct sig_info info = { .code = SI_TKILL, .pid = proc_tgid(myproc()) };
	struct proc *q = proc_find(tid);
	if (!exists(q) || (tgid > 0 && proc_tgid(q) != tgid))
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig)
		signal_send(q, sig, &info); /* that thread, not the process */
	return 0;
}

long sys_tgkill(const long a[6])
{
	if ((int)a[0] <= 0 || (int)a[1] <= 0)
		return -EINVAL;
	return kill_thread((int)a[0], (int)a[1], (int)a[2]);
}

long sys_tkill(const long a[6])
{
	if ((int)a[0] <= 0)
		return -EINVAL;
	return kill_thread(0, (int)a[0], (int)a[1]);
}

/* ---- the interval timer ------------------------------------------------------------------ */

#define USEC_PER_SEC  1000000L
#define USEC_PER_TICK (USEC_PER_SEC / HZ)
#define ITIMER_MAX    (365L * 86400 * HZ) /* timers are capped at about a year */

struct kitimerval { /* struct itimerval: two struct timevals */
	long interval_sec, interval_usec;
	long value_sec, value_usec;
};

/* A timeval as ticks, rounded up; -1 if it is not valid. */
static long to_ticks(long sec, long usec)
{
	if (sec < 0 || usec < 0 || usec >= USEC_PER_SEC)
		return -1;
	if (sec >= ITIMER_MAX / HZ)
		return ITIMER_MAX;
	return sec * HZ + (usec + USEC_PER_TICK - 1) / USEC_PER_TICK;
}

/* p's timer as it is now. A timer due at tick `at` fires at the first tick interrupt at or
 * after it, so what is left is (at - ticks - 1) ticks and part of one: say the whole ticks,
 * at least one while it runs. */
static struct kitimerval current_timer(struct proc *p)
{
	struct kitimerval t = { 0, 0, 0, 0 };
	uint64_t every = p->sig.alarm_every, at = p->sig.alarm_at;
	uint64_t left = at > ticks + 1 ? at - ticks - 1 : (at ? 1 : 0);
	t.interval_sec = (long)(every / HZ);
	t.interval_usec = (long)(every % HZ) * USEC_PER_TICK;
	t.value_sec = (long)(left / HZ);
	t.value_usec = (long)(left % HZ) * USEC_PER_TICK;
	return t;
}

/* Start p's timer: after `value` ticks (0: stop it), then every `interval`. One more tick
 * than asked for covers the tick under way, so it never fires early. */
static void start_timer(struct proc *p, long value, long interval)
{
	signal_set_alarm(p, value ? ticks + (uint64_t)value + 1 : 0, (uint64_t)interval);
}

long sys_setitimer(const long a[6])
{
	struct proc *p = myproc();
	struct kitimerval t = { 0, 0, 0, 0 }, old;

	if (a[1] && copy_from_user(&t, (uintptr_t)a[1], sizeof(t)) < 0)
		return -EFAULT;
	long value = to_ticks(t.value_sec, t.value_usec);
	long interval = to_ticks(t.interval_sec, t.interval_usec);
	if (value < 0 || interval < 0 || (int)a[0] != ITIMER_REAL)
		return -EINVAL;
	old = current_timer(p);
	start_timer(p, value, interval);
	if (a[2] && copy_to_user((uintptr_t)a[2], &old, sizeof(old)) < 0)
		return -EFAULT;
	return 0;
}

long sys_getitimer(const long a[6])
{
	if ((int)a[0] != ITIMER_REAL)
		return -EINVAL;
	struct kitimerval t = current_timer(myproc());
	return copy_to_user((uintptr_t)a[1], &t, sizeof(t));
}

/* alarm(seconds): SIGALRM after that many seconds (0: none); returns the seconds left of the
 * previous alarm, rounded to the nearest (but at least 1 if one was running). */
long sys_alarm(const long a[6])
{
	struct proc *p = myproc();
	struct kitimerval old = current_timer(p);
	uint64_t seconds = (uint32_t)a[0];

	start_timer(p, seconds ? (long)MIN(seconds * HZ, (uint64_t)ITIMER_MAX) : 0, 0);
	long left = old.value_sec + (old.value_usec >= USEC_PER_SEC / 2);
	return left || !old.value_usec ? left : 1;
}

/* ---- process groups and sessions -------------------------------------------------------- */

long sys_setpgid(const long a[6])
{
	struct proc *p = myproc();
	int pid = (int)a[0] ? (int)a[0] : p->pid;
	int pgid = (int)a[1] ? (int)a[1] : pid;

	if (pgid < 0)
		return -EINVAL;
	struct proc *q = proc_find(pid);
	if (!exists(q))
		return -ESRCH;
	if (q->parent == p) {
		if (q->sid != p->sid)
			return -EPERM;
		if (q->execed)
			return -EACCES;
	} else if (q != p) {
		return -ESRCH;
	}
	if (q->sid == q->pid) /* a session leader stays in its own group */
		return -EPERM;
	if (pgid != pid && pgrp_session(pgid) != p->sid)
		return -EPERM;
	q->pgid = pgid;
	return 0;
}

/* The process pid names (0: the caller), or NULL. */
static struct proc *named(int pid)
{
	struct proc *q = pid ? proc_find(pid) : myproc();
	return exists(q) ? q : NULL;
}

long sys_getpgid(const long a[6])
{
	struct proc *q = named((int)a[0]);
	return q ? q->pgid : -ESRCH;
}

long sys_getpgrp(const long a[6])
{
	(void)a;
	return myproc()->pgid;
}

long sys_getsid(const long a[6])
{
	struct proc *q = named((int)a[0]);
	return q ? q->sid : -ESRCH;
}

/* setsid: a new session, and a new group in it, both led by the caller, who must not lead
 * a group already (nor have one named after it). */
long sys_setsid(const long a[6])
{
	struct proc *p = myproc();
	(void)a;
	if (pgrp_session(p->pid) != -ESRCH)
		return -EPERM;
	p->sid = p->pgid = p->pid;
	return p->sid;
}
