/*
 * The process table: allocating and freeing processes, the one function that changes a
 * process's state, creating the first process from the ramdisk, and ending processes.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include "core/cmdline.h"
#include "core/cpu.h"
#include "core/panic.h"
#include "core/printk.h"
#include "fs/initrd.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "trap/trap.h"
#if LAB >= 4
#include "sched/sched.h"
#endif

struct proc procs[NPROC];
struct proc *initproc;
static int next_pid = 1;

#define PID_MAX 32768 /* pids are reused after this, as on Linux */

extern void proc_start(void);

struct proc *myproc(void)
{
	return mycpu()->proc;
}

static const char *const state_names[] = {
	[PROC_UNUSED] = "UNUSED",   [PROC_EMBRYO] = "EMBRYO",     [PROC_RUNNABLE] = "RUNNABLE",
	[PROC_RUNNING] = "RUNNING", [PROC_SLEEPING] = "SLEEPING", [PROC_ZOMBIE] = "ZOMBIE",
};

const char *proc_state_name(enum proc_state s)
{
	return (unsigned)s < ARRAY_SIZE(state_names) ? state_names[s] : "?";
}

/* The arrows of the diagram in proc.h, and nothing else. */
static bool legal(enum proc_state from, enum proc_state to)
{
	switch (from) {
	case PROC_UNUSED:
		return to == PROC_EMBRYO;
	case PROC_EMBRYO:
		return to == PROC_RUNNABLE || to == PROC_UNUSED; /* UNUSED: creation failed */
	case PROC_RUNNABLE:
		return to == PROC_RUNNING;
	case PROC_RUNNING:
		return to == PROC_RUNNABLE || to == PROC_SLEEPING || to == PROC_ZOMBIE;
	case PROC_SLEEPING:
		return to == PROC_RUNNABLE;
	case PROC_ZOMBIE:
		return to == PROC_UNUSED;
	}
	return false;
}

void proc_set_state(struct proc *p, enum proc_state to)
{
	if (!legal(p->state, to))
		panic("process %d: illegal state change %s -> %s", p->pid,
		      proc_state_name(p->state), proc_state_name(to));
	p->state = to;
}

/* A pid no process has: the next one after the last handed out, wrapping at PID_MAX. */
static int alloc_pid(void)
{
	for (;;) {
		int pid = next_pid;
		next_pid = next_pid % PID_MAX + 1;
		bool used = false;
		for (int i = 0; i < NPROC; i++)
			used |= procs[i].state != PROC_UNUSED && procs[i].pid == pid;
		if (!used)
			return pid; /* NPROC < PID_MAX, so one is always free */
	}
}

struct proc *proc_alloc(long *err)
{
	struct proc *p = NULL;
	for (int i = 0; i < NPROC && !p; i++)
		if (procs[i].state == PROC_UNUSED)
			p = &procs[i];
	if (!p) {
		*err = -EAGAIN;
		return NULL;
	}

	void *kstack = kstack_alloc();
	pte_t *pml4 = kstack ? vm_create() : NULL;
	if (!pml4) {
		if (kstack)
			kstack_free(kstack);
		*err = -ENOMEM;
		return NULL;
	}
	memset(p, 0, sizeof(*p));
	proc_set_state(p, PROC_EMBRYO);
	p->pid = alloc_pid();
	p->pml4 = pml4;
	p->kstack = (uintptr_t)kstack;

	/* The top of the kernel stack: the user registers, and below them a context whose
	 * "return address" is proc_start, so the first swtch() to p enters user mode. */
	p->tf = (struct trapframe *)(p->kstack - sizeof(struct trapframe));
	memset(p->tf, 0, sizeof(*p->tf));
	p->context = (struct context *)((uintptr_t)p->tf - sizeof(struct context));
	memset(p->context, 0, sizeof(*p->context));
	p->context->rip = (uint64_t)proc_start;
	return p;
}

void proc_free(struct proc *p)
{
	if (p->pml4)
		vm_destroy(p->pml4);
	if (p->kstack)
		kstack_free((void *)p->kstack);
	p->pml4 = NULL;
	p->kstack = 0;
	proc_set_state(p, PROC_UNUSED);
}

/* The last path component, for the process name. */
static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

struct proc *proc_spawn(const char *path, char *const argv[], struct proc *parent, long *err)
{
	const void *img;
	size_t size;
	const char *why = "";
	static char token_env[80];
	char *envp[] = { "PATH=/bin", "HOME=/", NULL, NULL };

	const char *token = cmdline_get("token");
	if (token && *token) {
		strlcpy(token_env, "SPARROW_TOKEN=", sizeof(token_env));
		strlcpy(token_env + strlen(token_env), token,
		        sizeof(token_env) - strlen(token_env));
		envp[2] = token_env;
	}

	*err = initrd_lookup(path, &img, &size);
	if (*err < 0) {
		printk("exec %s: no such file in the ramdisk\n", path);
		return NULL;
	}
	struct proc *p = proc_alloc(err);
	if (!p) {
		printk("exec %s: no room for a new process\n", path);
		return NULL;
	}
	struct exec_result res;
	*err = exec_load(p->pml4, img, size, argv, envp, &res, &why);
	if (*err < 0) {
		printk("exec %s: refused: %s\n", path, why);
		proc_free(p);
		return NULL;
	}
	strlcpy(p->name, basename(path), sizeof(p->name));
	p->tf->rip = res.entry;
	p->tf->rsp = res.rsp;
	p->tf->cs = USER_CS;
	p->tf->ss = USER_SS;
	p->tf->rflags = RFLAGS_IF | 0x2; /* bit 1 is always set */
	p->brk_start = p->brk = res.brk;
	p->mmap_low = MMAP_TOP;
	p->parent = parent;
#if LAB >= 4
	memcpy(p->fpu, fpu_initial, sizeof(p->fpu));
#endif
	proc_set_state(p, PROC_RUNNABLE);
	return p;
}

#if LAB >= 4
void proc_run(struct proc *p)
{
	(void)p; /* already RUNNABLE: the scheduler runs it with everything else */
	scheduler();
}
#else
void proc_run(struct proc *p)
{
	struct cpu *c = mycpu();

	proc_set_state(p, PROC_RUNNING);
	c->proc = p;
	cpu_set_kstack(p->kstack);
	lcr3(V2P(p->pml4));
	wrmsr(MSR_FS_BASE, p->fs_base);
	swtch(&c->scheduler, p->context);

	/* p has exited. */
	lcr3(V2P(kern_pml4));
	c->proc = NULL;
	proc_free(p);
}
#endif

static const char *signal_name(int sig)
{
	switch (sig) {
	case 4:
		return "SIGILL";
	case 5:
		return "SIGTRAP";
	case 8:
		return "SIGFPE";
	case 9:
		return "SIGKILL";
	case 11:
		return "SIGSEGV";
	case 15:
		return "SIGTERM";
	default:
		return "a signal";
	}
}

void proc_exit(int status)
{
	struct proc *p = myproc();
#if LAB >= 4
	exit_release(p);
#endif

	if (!p->parent) {
		if (status & 0x7f)
			printk("[pid %d] %s killed by signal %d (%s)\n", p->pid, p->name,
			       status & 0x7f, signal_name(status & 0x7f));
		else
			printk("[pid %d] %s exited with status %d\n", p->pid, p->name,
			       (status >> 8) & 0xff);
	}
	p->exit_status = status;
	proc_set_state(p, PROC_ZOMBIE);
#if LAB >= 4
	if (p->parent)
		wakeup(p->parent); /* it may be in wait4 */
	sched();
#else
	swtch(&p->context, mycpu()->scheduler);
#endif
	panic("a zombie ran again");
}

void proc_kill_fault(struct trapframe *tf, int signal, const char *what)
{
	struct proc *p = myproc();
	printk("[pid %d %s] user fault: %s, rip 0x%lx\n", p->pid, p->name, what, tf->rip);
	proc_exit(WSTATUS_SIGNALED(signal));
}

int mon_ps(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
	printk("  PID  PPID STATE      PRI NAME\n");
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state == PROC_UNUSED)
			continue;
		printk("%c%4d %5d %-9s %4d %s\n", p == myproc() ? '*' : ' ', p->pid,
		       p->parent ? p->parent->pid : 0, proc_state_name(p->state), p->nice, p->name);
	}
	return 0;
}

/* ---- system calls ------------------------------------------------------------------ */

long sys_getpid(const long a[6])
{
	(void)a;
	return myproc()->pid;
}

long sys_exit(const long a[6])
{
	proc_exit(WSTATUS_EXITED(a[0]));
}

long sys_exit_group(const long a[6])
{
	proc_exit(WSTATUS_EXITED(a[0]));
}

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

long sys_arch_prctl(const long a[6])
{
	struct proc *p = myproc();
	switch (a[0]) {
	case ARCH_SET_FS:
		if ((uint64_t)a[1] >= USER_TOP)
			return -EPERM;
		p->fs_base = (uint64_t)a[1];
		wrmsr(MSR_FS_BASE, p->fs_base);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((uintptr_t)a[1], &p->fs_base, sizeof(p->fs_base));
	default:
		return -EINVAL;
	}
}
