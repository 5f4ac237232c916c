/*
 * sigframe: the signal frame and rt_sigreturn. At a handler's entry the stack is as the
 * ABI wants after a call (rsp + 8 a multiple of 16), the return address is the restorer,
 * the ucontext and the siginfo lie above it and the FPU state is clean; the frame holds the
 * interrupted registers and FPU state. A handler that clobbers every register, SSE and x87
 * register, MXCSR and the flags leaves the interrupted code intact, whether the signal came
 * from a fault or from the timer in the middle of a loop. Forged frames handed to
 * rt_sigreturn (kernel selectors, a non-canonical or kernel rip, privileged flags, a bad
 * fpstate, no frame at all) kill only the forger, and never give it ring 0 or I/O ports.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

void __restore_rt(void);

/* ---- the frame at a handler's entry -------------------------------------------------- */

/* Written by the assembly below (hence `used`: the compiler does not see it). */
static volatile uint64_t entry_rsp __attribute__((used)), entry_ret __attribute__((used));
static volatile uint32_t mxcsr_inside __attribute__((used)), xmm_inside __attribute__((used));
static volatile uint16_t fcw_inside __attribute__((used));
static volatile ucontext_t *uc_inside;
static volatile siginfo_t *si_inside;
static ucontext_t template; /* a real frame's ucontext, for the forgeries */
static struct fpstate template_fp;

void probe_handler(int sig, siginfo_t *si, void *uc);
void probe_c(int sig, siginfo_t *si, void *uc);
asm(".text\n.globl probe_handler\n"
    "probe_handler: movq %rsp, entry_rsp(%rip)\n movq (%rsp), %rax\n"
    " movq %rax, entry_ret(%rip)\n stmxcsr mxcsr_inside(%rip)\n"
    " fnstcw fcw_inside(%rip)\n movd %xmm0, xmm_inside(%rip)\n jmp probe_c\n");

void probe_c(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	ucontext_t *uc = ucv;
	uc_inside = uc;
	si_inside = si;
	template = *uc;
	template_fp = *uc->uc_mcontext.fpstate;
}

static void frame_layout(void)
{
	struct sigaction sa = { .sa_sigaction = probe_handler, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	/* MXCSR with rounding toward zero (not the default) and a value in xmm0, then
	 * tgkill(me, me, SIGUSR1), all in one piece so that nothing else touches them. */
	uint32_t mx = 0x7f80, one = 0x11223344;
	long me = getpid(), ret;
	asm volatile("ldmxcsr %1; movd %2, %%xmm0; syscall"
	             : "=a"(ret)
	             : "m"(mx), "r"(one), "D"(me), "S"(me), "d"((long)SIGUSR1),
	               "a"((long)SYS_tgkill)
	             : "rcx", "r11", "memory", "xmm0");
	(void)ret;
	uint32_t def = 0x1f80;
	asm volatile("ldmxcsr %0" : : "m"(def));

	uint64_t rsp = entry_rsp;
	check(rsp % 16 == 8, "at the handler's entry rsp + 8 is a multiple of 16 (rsp %#lx)", rsp);
	check(entry_ret == (uint64_t)__restore_rt,
	      "the return address on the stack is the restorer from sa_restorer");
	check((uint64_t)uc_inside == rsp + 8 &&
	              (uint64_t)si_inside == (uint64_t)uc_inside + sizeof(ucontext_t),
	      "the ucontext is right above the return address and the siginfo right above it, as "
	      "on Linux (uc %p, si %p)",
	      uc_inside, si_inside);
	struct fpstate *fp = template.uc_mcontext.fpstate;
	check((uint64_t)fp % 16 == 0 && (uint64_t)fp >= (uint64_t)(si_inside + 1) &&
	              template.uc_mcontext.rsp >= (uint64_t)(fp + 1) + 128,
	      "the FPU state is 16-byte aligned above the siginfo, and the frame is below the "
	      "interrupted rsp and its 128-byte red zone");
	check(fp && template_fp.mxcsr == 0x7f80 && template_fp.xmm_space[0] == 0x11223344,
	      "the frame's FPU state is the interrupted code's: MXCSR %#x, xmm0 %#x",
	      template_fp.mxcsr, template_fp.xmm_space[0]);
	check(mxcsr_inside == 0x1f80 && fcw_inside == 0x37f && xmm_inside == 0,
	      "the handler starts with a clean FPU: MXCSR %#x, FCW %#x, xmm0 %#x", mxcsr_inside,
	      fcw_inside, xmm_inside);
	check(template.uc_stack.ss_flags == SS_DISABLE && template.uc_sigmask == 0 &&
	              template.uc_mcontext.oldmask == 0,
	      "uc_stack says SS_DISABLE, uc_sigmask and oldmask the mask before (0)");
}

/* ---- every register survives a handler that clobbers them ------------------------------ */

/* The handler: overwrite every general register, the flags, every XMM register, MXCSR and
 * the x87 state, and return to the restorer without restoring anything. */
void clobber_handler(int sig);
static volatile long clobbers __attribute__((used));
asm(".text\n.globl clobber_handler\n"
    "clobber_handler:\n"
    " incq clobbers(%rip)\n"
    " movq $-1, %rax\n movq $-1, %rbx\n movq $-1, %rcx\n movq $-1, %rdx\n"
    " movq $-1, %rsi\n movq $-1, %rdi\n movq $-1, %rbp\n movq $-1, %r8\n"
    " movq $-1, %r9\n movq $-1, %r10\n movq $-1, %r11\n movq $-1, %r12\n"
    " movq $-1, %r13\n movq $-1, %r14\n movq $-1, %r15\n"
    " pcmpeqd %xmm0, %xmm0\n movdqa %xmm0, %xmm1\n movdqa %xmm0, %xmm2\n"
    " movdqa %xmm0, %xmm3\n movdqa %xmm0, %xmm4\n movdqa %xmm0, %xmm5\n"
    " movdqa %xmm0, %xmm6\n movdqa %xmm0, %xmm7\n movdqa %xmm0, %xmm8\n"
    " movdqa %xmm0, %xmm9\n movdqa %xmm0, %xmm10\n movdqa %xmm0, %xmm11\n"
    " movdqa %xmm0, %xmm12\n movdqa %xmm0, %xmm13\n movdqa %xmm0, %xmm14\n"
    " movdqa %xmm0, %xmm15\n"
    " pushq $0x6000\n ldmxcsr (%rsp)\n popq %rax\n" /* toward zero, exceptions unmasked */
    " fninit\n fldz\n fldz\n"
    " movq $-1, %rax\n"
    " stc\n"
    " ret\n");

/* Load a pattern into every register but rsp, ud2 (the handler skips it), then store
 * every register into regs_after[], xmm_after[], ... */
void roundtrip(void);
uint64_t regs_after[16], xmm_after[32], flags_after;
uint32_t mxcsr_after;
uint16_t fcw_after;
double st0_after;
static const uint64_t xmm_pattern[32] __attribute__((aligned(16), used)) = {
	0x0101, 0x1010, 0x0202, 0x2020, 0x0303, 0x3030, 0x0404, 0x4040, 0x0505, 0x5050, 0x0606,
	0x6060, 0x0707, 0x7070, 0x0808, 0x8080, 0x0909, 0x9090, 0x0a0a, 0xa0a0, 0x0b0b, 0xb0b0,
	0x0c0c, 0xc0c0, 0x0d0d, 0xd0d0, 0x0e0e, 0xe0e0, 0x0f0f, 0xf0f0, 0x1111, 0x2222,
};
static const uint32_t mxcsr_pattern __attribute__((used)) = 0x7f80;
static const uint16_t fcw_pattern __attribute__((used)) = 0x27f;
asm(".text\n.globl roundtrip\n"
    "roundtrip:\n"
    " pushq %rbx\n pushq %rbp\n pushq %r12\n pushq %r13\n pushq %r14\n pushq %r15\n"
    " leaq xmm_pattern(%rip), %rax\n"
    " movdqa 0(%rax), %xmm0\n movdqa 16(%rax), %xmm1\n movdqa 32(%rax), %xmm2\n"
    " movdqa 48(%rax), %xmm3\n movdqa 64(%rax), %xmm4\n movdqa 80(%rax), %xmm5\n"
    " movdqa 96(%rax), %xmm6\n movdqa 112(%rax), %xmm7\n movdqa 128(%rax), %xmm8\n"
    " movdqa 144(%rax), %xmm9\n movdqa 160(%rax), %xmm10\n movdqa 176(%rax), %xmm11\n"
    " movdqa 192(%rax), %xmm12\n movdqa 208(%rax), %xmm13\n movdqa 224(%rax), %xmm14\n"
    " movdqa 240(%rax), %xmm15\n"
    " ldmxcsr mxcsr_pattern(%rip)\n fldcw fcw_pattern(%rip)\n fld1\n"
    " movq $0x1000000000000001, %rax\n movq $0x1000000000000002, %rbx\n"
    " movq $0x1000000000000003, %rcx\n movq $0x1000000000000004, %rdx\n"
    " movq $0x1000000000000005, %rsi\n movq $0x1000000000000006, %rdi\n"
    " movq $0x1000000000000007, %rbp\n movq $0x1000000000000008, %r8\n"
    " movq $0x1000000000000009, %r9\n movq $0x100000000000000a, %r10\n"
    " movq $0x100000000000000b, %r11\n movq $0x100000000000000c, %r12\n"
    " movq $0x100000000000000d, %r13\n movq $0x100000000000000e, %r14\n"
    " movq $0x100000000000000f, %r15\n"
    " std\n clc\n"
    " ud2\n"
    " pushfq\n popq flags_after(%rip)\n cld\n"
    " movq %rax, regs_after+0(%rip)\n movq %rbx, regs_after+8(%rip)\n"
    " movq %rcx, regs_after+16(%rip)\n movq %rdx, regs_after+24(%rip)\n"
    " movq %rsi, regs_after+32(%rip)\n movq %rdi, regs_after+40(%rip)\n"
    " movq %rbp, regs_after+48(%rip)\n movq %r8, regs_after+56(%rip)\n"
    " movq %r9, regs_after+64(%rip)\n movq %r10, regs_after+72(%rip)\n"
    " movq %r11, regs_after+80(%rip)\n movq %r12, regs_after+88(%rip)\n"
    " movq %r13, regs_after+96(%rip)\n movq %r14, regs_after+104(%rip)\n"
    " movq %r15, regs_after+112(%rip)\n"
    " leaq xmm_after(%rip), %rax\n"
    " movdqu %xmm0, 0(%rax)\n movdqu %xmm1, 16(%rax)\n movdqu %xmm2, 32(%rax)\n"
    " movdqu %xmm3, 48(%rax)\n movdqu %xmm4, 64(%rax)\n movdqu %xmm5, 80(%rax)\n"
    " movdqu %xmm6, 96(%rax)\n movdqu %xmm7, 112(%rax)\n movdqu %xmm8, 128(%rax)\n"
    " movdqu %xmm9, 144(%rax)\n movdqu %xmm10, 160(%rax)\n movdqu %xmm11, 176(%rax)\n"
    " movdqu %xmm12, 192(%rax)\n movdqu %xmm13, 208(%rax)\n movdqu %xmm14, 224(%rax)\n"
    " movdqu %xmm15, 240(%rax)\n"
    " stmxcsr mxcsr_after(%rip)\n fnstcw fcw_after(%rip)\n fstpl st0_after(%rip)\n"
    " movl $0x1f80, -4(%rsp)\n ldmxcsr -4(%rsp)\n fninit\n"
    " popq %r15\n popq %r14\n popq %r13\n popq %r12\n popq %rbp\n popq %rbx\n"
    " ret\n");

/* The SIGILL handler for roundtrip: clobber everything, and skip the ud2 on the way back
 * (its ucontext's rip). Written in assembly so nothing is restored by the C calling
 * convention: only rt_sigreturn can put the registers back. */
void skip_and_clobber(int sig, siginfo_t *si, void *uc);
asm(".text\n.globl skip_and_clobber\n"
    "skip_and_clobber:\n"
    " addq $2, 168(%rdx)\n" /* uc->uc_mcontext.rip: 40 + 16 * 8 */
    " jmp clobber_handler\n");

static void registers(void)
{
	_Static_assert(offsetof(ucontext_t, uc_mcontext.rip) == 168, "rip in the ucontext");
	struct sigaction sa = { .sa_sigaction = skip_and_clobber, .sa_flags = SA_SIGINFO };
	sigaction(SIGILL, &sa, NULL);
	clobbers = 0;
	roundtrip();
	int bad = -1;
	for (int i = 0; i < 15 && bad < 0; i++)
		if (regs_after[i] != 0x1000000000000001UL + (uint64_t)i)
			bad = i;
	int badx = -1;
	for (int i = 0; i < 32 && badx < 0; i++)
		if (xmm_after[i] != xmm_pattern[i])
			badx = i / 2;
	check(clobbers == 1 && bad < 0,
	      "after a SIGILL handler that overwrote every general register, each is back (first "
	      "wrong: %d)",
	      bad);
	check(badx < 0, "and each of xmm0-xmm15 (first wrong: xmm%d)", badx);
	check(mxcsr_after == 0x7f80 && fcw_after == 0x27f && st0_after == 1.0,
	      "and MXCSR %#x, the x87 control word %#x and st0 %g", mxcsr_after, fcw_after,
	      st0_after);
	check((flags_after & 0x401) == 0x400,
	      "and the flags: DF set, CF clear as the code left them (%#lx)", flags_after);
}

/* ---- the same, with the timer interrupting a loop ----------------------------------- */

/* Spin with every register holding a value derived from a counter (in r15), checking them
 * all each round, until `clobbers` reaches `rounds`. Returns 0, or the number of the
 * register found wrong. */
long spin_checked(long rounds);
asm(".text\n.globl spin_checked\n"
    "spin_checked:\n"
    " pushq %rbx\n pushq %rbp\n pushq %r12\n pushq %r13\n pushq %r14\n pushq %r15\n"
    " pushq %rdi\n"
    " xorq %r15, %r15\n"
    "1: incq %r15\n"
    " leaq 1(%r15), %rax\n leaq 2(%r15), %rbx\n leaq 3(%r15), %rcx\n leaq 4(%r15), %rdx\n"
    " leaq 5(%r15), %rsi\n leaq 6(%r15), %rdi\n leaq 7(%r15), %rbp\n leaq 8(%r15), %r8\n"
    " leaq 9(%r15), %r9\n leaq 10(%r15), %r10\n leaq 11(%r15), %r11\n"
    " leaq 12(%r15), %r12\n leaq 13(%r15), %r13\n leaq 14(%r15), %r14\n"
    " movq %r15, %xmm0\n movq %r15, %xmm7\n movq %r15, %xmm15\n"
    " movl $200, %r14d\n"
    "2: decl %r14d\n jnz 2b\n" /* a moment for the timer to come in */
    " leaq 14(%r15), %r14\n"
    " movq $1, %r13\n leaq 1(%r15), %r12\n cmpq %r12, %rax\n jne 9f\n"
    " movq $2, %r13\n leaq 2(%r15), %r12\n cmpq %r12, %rbx\n jne 9f\n"
    " movq $3, %r13\n leaq 3(%r15), %r12\n cmpq %r12, %rcx\n jne 9f\n"
    " movq $4, %r13\n leaq 4(%r15), %r12\n cmpq %r12, %rdx\n jne 9f\n"
    " movq $5, %r13\n leaq 5(%r15), %r12\n cmpq %r12, %rsi\n jne 9f\n"
    " movq $6, %r13\n leaq 6(%r15), %r12\n cmpq %r12, %rdi\n jne 9f\n"
    " movq $7, %r13\n leaq 7(%r15), %r12\n cmpq %r12, %rbp\n jne 9f\n"
    " movq $8, %r13\n leaq 8(%r15), %r12\n cmpq %r12, %r8\n jne 9f\n"
    " movq $9, %r13\n leaq 9(%r15), %r12\n cmpq %r12, %r9\n jne 9f\n"
    " movq $10, %r13\n leaq 10(%r15), %r12\n cmpq %r12, %r10\n jne 9f\n"
    " movq $11, %r13\n leaq 11(%r15), %r12\n cmpq %r12, %r11\n jne 9f\n"
    " movq $14, %r13\n leaq 14(%r15), %r12\n cmpq %r12, %r14\n jne 9f\n"
    " movq $16, %r13\n movq %xmm0, %r12\n cmpq %r15, %r12\n jne 9f\n"
    " movq $17, %r13\n movq %xmm7, %r12\n cmpq %r15, %r12\n jne 9f\n"
    " movq $18, %r13\n movq %xmm15, %r12\n cmpq %r15, %r12\n jne 9f\n"
    " movq (%rsp), %r12\n cmpq %r12, clobbers(%rip)\n jl 1b\n"
    " xorq %r13, %r13\n"
    "9: movq %r13, %rax\n"
    " popq %rdi\n popq %r15\n popq %r14\n popq %r13\n popq %r12\n popq %rbp\n popq %rbx\n"
    " ret\n");

static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = clobber_handler };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };
	clobbers = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	long wrong = spin_checked(20);
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	check(wrong == 0 && clobbers >= 20,
	      "a loop checking every register while 20 timer signals run a clobbering handler in "
	      "between its instructions sees no change (wrong register: %ld)",
	      wrong);
}

/* ---- forged frames ------------------------------------------------------------------- */

static struct {
	ucontext_t uc;
	siginfo_t info;
	struct fpstate fp __attribute__((aligned(64)));
} forged;
static char landing_stack[16384] __attribute__((aligned(16)));
static int report_fd;

/* Where a forged frame that the kernel accepts returns to: say what the flags are, try a
 * privileged instruction, which must fault. */
static void landing(void)
{
	uint64_t flags;
	uint32_t mx;
	asm volatile("pushfq; popq %0" : "=r"(flags));
	asm volatile("stmxcsr %0" : "=m"(mx));
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "%lx %x", flags, mx);
	write(report_fd, msg, (size_t)n);
	asm volatile("cli");
	_exit(0); /* only if cli worked: I/O privilege was given away */
}

static void sigreturn_to(void *frame)
{
	asm volatile("movq %0, %%rsp; movl $15, %%eax; syscall" : : "r"(frame) : "memory");
	__builtin_unreachable();
}

/* Fork a child that rt_sigreturns with the template frame changed by edit; its wait status,
 * and what the landing said (if it got there) in said. */
static int forge(void (*edit)(void), char *said, size_t size)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		report_fd = p[1];
		forged.uc = template;
		forged.fp = template_fp;
		forged.uc.uc_mcontext.fpstate = &forged.fp;
		forged.uc.uc_mcontext.rip = (uint64_t)landing;
		forged.uc.uc_mcontext.rsp = (uint64_t)(landing_stack + sizeof(landing_stack) - 8);
		forged.uc.uc_sigmask = 0;
		edit();
		sigreturn_to(&forged.uc);
	}
	close(p[1]);
	ssize_t n = read(p[0], said, size - 1);
	said[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return reap_within(pid, 500);
}

static void as_is(void)
{
}

static void kernel_cs(void)
{
	forged.uc.uc_mcontext.cs = 0x08;
}

static void kernel_cs_rpl3(void)
{
	forged.uc.uc_mcontext.cs = 0x0b;
}

static void kernel_ss(void)
{
	forged.uc.uc_mcontext.ss = 0x10;
}

static void noncanonical_rip(void)
{
	forged.uc.uc_mcontext.rip = 0x0000800000000000UL;
}

static void high_rip(void)
{
	forged.uc.uc_mcontext.rip = 0x8000000000000000UL;
}

static void kernel_rip(void)
{
	forged.uc.uc_mcontext.rip = 0xffffffff80100000UL;
}

static void privileged_flags(void)
{
	/* IOPL 3, NT, VM, no IF, and every reserved bit */
	forged.uc.uc_mcontext.rflags = (0x3000 | 0x4000 | 0x20000 | ~0x3fffffUL) & ~0x200UL;
}

static void bad_mxcsr(void)
{
	forged.fp.mxcsr = 0xffffffff;
}

static void kernel_fpstate(void)
{
	forged.uc.uc_mcontext.fpstate = (struct fpstate *)0xffff800000001000UL;
}

static void no_frame(void)
{
	sigreturn_to((void *)0x10);
}

static void forgeries(void)
{
	char said[64];
	int status = forge(as_is, said, sizeof(said));
	uint64_t flags = strtoul(said, NULL, 16);
	check(said[0] && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && (flags & 0x200) &&
	              !(flags & 0x7000),
	      "a hand-made frame is accepted: the child lands where it says, with IF set, IOPL 0 "
	      "and NT clear, and cli there kills it with SIGSEGV ('%s', status %#x)",
	      said, status);

	static const struct {
		void (*edit)(void);
		const char *what;
	} killers[] = {
		{ kernel_cs, "the kernel's code selector" },
		{ kernel_cs_rpl3, "the kernel's code selector with RPL 3" },
		{ kernel_ss, "the kernel's stack selector" },
		{ noncanonical_rip, "a non-canonical rip" },
		{ high_rip, "rip 0x8000000000000000" },
		{ kernel_rip, "a kernel rip" },
		{ kernel_fpstate, "an fpstate pointer into the kernel" },
		{ no_frame, "no frame at all (rsp 0x10)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(killers); i++) {
		status = forge(killers[i].edit, said, sizeof(said));
		check(!said[0] && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
		      "a forged frame with %s kills only the forger, with SIGSEGV (status %#x%s%s)",
		      killers[i].what, status, said[0] ? ", it ran: " : "", said);
	}

	status = forge(privileged_flags, said, sizeof(said));
	flags = strtoul(said, NULL, 16);
	check(said[0] && (flags & 0x200) && !(flags & 0x27000) && flags < 0x400000 &&
	              WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "a frame asking for IOPL 3, NT, VM and no IF returns with the user's flags only, and "
	      "cli still faults ('%s', status %#x)",
	      said, status);

	status = forge(bad_mxcsr, said, sizeof(said));
	char *mx = strchr(said, ' ');
	uint32_t mxcsr = mx ? (uint32_t)strtoul(mx + 1, NULL, 16) : 0xffffffff;
	check(mx && mxcsr <= 0xffff && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "a frame whose MXCSR sets reserved bits is returned to with them cleared ('%s')",
	      said);
}

int main(void)
{
	check_prefix = "sigframe";
	frame_layout();
	registers();
	interrupted();
	forgeries();
	verdict("sigframe: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
