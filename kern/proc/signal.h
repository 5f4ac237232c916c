/*
 * Signals (lab 6): each process's handlers, mask and pending signals, sending a signal,
 * delivering the pending ones on every return to user mode (a handler's frame on the user
 * stack, or the default action), rt_sigreturn, faults as signals, the interval timer, and
 * the process groups signals are sent to. The system calls are in kern/sys/sys_signal.c.
 */
#ifndef SPARROW_KERN_PROC_SIGNAL_H
#define SPARROW_KERN_PROC_SIGNAL_H

#include <types.h>
#include <signal.h> /* the numbers and Linux's structures, shared with user programs */

struct proc;
struct trapframe;

#define SIGBIT(sig) (1UL << ((sig)-1)) /* sig's bit in a sigset_t */

/* What a signal comes with: the members of siginfo_t Sparrow fills (the rest are 0). */
struct sig_info {
	int code;          /* si_code: SI_USER, SI_KERNEL, SI_TKILL, CLD_EXITED, ... */
	int pid;           /* si_pid: the sender, or for SIGCHLD the child */
	int status;        /* SIGCHLD: si_status */
	uintptr_t addr;    /* a fault: si_addr */
	long utime, stime; /* SIGCHLD: the child's CPU time, in ticks */
};

/* A fault's signal, waiting to be delivered: what the frame's sigcontext reports, and the
 * one-line message printed if its default action kills (the message lab 3 printed). */
struct sig_fault {
	int sig; /* 0: no fault signal is pending */
	uint64_t err, trapno, cr2, rip;
	char what[96];
};

/* A process's signals. fork copies it but for the pending signals and the timer. */
struct sigstate {
	struct sigaction action[NSIG]; /* action[sig - 1]: SIG_DFL, SIG_IGN or a handler */
	sigset_t blocked;              /* the mask: never SIGKILL or SIGSTOP */
	sigset_t pending;              /* sent and not yet delivered: one of each, no queue */
	struct sig_info info[NSIG];    /* info[sig - 1]: what a pending signal came with */
	struct sig_fault fault;
	stack_t altstack;     /* ss_size 0: none (ss_flags keeps SS_AUTODISARM) */
	sigset_t saved_mask;  /* rt_sigsuspend's caller's mask, back after its handler ... */
	bool restore_mask;    /* ... if set */
	uint64_t alarm_at;    /* ITIMER_REAL: SIGALRM when `ticks` reaches it (0: off) ... */
	uint64_t alarm_every; /* ... and again every this many ticks (0: once) */
};

/*
 * What a system call that sleeps returns when a signal interrupts it. User programs never
 * see these: the delivery turns them into -EINTR, or rewinds the call to run again.
 *   ERESTARTSYS     again if the handler has SA_RESTART, or if no handler runs (read,
 *                   write, wait4)
 *   ERESTARTNOHAND  again only if no handler runs (pause, sigsuspend, nanosleep)
 */
#define ERESTARTSYS    512
#define ERESTARTNOHAND 514

/* Has signal_deliver anything to do for a process with signal state s, back to user mode
 * with rax in its register (an interrupted call's -ERESTART...)? Most returns have not:
 * this is checked inline, on every system call's way back. */
static inline bool signal_work(const struct sigstate *s, uint64_t rax)
{
	return (s->pending & ~s->blocked) || s->restore_mask || rax == (uint64_t)-ERESTARTSYS ||
	       rax == (uint64_t)-ERESTARTNOHAND;
}

/* At boot: misaligned accesses with RFLAGS.AC fault (CR0.AM), for SIGBUS. */
void signal_init(void);

/* Send sig (1 to NSIG) to p, with info (NULL: si_code SI_KERNEL). A signal p ignores is
 * dropped unless blocked; one already pending is not sent twice; init gets only the
 * signals it handles. p wakes up if it sleeps and may take the signal now. */
void signal_send(struct proc *p, int sig, const struct sig_info *info);
/* Send sig to the process p stands for: from lab 7, to a thread of p's group that does not
 * block it (kern/proc/thread.c); before, to p. */
void signal_send_process(struct proc *p, int sig, const struct sig_info *info);
/* sig to every process of process group pgid; how many there were. */
int signal_send_group(int pgid, int sig, const struct sig_info *info);
/* Does p ignore sig, by SIG_IGN or by a default action that ignores it? */
bool signal_ignores(const struct proc *p, int sig);
/* Does p have a signal to take (or is it to die)? A sleeping system call then gives up:
 * see proc_interrupted (kern/proc/proc.h). */
bool signal_pending(struct proc *p);

/* The running process raised the exception in tf: its signal (lab 3 chose lab3_sig) goes
 * to it with Linux's si_code and si_addr, forced: unblocked, and back to SIG_DFL if it was
 * ignored. what is the message its default action prints. */
void signal_fault(struct trapframe *tf, int lab3_sig, const char *what);

/* On the way back to user mode (kern/sys/syscall.c, user_return): deliver the pending
 * signals p may take: handlers get a frame on the user stack, each on top of the last, and
 * tf is set to run the last one; a system call they interrupted returns -EINTR or is
 * rewound to run again. Returns 0, or the wait status to exit with if a signal's default
 * action ends the process. */
int signal_deliver(struct trapframe *tf);
/* rt_sigreturn: back to the context the frame at the user's rsp holds. Returns the
 * restored rax (the system call's return value); a bad frame sends SIGSEGV. */
long signal_return(struct trapframe *tf);

/* fork: child gets parent's handlers, mask, alternate stack, group and session. */
void signal_fork(struct proc *child, struct proc *parent);
/* execve: handlers back to SIG_DFL (ignored signals stay ignored), no alternate stack. */
void signal_exec(struct proc *p);
/* p has exited with wait status `status` after user and kernel ticks of CPU time: tell its
 * parent with SIGCHLD. True if the parent will not wait for it (SIGCHLD is SIG_IGN or has
 * SA_NOCLDWAIT): then nobody should. */
bool signal_exited(struct proc *p, int status, uint64_t user, uint64_t kernel);

/* The timer's tick (kern/sched/timer.c): SIGALRM to the processes whose timer is due. */
void signal_tick(uint64_t now);
/* Set p's ITIMER_REAL to fire in `value` ticks (0: off) and then every `interval`. */
void signal_set_alarm(struct proc *p, uint64_t value, uint64_t interval);

/* The sigaltstack rules, for the system call and rt_sigreturn: the old stack into *old
 * (if not NULL), then *ss (if not NULL) set, with sp the user's stack pointer. 0 or
 * -EPERM, -EINVAL, -ENOMEM. */
int signal_altstack(struct proc *p, const stack_t *ss, stack_t *old, uint64_t sp);

/* The session of process group pgid, or -ESRCH if no process is in it. */
int pgrp_session(int pgid);

#endif
