/*
 * sigsegv: faults become signals the program can handle. A SIGSEGV handler that gives the
 * faulting page access (mprotect) or maps it (mmap) and returns makes the access succeed on
 * retry: user-level paging, as JOS does it. si_addr, si_code (SEGV_ACCERR, SEGV_MAPERR) and
 * the ucontext (rip, cr2, trapno, err) are right; a SIGFPE handler siglongjmp's out of a
 * division by zero; SIGILL, SIGTRAP and a general-protection SIGSEGV each come with Linux's
 * si_code (and SIGBUS, on a CPU that checks alignment), and a handler may move rip past
 * the instruction; a fault inside the handler of its own signal kills.
 */
#include <errno.h>
#include <mman.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE   4096
#define NPAGES 16

/* Small functions whose faulting instruction has a label, to compare with si_addr and
 * uc_mcontext.rip. */
void write_byte(volatile char *p, char v);
int divide(int a, int b);
void do_ud2(void);
void do_int3(void);
void do_hlt(void);
void load_misaligned(const void *p);
extern char write_insn[], div_insn[], ud2_insn[], int3_after[], hlt_insn[], load_insn[];
asm(".text\n"
    "write_byte: write_insn: movb %sil, (%rdi)\n ret\n"
    "divide: movl %edi, %eax\n cltd\n div_insn: idivl %esi\n ret\n"
    "do_ud2: ud2_insn: ud2\n ret\n"
    "do_int3: int3\n int3_after: ret\n"
    "do_hlt: hlt_insn: hlt\n ret\n"
    "load_misaligned: load_insn: movl (%rdi), %eax\n ret\n"
    ".globl write_byte, divide, do_ud2, do_int3, do_hlt, load_misaligned\n"
    ".globl write_insn, div_insn, ud2_insn, int3_after, hlt_insn, load_insn\n");

static char *region;
static volatile int faults, sig_seen, code_seen;
static volatile void *addr_seen;
static volatile uint64_t rip_seen, cr2_seen, trapno_seen, err_seen;
static sigjmp_buf out;

static void record(int sig, siginfo_t *si, ucontext_t *uc)
{
	faults++;
	sig_seen = sig;
	code_seen = si->si_code;
	addr_seen = si->si_addr;
	rip_seen = uc->uc_mcontext.rip;
	cr2_seen = uc->uc_mcontext.cr2;
	trapno_seen = uc->uc_mcontext.trapno;
	err_seen = uc->uc_mcontext.err;
}

/* User-level paging: give the faulting page of the region access, and retry. */
static void pager(int sig, siginfo_t *si, void *uc)
{
	record(sig, si, uc);
	char *page = (char *)((uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1));
	if (page < region || page >= region + NPAGES * PAGE ||
	    mprotect(page, PAGE, PROT_READ | PROT_WRITE) < 0)
		_exit(99);
}

/* Demand mapping: map a fresh page where there was none, and retry. */
static void mapper(int sig, siginfo_t *si, void *uc)
{
	record(sig, si, uc);
	char *page = (char *)((uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1));
	if (mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	         0) != page)
		_exit(98);
}

static void jump_out(int sig, siginfo_t *si, void *uc)
{
	record(sig, si, uc);
	siglongjmp(out, 1);
}

/* Skip the faulting instruction (n bytes) and go on. */
static volatile int skip;
static void skipper(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	record(sig, si, uc);
	uc->uc_mcontext.rip += skip;
}

static void clear_ac(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	record(sig, si, uc);
	uc->uc_mcontext.rflags &= ~0x40000UL; /* AC */
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO };
	sigaction(sig, &sa, NULL);
}

static void paging(void)
{
	region = mmap(NULL, NPAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	install(SIGSEGV, pager);
	faults = 0;
	for (int i = 0; i < NPAGES; i++)
		write_byte(region + i * PAGE + i, (char)(i + 1));
	int right = 0;
	for (int i = 0; i < NPAGES; i++)
		right += region[i * PAGE + i] == i + 1;
	check(faults == NPAGES && right == NPAGES,
	      "user-level paging: writes to 16 PROT_NONE pages each fault once; the handler "
	      "mprotects the page and returns, and the write is retried (faults %d, right %d)",
	      faults, right);
	check(sig_seen == SIGSEGV && code_seen == SEGV_ACCERR &&
	              addr_seen == region + 15 * PAGE + 15,
	      "the handler got SIGSEGV with si_code SEGV_ACCERR and si_addr the byte written (%d, "
	      "%d, %p)",
	      sig_seen, code_seen, addr_seen);
	check(rip_seen == (uintptr_t)write_insn && cr2_seen == (uintptr_t)addr_seen &&
	              trapno_seen == 14 && (err_seen & 0x6) == 0x6,
	      "its ucontext: rip the faulting instruction, cr2 the address, trapno 14, err a user "
	      "write (rip %#lx, cr2 %#lx, trapno %lu, err %#lx)",
	      rip_seen, cr2_seen, trapno_seen, err_seen);

	munmap(region, NPAGES * PAGE);
	install(SIGSEGV, mapper);
	faults = 0;
	write_byte(region + 3 * PAGE + 5, 42);
	check(faults == 1 && code_seen == SEGV_MAPERR && addr_seen == region + 3 * PAGE + 5 &&
	              region[3 * PAGE + 5] == 42,
	      "a write where nothing is mapped: SEGV_MAPERR; a handler that maps the page makes "
	      "the retried write land (code %d)",
	      code_seen);
	munmap(region, NPAGES * PAGE);
}

static void others(void)
{
	install(SIGFPE, jump_out);
	volatile int zero = 0, result = 7;
	if (sigsetjmp(out, 1) == 0)
		result = divide(1, zero);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	check(sig_seen == SIGFPE && code_seen == FPE_INTDIV && addr_seen == div_insn &&
	              result == 7 && !(now & (1UL << (SIGFPE - 1))),
	      "a division by zero: the SIGFPE handler (FPE_INTDIV, si_addr the idiv) siglongjmp's "
	      "out, and SIGFPE is unblocked again (code %d)",
	      code_seen);

	install(SIGILL, skipper);
	skip = 2;
	faults = 0;
	do_ud2();
	check(faults == 1 && code_seen == ILL_ILLOPN && addr_seen == ud2_insn &&
	              rip_seen == (uintptr_t)ud2_insn && trapno_seen == 6,
	      "ud2: SIGILL with ILL_ILLOPN, si_addr and rip the ud2; moving rip past it goes on "
	      "(code %d)",
	      code_seen);

	install(SIGTRAP, skipper);
	skip = 0;
	faults = 0;
	do_int3();
	check(faults == 1 && sig_seen == SIGTRAP && code_seen == SI_KERNEL &&
	              rip_seen == (uintptr_t)int3_after && trapno_seen == 3,
	      "int3: SIGTRAP with SI_KERNEL, rip after the int3 (code %d)", code_seen);

	install(SIGSEGV, skipper);
	skip = 1;
	faults = 0;
	do_hlt();
	check(faults == 1 && sig_seen == SIGSEGV && code_seen == SI_KERNEL && addr_seen == NULL &&
	              trapno_seen == 13,
	      "hlt in user mode: a general-protection fault, SIGSEGV with SI_KERNEL and no address "
	      "(code %d, trapno %lu)",
	      code_seen, trapno_seen);

	/* SIGBUS: an alignment check. QEMU's TCG does not implement them (a misaligned access
	 * with RFLAGS.AC set just works), so this is checked only on a CPU that does. */
	static char buf[16] __attribute__((aligned(8)));
	install(SIGBUS, clear_ac);
	faults = 0;
	sig_seen = 0;
	asm volatile("pushfq; orq $0x40000, (%%rsp); popfq" ::: "memory", "cc");
	load_misaligned(buf + 1);
	asm volatile("pushfq; andq $~0x40000, (%%rsp); popfq" ::: "memory", "cc");
	if (faults == 0)
		printf("sigsegv: this CPU does not check alignment (RFLAGS.AC): SIGBUS from a "
		       "misaligned load is not checked\n");
	else
		check(faults == 1 && sig_seen == SIGBUS && code_seen == BUS_ADRALN &&
		              rip_seen == (uintptr_t)load_insn && trapno_seen == 17,
		      "a misaligned load with RFLAGS.AC set: SIGBUS with BUS_ADRALN; clearing AC "
		      "in "
		      "the ucontext retries it (code %d)",
		      code_seen);
}

static void nested_fault(int sig)
{
	(void)sig;
	write_byte((char *)0x20, 1); /* SIGSEGV again, while it is blocked */
}

static void fatal(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, nested_fault);
		write_byte((char *)0x10, 1);
		exit(0);
	}
	int status = reap_within(pid, 500);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	      "a fault inside the SIGSEGV handler (its signal blocked) kills with SIGSEGV (%#x)",
	      status);

	pid = fork();
	if (pid == 0) {
		sigset_t all = ~0UL;
		sigprocmask(SIG_SETMASK, &all, NULL);
		divide(1, 0);
		exit(0);
	}
	status = reap_within(pid, 500);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGFPE,
	      "a division by zero with every signal blocked still kills with SIGFPE (%#x)", status);
}

int main(void)
{
	check_prefix = "sigsegv";
	paging();
	others();
	fatal();
	verdict("sigsegv: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
