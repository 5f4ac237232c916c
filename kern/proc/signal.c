/*
 * Signals (lab 6): sending them, delivering them on the way back to user mode (the default
 * action, or a handler's frame on the user stack), rt_sigreturn, faults as signals, what
 * fork, execve and exit do to them, the interval timer, and process groups. Linux's
 * semantics and structures throughout (man 7 signal; the frame is arch/x86's rt_sigframe).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "core/cpu.h"
#include "core/printk.h"
#include "mm/uvm.h"
#include "proc/fpu.h"
#include "proc/proc.h"
#if LAB >= 7
#include "proc/thread.h"
#endif
#include "proc/signal.h"
#include "proc/uaccess.h"
#include "trap/trap.h"

/* Never blocked, never caught, never ignored. */
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
/* The signals of faults: delivered before any other, as Linux does. */
#define SYNCHRONOUS                                                                             \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) | \
	 SIGBIT(SIGSYS))
#define DR6_BS      0x4000     /* the debug status register: a single step trapped */
#define DR6_CLEARED 0xffff0ff0 /* its value with no condition recorded */

void signal_init(void)
{
	lcr0(rcr0() | CR0_AM);
}

/* ---- the default actions ---------------------------------------------------------------- */

enum default_action { ACT_TERMINATE, ACT_CORE, ACT_IGNORE };

/* What happens to a process that takes sig with SIG_DFL. */
static enum default_action default_action(int sig)
{
	// LAB 6: The default action of each signal, as Linux has it (man 7 signal): ACT_IGNORE
	// for SIGCHLD, SIGCONT, SIGURG and SIGWINCH, and for the stop signals SIGSTOP, SIGTSTP,
	// SIGTTIN and SIGTTOU (Sparrow has no stopped state: they are ignored); ACT_CORE
	// ("terminate and dump core": the wait status gets WCOREDUMP) for SIGQUIT, SIGILL,
	// SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ and SIGSYS; ACT_TERMINATE
	// for the rest, real-time signals included.
	//= BEGIN LAB 6
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGURG:
	case SIGWINCH:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return ACT_IGNORE;
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return ACT_CORE;
	default:
		return ACT_TERMINATE;
	}
	//= STUB
	//= /* Lab 5's kill: these four are ignored, and every other signal terminates. */
	//= if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH)
	//= 	return ACT_IGNORE;
	//= return ACT_TERMINATE;
	//= END
}

bool signal_ignores(const struct proc *p, int sig)
{
	sighandler_t h = p->sig.action[sig - 1].sa_handler;
	return h == SIG_IGN || (h == SIG_DFL && default_action(sig) == ACT_IGNORE);
}

/* The wait status of p ended by sig's default action, or 0 if that action is to ignore
 * it. A fault's default action first prints the line lab 3 printed for it. */
static int default_status(struct proc *p, int sig)
{
	enum default_action act = default_action(sig);
	if (act == ACT_IGNORE)
		return 0;
	if (p->sig.fault.sig == sig)
		printk("[pid %d %s] user fault: %s, rip 0x%lx\n", p->pid, p->name,
		       p->sig.fault.what, p->sig.fault.rip);
	return WSTATUS_SIGNALED(sig) | (act == ACT_CORE ? WSTATUS_CORE : 0);
}

/* ---- sending ------------------------------------------------------------------------------ */

/* A process that takes signals: not a free slot, one being built, or a zombie. */
static bool alive(const struct proc *p)
{
	return p->state != PROC_UNUSED && p->state != PROC_EMBRYO && p->state != PROC_ZOMBIE;
}

void signal_send(struct proc *p, int sig, const struct sig_info *info)
{
	struct sigstate *s = &p->sig;
	static const struct sig_info kernel = { .code = SI_KERNEL };

	if (!alive(p) || sig < 1 || sig > NSIG)
		return;
	/* As on Linux, init gets only the signals it has a handler for: nobody can end the
	 * process everything else depends on. */
	if (p == initproc && s->action[sig - 1].sa_handler == SIG_DFL)
		return;
	if (sig == SIGKILL) {
		if (!p->killed)
			p->killed = SIGKILL;
		wake_process(p);
		return;
	}
	bool blocked = s->blocked & SIGBIT(sig);
	/* An ignored signal is dropped now, unless blocked: its handler may have changed by
	 * the time it is unblocked. A pending one is not sent again: no queue. */
	if ((!blocked && signal_ignores(p, sig)) || (s->pending & SIGBIT(sig)))
		return;
	s->pending |= SIGBIT(sig);
	s->info[sig - 1] = info ? *info : kernel;
	if (!blocked)
		wake_process(p);
}

void signal_send_process(struct proc *p, int sig, const struct sig_info *info)
{
#if LAB >= 7
	p = thread_signal_target(p, sig);
#endif
	signal_send(p, sig, info);
}

int signal_send_group(int pgid, int sig, const struct sig_info *info)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state == PROC_UNUSED || p->state == PROC_EMBRYO || p->pgid != pgid ||
		    !proc_is_process(p))
			continue;
		n++;
		if (sig)
			signal_send_process(p, sig, info);
	}
	return n;
}

bool signal_pending(struct proc *p)
{
	return p->killed || (p->sig.pending & ~p->sig.blocked);
}

/* Send sig to p even if it is blocked or ignored: then it is unblocked and back to
 * SIG_DFL, so the process takes it (what a fault needs: the instruction would fault
 * again). */
static void force_signal(struct proc *p, int sig, const struct sig_info *info)
{
	struct sigstate *s = &p->sig;
	struct sigaction *sa = &s->action[sig - 1];

	if (sa->sa_handler == SIG_IGN || (s->blocked & SIGBIT(sig))) {
		sa->sa_handler = SIG_DFL;
		s->blocked &= ~SIGBIT(sig);
	}
	s->pending |= SIGBIT(sig);
	s->info[sig - 1] = *info;
}

/* Record the fault whose signal sig is now pending: for the frame, and for the message of
 * its default action. */
static void note_fault(struct proc *p, int sig, const struct trapframe *tf, uint64_t cr2,
                       const char *what)
{
	struct sig_fault *f = &p->sig.fault;
	f->sig = sig;
	f->err = tf->trapno == T_SYSCALL ? 0 : tf->err;
	f->trapno = tf->trapno == T_SYSCALL ? 0 : tf->trapno;
	f->cr2 = cr2;
	f->rip = tf->rip;
	strlcpy(f->what, what, sizeof(f->what));
}

/* A signal could not be delivered, or rt_sigreturn found a bad frame: SIGSEGV, as Linux
 * sends then. If SIGSEGV itself was the one that could not be delivered, its handler is
 * forgotten, or this would go on forever. */
static void force_segv(struct proc *p, const struct trapframe *tf, int failed, const char *what)
{
	struct sig_info info = { .code = SI_KERNEL };
	if (failed == SIGSEGV)
		p->sig.action[SIGSEGV - 1].sa_handler = SIG_DFL;
	force_signal(p, SIGSEGV, &info);
	note_fault(p, SIGSEGV, tf, 0, what);
}

/* ---- faults ---------------------------------------------------------------------------------- */

/* SIGFPE's si_code for an x87 (#MF) or SSE (#XM) error: the first unmasked exception that
 * is flagged, in Linux's order. */
static int fpu_error_code(uint64_t trapno)
{
	struct fpstate fp __attribute__((aligned(16)));
	fpu_save((uint8_t *)&fp);
	unsigned err =
	        trapno == T_FPERR ? (unsigned)(fp.swd & ~fp.cwd) : (~(fp.mxcsr >> 7) & fp.mxcsr);
	if (err & 0x01)
		return FPE_FLTINV;
	if (err & 0x04)
		return FPE_FLTDIV;
	if (err & 0x08)
		return FPE_FLTOVF;
	if (err & 0x12)
		return FPE_FLTUND;
	if (err & 0x20)
		return FPE_FLTRES;
	return 0;
}

/* The signal for the exception the running process raised in tf (lab 3 chose lab3_sig
 * for it), with si_code and si_addr in *info, as Linux sends them. */
static int fault_info(struct trapframe *tf, int lab3_sig, struct sig_info *info)
{
	struct proc *p = myproc();

	// LAB 6: Say which signal an exception from user mode is, with Linux's si_code and
	// si_addr (inc/signal.h has the codes). A divide error: SIGFPE, FPE_INTDIV, at the
	// faulting instruction (tf->rip); an x87 or SSE error: SIGFPE with
	// fpu_error_code(trapno), at rip; an invalid opcode: SIGILL, ILL_ILLOPN, at rip; int3:
	// SIGTRAP, SI_KERNEL, no address; a debug trap: SIGTRAP at rip, TRAP_TRACE if DR6 says a
	// single step (DR6_BS; write DR6_CLEARED back) else TRAP_BRKPT; a page fault: SIGSEGV
	// at the address in CR2, SEGV_ACCERR if a region of p->mm holds it (mm_find) and
	// SEGV_MAPERR if none does (from lab 7, one lab 3 made SIGBUS, past the end of a
	// shared mapping's file: SIGBUS, BUS_ADRERR); an alignment check: SIGBUS, BUS_ADRALN, no address; a
	// segment-not-present or stack-segment fault: SIGBUS, SI_KERNEL; anything else (a
	// general-protection fault...): SIGSEGV, SI_KERNEL, no address.
	//= BEGIN LAB 6
	(void)lab3_sig;
	info->code = SI_KERNEL;
	info->addr = 0;
	switch (tf->trapno) {
	case T_DIVIDE:
		info->code = FPE_INTDIV;
		info->addr = tf->rip;
		return SIGFPE;
	case T_FPERR:
	case T_SIMDERR:
		info->code = fpu_error_code(tf->trapno);
		info->addr = tf->rip;
		return SIGFPE;
	case T_ILLOP:
		info->code = ILL_ILLOPN;
		info->addr = tf->rip;
		return SIGILL;
	case T_BRKPT:
		return SIGTRAP;
	case T_DEBUG: {
		uint64_t dr6 = rdr6();
		ldr6(DR6_CLEARED);
		info->code = dr6 & DR6_BS ? TRAP_TRACE : TRAP_BRKPT;
		info->addr = tf->rip;
		return SIGTRAP;
	}
	case T_PGFLT:
		info->addr = rcr2();
#if LAB >= 7
		if (lab3_sig == SIGBUS) { /* past the end of a shared mapping's file */
			info->code = BUS_ADRERR;
			return SIGBUS;
		}
#endif
		info->code = mm_find(p->mm, info->addr) ? SEGV_ACCERR : SEGV_MAPERR;
		return SIGSEGV;
	case T_ALIGN:
		info->code = BUS_ADRALN;
		return SIGBUS;
	case T_SEGNP:
	case T_STACK:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
	//= STUB
	//= (void)p, (void)tf, (void)fpu_error_code;
	//= info->code = SI_KERNEL;
	//= info->addr = 0;
	//= return lab3_sig;
	//= END
}

void signal_fault(struct trapframe *tf, int lab3_sig, const char *what)
{
	struct proc *p = myproc();
	struct sig_info info;

	if (lab3_sig == SIGKILL) { /* out of memory for a page: no handler can help */
		printk("[pid %d %s] user fault: %s, rip 0x%lx\n", p->pid, p->name, what, tf->rip);
		if (!p->killed)
			p->killed = SIGKILL;
		return;
	}
	uint64_t cr2 = tf->trapno == T_PGFLT ? rcr2() : 0;
	int sig = fault_info(tf, lab3_sig, &info);
	force_signal(p, sig, &info);
	note_fault(p, sig, tf, cr2, what);
}

/* ---- the signal frame ------------------------------------------------------------------ */

/*
 * What a handler finds on its stack, as Linux lays it out for x86-64 (so C libraries'
 * restorers and debuggers understand it): the return address, which is the restorer (it
 * calls rt_sigreturn), then the context to go back to, then the siginfo. The FPU state is
 * above it all, 64-byte aligned; uc.uc_mcontext.fpstate points at it.
 */
struct rt_sigframe {
	uint64_t restorer;
	ucontext_t uc;
	siginfo_t info;
};
_Static_assert(sizeof(siginfo_t) == 128 && sizeof(ucontext_t) == 304 &&
                       offsetof(struct rt_sigframe, info) == 312 &&
                       sizeof(struct fpstate) == FPU_AREA,
               "the signal frame has Linux's layout");

/* Is sp on the alternate stack (a handler running there)? Never while it is disarmed. */
static bool on_altstack_raw(const stack_t *ss, uint64_t sp)
{
	return sp > (uint64_t)ss->ss_sp && sp - (uint64_t)ss->ss_sp <= ss->ss_size;
}

static bool on_altstack(const struct sigstate *s, uint64_t sp)
{
	return !(s->altstack.ss_flags & SS_AUTODISARM) && on_altstack_raw(&s->altstack, sp);
}

/* sigaltstack's ss_flags for code running with stack pointer sp (without SS_AUTODISARM). */
static int altstack_flags(const struct sigstate *s, uint64_t sp)
{
	if (s->altstack.ss_size == 0)
		return SS_DISABLE;
	return on_altstack(s, sp) ? SS_ONSTACK : 0;
}

/* The registers of tf into a sigcontext, and back. */
static void save_context(struct sigcontext *sc, const struct trapframe *tf)
{
	sc->r8 = tf->r8, sc->r9 = tf->r9, sc->r10 = tf->r10, sc->r11 = tf->r11;
	sc->r12 = tf->r12, sc->r13 = tf->r13, sc->r14 = tf->r14, sc->r15 = tf->r15;
	sc->rdi = tf->rdi, sc->rsi = tf->rsi, sc->rbp = tf->rbp, sc->rbx = tf->rbx;
	sc->rdx = tf->rdx, sc->rax = tf->rax, sc->rcx = tf->rcx, sc->rsp = tf->rsp;
	sc->rip = tf->rip;
	sc->rflags = tf->rflags;
	sc->cs = (uint16_t)tf->cs;
	sc->ss = (uint16_t)tf->ss;
}

static void restore_context(struct trapframe *tf, const struct sigcontext *sc)
{
	tf->r8 = sc->r8, tf->r9 = sc->r9, tf->r10 = sc->r10, tf->r11 = sc->r11;
	tf->r12 = sc->r12, tf->r13 = sc->r13, tf->r14 = sc->r14, tf->r15 = sc->r15;
	tf->rdi = sc->rdi, tf->rsi = sc->rsi, tf->rbp = sc->rbp, tf->rbx = sc->rbx;
	tf->rdx = sc->rdx, tf->rax = sc->rax, tf->rcx = sc->rcx, tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	tf->cs = USER_CS;
	tf->ss = USER_SS;
	/* What a program may set in its flags, and interrupts on: never IOPL, NT, VM... */
	tf->rflags = RFLAGS_IF | RFLAGS_RESERVED | (sc->rflags & RFLAGS_USER);
}

/* The siginfo_t of sig. */
static void fill_siginfo(siginfo_t *si, int sig, const struct sig_info *info)
{
	si->si_signo = sig;
	si->si_code = info->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP) {
		if (info->code != SI_USER && info->code != SI_TKILL) {
			si->si_addr = (void *)info->addr;
			return;
		}
	}
	si->si_pid = info->pid;
	si->si_status = info->status;
	si->si_utime = info->utime;
	si->si_stime = info->stime;
}

/*
 * Build the frame for sa's handler of sig on p's user stack (or its alternate stack) and
 * set tf to run the handler. oldmask is the mask to go back to. 0, or -EFAULT if the frame
 * cannot be written (or there is no restorer, or the handler is no user address).
 */
static int setup_frame(struct proc *p, struct trapframe *tf, int sig, const struct sig_info *info,
                       const struct sigaction *sa, sigset_t oldmask)
{
	struct sigstate *s = &p->sig;
	struct rt_sigframe f;
	uint8_t fpu[FPU_AREA] __attribute__((aligned(16)));

	// LAB 6: Build the signal frame, as Linux does (see struct rt_sigframe above):
	// - Where: below the interrupted rsp and its 128-byte red zone; or, if sa has
	//   SA_ONSTACK and the alternate stack is enabled and not in use (altstack_flags is
	//   0), from its top (ss_sp + ss_size). The FPU state (FPU_AREA bytes) goes there,
	//   64-byte aligned down; the frame below it, placed so that rsp + 8 is a multiple of
	//   16 at the handler's entry, as after a call. A frame that was or is to be on the
	//   alternate stack and would not fit in it: -EFAULT.
	// - -EFAULT too without SA_RESTORER (x86-64 handlers return through sa_restorer) or if
	//   the handler is not a user address (below USER_LIMIT).
	// - What: the restorer; the ucontext: uc_flags UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS,
	//   uc_stack the alternate stack with altstack_flags(s, tf->rsp) and its SS_AUTODISARM
	//   bit, every register (save_context), the fault's err, trapno and cr2 if sig is the
	//   fault's (s->fault.sig), oldmask in oldmask and uc_sigmask, the fpstate pointer;
	//   the siginfo (fill_siginfo); the FPU registers (fpu_save; bytes 464 to 511 zero).
	//   Copy both out with copy_to_user: -EFAULT if it fails.
	// - Then the handler's registers: rip the handler, rsp the frame, rdi sig, rsi the
	//   siginfo, rdx the ucontext, rax 0; DF, TF and RF cleared; a clean FPU (fpu_reset,
	//   fpu_restore). An alternate stack with SS_AUTODISARM is disabled while it is used:
	//   ss_sp NULL, ss_size 0, ss_flags SS_DISABLE.
	//= BEGIN LAB 6
	uint64_t sp = tf->rsp - 128;
	bool nested = on_altstack(s, tf->rsp), entering = false;
	if ((sa->sa_flags & SA_ONSTACK) && altstack_flags(s, sp) == 0) {
		sp = (uint64_t)s->altstack.ss_sp + s->altstack.ss_size;
		entering = true;
	}
	uint64_t ufpu = ROUNDDOWN(sp - FPU_AREA, 64);
	uint64_t uframe = ROUNDDOWN(ufpu - sizeof(f), 16) - 8;
	if ((nested || entering) && !on_altstack_raw(&s->altstack, uframe))
		return -EFAULT;
	if (!(sa->sa_flags & SA_RESTORER) || (uint64_t)sa->sa_handler >= USER_LIMIT)
		return -EFAULT;

	memset(&f, 0, sizeof(f));
	f.restorer = (uint64_t)sa->sa_restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = s->altstack.ss_sp;
	f.uc.uc_stack.ss_size = s->altstack.ss_size;
	f.uc.uc_stack.ss_flags =
	        altstack_flags(s, tf->rsp) | (s->altstack.ss_flags & SS_AUTODISARM);
	save_context(&f.uc.uc_mcontext, tf);
	if (s->fault.sig == sig) {
		f.uc.uc_mcontext.err = s->fault.err;
		f.uc.uc_mcontext.trapno = s->fault.trapno;
		f.uc.uc_mcontext.cr2 = s->fault.cr2;
	}
	f.uc.uc_mcontext.oldmask = oldmask;
	f.uc.uc_sigmask = oldmask;
	f.uc.uc_mcontext.fpstate = (struct fpstate *)ufpu;
	fill_siginfo(&f.info, sig, info);
	fpu_save(fpu);
	memset(fpu + 464, 0, FPU_AREA - 464);
	if (copy_to_user(ufpu, fpu, FPU_AREA) < 0 || copy_to_user(uframe, &f, sizeof(f)) < 0)
		return -EFAULT;

	tf->rip = (uint64_t)sa->sa_handler;
	tf->rsp = uframe;
	tf->rdi = (uint64_t)sig;
	tf->rsi = uframe + offsetof(struct rt_sigframe, info);
	tf->rdx = uframe + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	fpu_reset(fpu);
	fpu_restore(fpu);
	if (s->altstack.ss_flags & SS_AUTODISARM) {
		s->altstack.ss_sp = NULL;
		s->altstack.ss_size = 0;
		s->altstack.ss_flags = SS_DISABLE;
	}
	return 0;
	//= STUB
	//= (void)s, (void)f, (void)fpu, (void)tf, (void)sig, (void)info, (void)sa, (void)oldmask;
	//= (void)on_altstack_raw, (void)altstack_flags, (void)save_context, (void)fill_siginfo;
	//= return -ENOSYS;
	//= END
}

/* rt_sigreturn found no frame it can use: SIGSEGV. */
static long bad_frame(struct proc *p, struct trapframe *tf)
{
	char what[64];
	snprintf(what, sizeof(what), "bad signal frame at 0x%lx (rt_sigreturn)", tf->rsp - 8);
	force_segv(p, tf, 0, what);
	return 0;
}

long signal_return(struct trapframe *tf)
{
	struct proc *p = myproc();
	ucontext_t uc;
	struct fpstate fp __attribute__((aligned(16)));

	// LAB 6: Back to the context of the frame the handler returned from. The handler's
	// `ret` popped the restorer, so its ucontext is at tf->rsp. Copy it in (bad_frame if
	// it cannot be read). The mask becomes uc_sigmask, but never with SIGKILL or SIGSTOP.
	// Then check what user space may not change: the code selector must be USER_CS and, if
	// uc_flags has UC_SIGCONTEXT_SS, the stack selector USER_SS; rip must be below
	// USER_LIMIT (a non-canonical rip would fault on iretq, in the kernel); and the FPU
	// state (fpstate: NULL means a clean FPU) must be readable. Anything wrong: bad_frame.
	// Otherwise restore the registers (restore_context keeps only the user's flags) and
	// the FPU state, with MXCSR's reserved bits cleared (those fxrstor refuses, with a
	// fault in the kernel: keep only the bits of a clean state's mxcsr_mask, 0xffbf if that
	// is 0), then the alternate stack from uc_stack (signal_altstack with the restored rsp;
	// its errors do not matter). The call is no system call to restart: tf->err = -1.
	// Return the restored rax: the dispatcher puts the return value there.
	//= BEGIN LAB 6
	if (copy_from_user(&uc, tf->rsp, sizeof(uc)) < 0)
		return bad_frame(p, tf);
	p->sig.blocked = uc.uc_sigmask & ~UNBLOCKABLE;
	const struct sigcontext *sc = &uc.uc_mcontext;
	if (sc->cs != USER_CS || ((uc.uc_flags & UC_SIGCONTEXT_SS) && sc->ss != USER_SS) ||
	    sc->rip >= USER_LIMIT)
		return bad_frame(p, tf);
	struct fpstate clean __attribute__((aligned(16)));
	fpu_reset((uint8_t *)&clean);
	if (!sc->fpstate)
		fp = clean;
	else if (copy_from_user(&fp, (uintptr_t)sc->fpstate, sizeof(fp)) < 0)
		return bad_frame(p, tf);
	fp.mxcsr &= clean.mxcsr_mask ? clean.mxcsr_mask : 0xffbf;
	restore_context(tf, sc);
	fpu_restore((uint8_t *)&fp);
	signal_altstack(p, &uc.uc_stack, NULL, tf->rsp);
	tf->err = (uint64_t)-1;
	return (long)tf->rax;
	//= STUB
	//= (void)uc, (void)fp, (void)restore_context;
	//= return bad_frame(p, tf);
	//= END
}

/* ---- delivery -------------------------------------------------------------------------- */

/* The next signal p may take: a fault's first, then the lowest number; 0 if none. */
static int next_signal(const struct sigstate *s)
{
	sigset_t ready = s->pending & ~s->blocked;
	if (ready & SYNCHRONOUS)
		ready &= SYNCHRONOUS;
	return ready ? __builtin_ctzl(ready) + 1 : 0;
}

/*
 * If tf is a system call that a signal interrupted while it slept (it returns
 * -ERESTARTSYS or -ERESTARTNOHAND), decide what it returns: -EINTR if a handler runs
 * (handler) unless the call may be restarted (ERESTARTSYS and SA_RESTART), else it is
 * rewound to run again: rax is its number again (the syscall entry kept it in tf->err) and
 * rip goes back over the 2-byte syscall instruction.
 */
static void interrupted_call(struct trapframe *tf, bool handler, bool sa_restart)
{
	long r = (long)tf->rax;
	if (tf->trapno != T_SYSCALL || (int64_t)tf->err < 0 ||
	    (r != -ERESTARTSYS && r != -ERESTARTNOHAND))
		return;
	if (handler && (r == -ERESTARTNOHAND || !sa_restart)) {
		tf->rax = (uint64_t)-EINTR;
	} else {
		tf->rax = tf->err;
		tf->rip -= 2;
	}
	tf->err = (uint64_t)-1;
}

int signal_deliver(struct trapframe *tf)
{
	struct proc *p = myproc();
	struct sigstate *s = &p->sig;
	bool handled = false;
	int sig;

	// LAB 6: Deliver p's pending signals, as long as there is one it may take
	// (next_signal). Take it off the pending set, with its info; then by its action:
	// - SIG_IGN: nothing.
	// - SIG_DFL: default_status(p, sig); a status that is not 0 is the end of p: return it.
	// - A handler: first settle a system call it interrupted (interrupted_call, with
	//   SA_RESTART from sa_flags). The mask to go back to is s->saved_mask if
	//   s->restore_mask (rt_sigsuspend's), else the mask now. setup_frame; if it fails,
	//   force_segv(p, tf, sig, "...") and go on (SIGSEGV is next). Then block sa_mask and
	//   sig itself (unless SA_NODEFER; never SIGKILL or SIGSTOP), clear restore_mask, and
	//   with SA_RESETHAND make the action SIG_DFL again. tf->err = -1: the handler's
	//   registers are no system call.
	// A fault's record (s->fault) is done with once its signal is taken: clear s->fault.sig.
	// When no handler ran, a call a signal interrupted runs again (interrupted_call with
	// no handler), and rt_sigsuspend's mask comes back (restore_mask). Return 0.
	//= BEGIN LAB 6
	while ((sig = next_signal(s)) != 0) {
		struct sigaction *sa = &s->action[sig - 1];
		struct sig_info info = s->info[sig - 1];
		s->pending &= ~SIGBIT(sig);
		if (sa->sa_handler == SIG_IGN) {
			s->fault.sig = s->fault.sig == sig ? 0 : s->fault.sig;
			continue;
		}
		if (sa->sa_handler == SIG_DFL) {
			int status = default_status(p, sig);
			s->fault.sig = s->fault.sig == sig ? 0 : s->fault.sig;
			if (status)
				return status;
			continue;
		}
		interrupted_call(tf, true, sa->sa_flags & SA_RESTART);
		sigset_t old = s->restore_mask ? s->saved_mask : s->blocked;
		int r = setup_frame(p, tf, sig, &info, sa, old);
		s->fault.sig = s->fault.sig == sig ? 0 : s->fault.sig;
		if (r < 0) {
			char what[80];
			snprintf(what, sizeof(what),
			         "no room for signal %d's frame below rsp 0x%lx", sig, tf->rsp);
			force_segv(p, tf, sig, what);
			continue;
		}
		handled = true;
		tf->err = (uint64_t)-1;
		s->restore_mask = false;
		s->blocked |= (sa->sa_mask | (sa->sa_flags & SA_NODEFER ? 0 : SIGBIT(sig))) &
		              ~UNBLOCKABLE;
		if (sa->sa_flags & SA_RESETHAND)
			sa->sa_handler = SIG_DFL;
	}
	if (!handled)
		interrupted_call(tf, false, false);
	if (s->restore_mask) {
		s->blocked = s->saved_mask;
		s->restore_mask = false;
	}
	//= STUB
	//= /* Lab 5's behaviour: the first signal p may take ends it (unless ignored). */
	//= while ((sig = next_signal(s)) != 0) {
	//= 	s->pending &= ~SIGBIT(sig);
	//= 	int status = default_status(p, sig);
	//= 	if (status)
	//= 		return status;
	//= }
	//= (void)tf, (void)handled, (void)setup_frame, (void)interrupted_call;
	//= END
	return 0;
}

/* ---- fork, execve, exit ------------------------------------------------------------------ */

void signal_fork(struct proc *child, struct proc *parent)
{
	child->sig = parent->sig;
	child->sig.pending = 0;
	child->sig.fault.sig = 0;
	child->sig.restore_mask = false;
	child->sig.alarm_at = child->sig.alarm_every = 0;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->execed = false;
}

void signal_exec(struct proc *p)
{
	for (int i = 0; i < NSIG; i++) {
		struct sigaction *sa = &p->sig.action[i];
		if (sa->sa_handler != SIG_IGN)
			sa->sa_handler = SIG_DFL;
		sa->sa_flags = 0;
		sa->sa_restorer = NULL;
		sa->sa_mask = 0;
	}
	p->sig.altstack = (stack_t){ .ss_flags = SS_DISABLE };
	p->execed = true;
}

bool signal_exited(struct proc *p, int status, uint64_t user, uint64_t kernel)
{
	struct proc *parent = p->parent;
	struct sig_info info = { .pid = p->pid, .utime = (long)user, .stime = (long)kernel };

	if (!parent)
		return false;
	if (status & 0x7f) {
		info.code = status & WSTATUS_CORE ? CLD_DUMPED : CLD_KILLED;
		info.status = status & 0x7f;
	} else {
		info.code = CLD_EXITED;
		info.status = (status >> 8) & 0xff;
	}
	const struct sigaction *sa = &parent->sig.action[SIGCHLD - 1];
	bool nowait = sa->sa_handler == SIG_IGN || (sa->sa_flags & SA_NOCLDWAIT);
#if LAB >= 7
	/* Lab 7: clone chose the signal, or none; only SIGCHLD's disposition can reap. */
	if (p->exit_signal != SIGCHLD) {
		if (p->exit_signal)
			signal_send_process(parent, p->exit_signal, &info);
		return false;
	}
#endif
	signal_send_process(parent, SIGCHLD, &info);
	return nowait;
}

/* ---- the interval timer ------------------------------------------------------------------ */

static uint64_t next_alarm = ~0UL; /* no timer is due before this tick */

void signal_tick(uint64_t now)
{
	if (now < next_alarm)
		return;
	next_alarm = ~0UL;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		struct sigstate *s = &p->sig;
		if (!s->alarm_at)
			continue;
		if (!alive(p)) {
			s->alarm_at = 0;
			continue;
		}
		if (s->alarm_at <= now) {
			signal_send(p, SIGALRM, NULL);
			if (!s->alarm_every)
				s->alarm_at = 0;
			while (s->alarm_at && s->alarm_at <= now)
				s->alarm_at += s->alarm_every;
		}
		if (s->alarm_at)
			next_alarm = MIN(next_alarm, s->alarm_at);
	}
}

void signal_set_alarm(struct proc *p, uint64_t at, uint64_t every)
{
	p->sig.alarm_at = at;
	p->sig.alarm_every = at ? every : 0;
	if (at)
		next_alarm = MIN(next_alarm, at);
}

/* ---- the alternate stack, process groups ------------------------------------------------- */

int signal_altstack(struct proc *p, const stack_t *ss, stack_t *old, uint64_t sp)
{
	struct sigstate *s = &p->sig;

	if (old) {
		old->ss_sp = s->altstack.ss_sp;
		old->ss_size = s->altstack.ss_size;
		old->ss_flags = altstack_flags(s, sp) | (s->altstack.ss_flags & SS_AUTODISARM);
	}
	if (!ss)
		return 0;
	if (on_altstack(s, sp))
		return -EPERM;
	int mode = ss->ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		s->altstack = (stack_t){ .ss_flags = ss->ss_flags };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	s->altstack = *ss;
	return 0;
}

int pgrp_session(int pgid)
{
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != PROC_UNUSED && procs[i].state != PROC_EMBRYO &&
		    procs[i].pgid == pgid)
			return procs[i].sid;
	return -ESRCH;
}
