/*
 * aslr: layout randomization (lab 7). Each execve places the stack top, the mmap area and
 * the heap's start a random number of pages away from where inc/memlayout.h draws them
 * (within the ASLR_* ranges there); the kernel option aslr=0 puts them back.
 *
 *	aslr on		three execs of this program see three layouts, within the ranges
 *	aslr off	three execs see the same, fixed layout
 *	aslr report	(what each exec runs) write this layout to stdout, in binary
 */
#include <memlayout.h>
#include <mman.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define RUNS 3

struct layout {
	uintptr_t stack; /* an address in main's frame */
	uintptr_t mmap;  /* where a one-page mmap lands */
	uintptr_t brk;   /* the heap's start: the break before any sbrk */
};

/* In the bss, which the heap follows (less than SLACK further on: the library's bss). */
static char bss_marker[4096];
#define SLACK (16 * 4096)

static int report(void)
{
	struct layout l;
	l.stack = (uintptr_t)&l;
	l.brk = (uintptr_t)sbrk(0);
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	l.mmap = (uintptr_t)m;
	return write(1, &l, sizeof(l)) == sizeof(l) ? 0 : 1;
}

/* Run "aslr report" in a child and read its layout: 0, or -1. */
static int run_once(struct layout *l)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		char *argv[] = { "aslr", "report", NULL };
		execv("/bin/aslr", argv);
		_exit(127);
	}
	close(p[1]);
	ssize_t n = read(p[0], l, sizeof(*l));
	close(p[0]);
	int status = -1;
	waitpid(pid, &status, 0);
	return n == sizeof(*l) && status == 0 ? 0 : -1;
}

static bool all_same(const uintptr_t *v)
{
	for (int i = 1; i < RUNS; i++)
		if (v[i] != v[0])
			return false;
	return true;
}

/* Do all the values differ from the first by whole pages? */
static bool by_pages(const uintptr_t *v)
{
	for (int i = 1; i < RUNS; i++)
		if ((v[i] - v[0]) % 4096)
			return false;
	return true;
}

static bool within(const uintptr_t *v, uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < RUNS; i++)
		if (v[i] < lo || v[i] >= hi)
			return false;
	return true;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "report") == 0)
		return report();
	bool on = argc == 2 && strcmp(argv[1], "on") == 0;
	if (!on && !(argc == 2 && strcmp(argv[1], "off") == 0)) {
		printf("usage: aslr on|off\n");
		return 2;
	}
	check_prefix = on ? "aslr" : "aslr-off";

	struct layout l[RUNS];
	uintptr_t stack[RUNS], map[RUNS], heap[RUNS];
	bool ran = true;
	for (int i = 0; i < RUNS; i++) {
		ran = ran && run_once(&l[i]) == 0;
		stack[i] = l[i].stack;
		map[i] = l[i].mmap;
		heap[i] = l[i].brk;
	}
	check(ran, "%d runs of 'aslr report' each reported their layout", RUNS);
	if (!ran)
		return 1;
	for (int i = 0; i < RUNS; i++)
		printf("%s: run %d: stack %#lx, mmap %#lx, heap %#lx\n", check_prefix, i + 1,
		       stack[i], map[i], heap[i]);
	bss_marker[0] = 1;
	uintptr_t heap0 = ROUNDUP((uintptr_t)(bss_marker + sizeof(bss_marker)), 4096);
	if (on) {
		check(!all_same(stack) && by_pages(stack), "the stack moves by whole pages");
		check(!all_same(map) && by_pages(map), "the mmap area moves by whole pages");
		check(!all_same(heap) && by_pages(heap), "the heap's start moves by whole pages");
		check(within(stack, USTACK_TOP - ASLR_STACK_RANGE - 2 * 4096, USTACK_TOP),
		      "the stack stays within ASLR_STACK_RANGE of USTACK_TOP");
		check(within(map, MMAP_TOP - ASLR_STACK_RANGE - ASLR_MMAP_RANGE - 2 * 4096,
		             MMAP_TOP),
		      "mmap stays within ASLR_STACK_RANGE + ASLR_MMAP_RANGE of MMAP_TOP");
		check(within(heap, heap0, heap0 + ASLR_HEAP_RANGE + SLACK),
		      "the heap starts within ASLR_HEAP_RANGE after the program");
	} else {
		check(all_same(stack) && within(stack, USTACK_TOP - 2 * 4096, USTACK_TOP),
		      "the stack is at USTACK_TOP each time");
		check(all_same(map) && within(map, MMAP_TOP - 2 * 4096, MMAP_TOP),
		      "mmap starts at MMAP_TOP each time");
		check(all_same(heap) && within(heap, heap0, heap0 + SLACK),
		      "the heap starts right after the program each time");
	}
	if (check_failures == 0)
		verdict("%s: all checks OK", check_prefix);
	return check_failures ? 1 : 0;
}
