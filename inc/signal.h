/*
 * Signals, with Linux's numbers, for user programs and the kernel. Before lab 6 a signal
 * ends the process it is sent to (its wait status then says which signal), except SIGCHLD,
 * SIGCONT, SIGURG and SIGWINCH, which are ignored as their default action says. Lab 6 adds
 * handlers, masks and the alternate stack, with Linux's kernel structures, which the
 * kernel and Sparrow's user library share (kern/proc/signal.c, lib/user/signal.c).
 */
#ifndef SPARROW_INC_SIGNAL_H
#define SPARROW_INC_SIGNAL_H

#include <types.h>

#define SIGHUP    1
#define SIGINT    2 /* ^C at the console (lab 6) */
#define SIGQUIT   3 /* ^\ at the console (lab 6) */
#define SIGILL    4 /* an invalid instruction (ud2) */
#define SIGTRAP   5 /* int3, a single step */
#define SIGABRT   6
#define SIGBUS    7 /* a misaligned access with RFLAGS.AC set, a stack-segment fault */
#define SIGFPE    8 /* divide error, x87 and SSE errors */
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11 /* page fault, general protection fault */
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17 /* ignored by default */
#define SIGCONT   18 /* ignored by default */
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23 /* ignored by default */
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28 /* ignored by default */
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31

/* Send sig to process pid; sig 0 only checks that pid exists. -1 with errno ESRCH if not.
 * (Lab 6: pid 0 is the caller's process group, -1 every process but init and the caller,
 * -PGID process group PGID.) */
int kill(pid_t pid, int sig);

#if LAB >= 6
/* ---- Lab 6 ----------------------------------------------------------------------------- */

#define NSIG     64 /* signals 1 to 64 */
#define SIGRTMIN 32 /* 32 to 64: the real-time signals (not queued by Sparrow) */
#define SIGRTMAX 64

/* A set of signals: bit sig - 1 for each. The kernel's sigset_t is these 64 bits. */
typedef unsigned long sigset_t;

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)  /* the default action */
#define SIG_IGN ((sighandler_t)1)  /* ignore the signal */
#define SIG_ERR ((sighandler_t)-1) /* signal()'s error return */

/* struct sigaction's sa_flags (the ones Sparrow knows; Linux's values). */
#define SA_NOCLDSTOP 0x00000001 /* SIGCHLD: not for stopped children (Sparrow has none) */
#define SA_NOCLDWAIT 0x00000002 /* SIGCHLD: children are not left for wait */
#define SA_SIGINFO   0x00000004 /* call sa_sigaction(sig, info, ucontext) */
#define SA_RESTORER  0x04000000 /* sa_restorer is set: the handler returns there */
#define SA_ONSTACK   0x08000000 /* run on the alternate stack (sigaltstack) */
#define SA_RESTART   0x10000000 /* restart a system call the signal interrupted */
#define SA_NODEFER   0x40000000 /* do not block the signal while its handler runs */
#define SA_RESETHAND 0x80000000 /* back to SIG_DFL once the handler is called */

/* sigprocmask's how. */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* What a signal is about: the kernel's 128-byte siginfo_t. Which members mean something
 * depends on si_code: kill() fills si_pid and si_uid, a fault si_addr, SIGCHLD the child's
 * si_pid, si_status, si_utime and si_stime. */
typedef struct {
	int si_signo;
	int si_errno; /* always 0 */
	int si_code;  /* SI_*, or a signal's own codes: SEGV_MAPERR, CLD_EXITED, ... */
	int __pad;
	union {
		struct {
			pid_t pid;    /* the sender; for SIGCHLD, the child */
			uint32_t uid; /* always 0: Sparrow has one user */
			int status;   /* SIGCHLD: the exit code, or the signal that ended it */
			long utime;   /* SIGCHLD: the child's CPU time in user mode, in ticks */
			long stime;   /* ... and in the kernel */
		} proc;
		struct {
			void *addr; /* a fault: the address (SIGSEGV, SIGBUS) or the instruction */
		} fault;
		char __size[112];
	} __u;
} siginfo_t;
#define si_pid    __u.proc.pid
#define si_uid    __u.proc.uid
#define si_status __u.proc.status
#define si_utime  __u.proc.utime
#define si_stime  __u.proc.stime
#define si_addr   __u.fault.addr

/* si_code: who sent it ... */
#define SI_USER   0    /* kill() */
#define SI_KERNEL 0x80 /* the kernel: ^C, a timer, a fault without a more precise code */
#define SI_TKILL  (-6) /* tkill(), tgkill() (raise) */
/* ... or what the fault was. */
#define ILL_ILLOPN  2 /* SIGILL: an illegal operand (what ud2 gives) */
#define FPE_INTDIV  1 /* SIGFPE: integer divide by zero (and overflow) */
#define FPE_FLTDIV  3 /* floating point: divide by zero */
#define FPE_FLTOVF  4 /* overflow */
#define FPE_FLTUND  5 /* underflow */
#define FPE_FLTRES  6 /* inexact result */
#define FPE_FLTINV  7 /* invalid operation */
#define SEGV_MAPERR 1 /* SIGSEGV: no mapping at the address */
#define SEGV_ACCERR 2 /* a mapping that forbids the access */
#define BUS_ADRALN  1 /* SIGBUS: a misaligned access (RFLAGS.AC) */
#define BUS_ADRERR  2 /* a page past the end of a shared mapping's file */
#define TRAP_BRKPT  1 /* SIGTRAP: a breakpoint (icebp) */
#define TRAP_TRACE  2 /* a single step (RFLAGS.TF) */
#define CLD_EXITED  1 /* SIGCHLD: the child exited */
#define CLD_KILLED  2 /* ... was killed by a signal */
#define CLD_DUMPED  3 /* ... by one whose default action dumps core */

/* A handler, as rt_sigaction takes it (the kernel's layout). */
struct sigaction {
	union {
		sighandler_t sa_handler;                        /* or SIG_DFL, SIG_IGN */
		void (*sa_sigaction)(int, siginfo_t *, void *); /* with SA_SIGINFO */
	};
	unsigned long sa_flags;
	void (*sa_restorer)(void); /* where the handler returns: a call of rt_sigreturn */
	sigset_t sa_mask;          /* blocked while the handler runs (and the signal itself) */
};

/* The alternate signal stack (sigaltstack). */
typedef struct {
	void *ss_sp;
	int ss_flags; /* SS_ONSTACK (now running on it), SS_DISABLE, SS_AUTODISARM */
	size_t ss_size;
} stack_t;
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31) /* disabled while a handler runs on it */
#define MINSIGSTKSZ   2048       /* smaller: ENOMEM */
#define SIGSTKSZ      8192

/* The x87 and SSE registers in the signal frame: fxsave's 512-byte format. */
struct fpstate {
	uint16_t cwd, swd, twd, fop; /* control, status and tag words, last opcode */
	uint64_t rip, rdp;           /* last x87 instruction and operand */
	uint32_t mxcsr, mxcsr_mask;  /* SSE control and status, and its valid bits */
	uint32_t st_space[32];       /* st0-st7, 16 bytes each */
	uint32_t xmm_space[64];      /* xmm0-xmm15, 16 bytes each */
	uint32_t reserved[24];
};

/* The registers of the interrupted code in the signal frame (Linux's x86-64 layout). */
struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t rflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err;    /* a fault's error code (0 for other signals) */
	uint64_t trapno; /* a fault's vector (0 for other signals) */
	uint64_t oldmask;
	uint64_t cr2;            /* a page fault's address */
	struct fpstate *fpstate; /* NULL: no FPU state (rt_sigreturn resets it) */
	uint64_t reserved1[8];
};

/* What a handler's third argument points to: where to return, and with which mask. */
typedef struct ucontext {
	unsigned long uc_flags; /* UC_* */
	struct ucontext *uc_link;
	stack_t uc_stack; /* the alternate stack as it was */
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask; /* the mask to return with */
} ucontext_t;
#define UC_SIGCONTEXT_SS     0x2 /* uc_mcontext.ss is the stack segment to return with */
#define UC_STRICT_RESTORE_SS 0x4

/* Sparrow's user library (lib/user/signal.c); each returns -1 with errno on error. signal()
 * installs a handler with SA_RESTART, as C libraries do, and returns the old one. */
sighandler_t signal(int sig, sighandler_t handler);
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigpending(sigset_t *set);
/* Wait for a signal with the mask set to *mask; returns -1 with errno EINTR. */
int sigsuspend(const sigset_t *mask);
int sigaltstack(const stack_t *ss, stack_t *old);
int raise(int sig);
int killpg(pid_t pgrp, int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
/* The signal's name without "SIG" ("SEGV"), or NULL. */
const char *signame(int sig);
#endif

#endif
