/*
 * Processes: one struct proc per process in a fixed table, the legal state changes, and
 * the functions that create, run and end them. Lab 3 runs one user program at a time;
 * lab 4 adds the scheduler, fork, wait and kill on the same structures.
 */
#ifndef SPARROW_KERN_PROC_PROC_H
#define SPARROW_KERN_PROC_PROC_H

#include <types.h>
#include "mm/vm.h"

#define NPROC         64 /* size of the process table */
#define NOFILE        64 /* descriptors per process (lab 5) */
#define PROC_NAME_LEN 16

/*
 * The life of a process (lab 4 uses every arrow; lab 3 only the straight line):
 *
 *   UNUSED -> EMBRYO -> RUNNABLE <-> RUNNING -> ZOMBIE -> UNUSED
 *                          ^            |
 *                          +- SLEEPING <+
 */
enum proc_state {
	PROC_UNUSED,   /* a free slot in the table */
	PROC_EMBRYO,   /* being built: not yet runnable */
	PROC_RUNNABLE, /* waiting for the CPU */
	PROC_RUNNING,  /* on the CPU */
	PROC_SLEEPING, /* waiting for an event (a child's exit, a timer, a pipe) */
	PROC_ZOMBIE,   /* exited; kept until its parent collects the status */
};

/* Callee-saved registers of a process stopped in the kernel, saved by swtch() on its own
 * kernel stack. rip is where swtch returns to. */
struct context {
	uint64_t r15;
	uint64_t r14;
	uint64_t r13;
	uint64_t r12;
	uint64_t rbx;
	uint64_t rbp;
	uint64_t rip;
};

struct trapframe;
struct file;
struct inode;

struct proc {
	int pid;
	enum proc_state state;
	char name[PROC_NAME_LEN]; /* the program's name, for messages and ps */
	struct proc *parent;      /* NULL for the first process */
	pte_t *pml4;              /* the address space; the kernel half is shared */
	uintptr_t kstack;         /* the top of this process's kernel stack */
	struct trapframe *tf;     /* user registers, saved at the top of the kernel stack */
	struct context *context;  /* where swtch() resumes it in the kernel */
	uint64_t fs_base;         /* the user's %fs base (arch_prctl), restored on each switch */
	uintptr_t brk_start, brk; /* the heap: from the end of the program to brk */
	int exit_status;          /* for the parent: the wait status, in Linux's encoding */
	int killed;               /* a signal number: die before the next return to user mode */
	/* Lab 4: scheduling and accounting. */
	void *chan;              /* what a SLEEPING process waits for (see sleep_on) */
	int nice;                /* -20 (most favoured) .. 19; lower runs first */
	uint64_t utime, stime;   /* timer ticks spent in user mode and in the kernel */
	uint64_t cutime, cstime; /* the same, summed over waited-for children */
	/* The x87/SSE registers while the process is off the CPU (fxsave format). */
	uint8_t fpu[512] __attribute__((aligned(16)));
	/* Lab 5: files. */
	struct file *files[NOFILE]; /* open files by descriptor; NULL: a free descriptor */
	uint8_t fd_cloexec[NOFILE]; /* FD_CLOEXEC: close the descriptor in execve */
	struct inode *cwd;          /* the working directory (a reference); NULL: the root */
	uintptr_t mmap_low;         /* lowest address mmap has handed out (MMAP_TOP at start) */
};

extern struct proc procs[NPROC];

/* The running process (NULL in the kernel's own code, outside any process). */
struct proc *myproc(void);

/* Change p's state, panicking (with both state names) if the change is not legal. */
void proc_set_state(struct proc *p, enum proc_state to);
const char *proc_state_name(enum proc_state s);

/* A fresh process in state EMBRYO with a pid, a kernel stack and an empty address
 * space; NULL if the table is full or memory ran out. */
struct proc *proc_alloc(long *err);
/* Give p's slot and resources back: the address space and the kernel stack. */
void proc_free(struct proc *p);

/* Create a process running the program at path in the ramdisk, with argv (NULL-terminated)
 * and the given parent (NULL: none). Returns it, RUNNABLE, or NULL with *err set, having
 * printed why. */
struct proc *proc_spawn(const char *path, char *const argv[], struct proc *parent, long *err);

/* pid 1 once it exists (lab 4): orphans are given to it. */
extern struct proc *initproc;

/* Run p until it exits or is killed (lab 3: one process at a time; lab 4: until every
 * process has ended); then free it. */
void proc_run(struct proc *p);

/* End the running process with the given wait status; does not return. */
void proc_exit(int status) __attribute__((noreturn));
/* Kill the running process because of a fault: print one line, then exit. */
void proc_kill_fault(struct trapframe *tf, int signal, const char *what) __attribute__((noreturn));

/* Switch kernel context: save callee-saved registers and rsp in *old, load new. */
void swtch(struct context **old, struct context *new);

/* A clean FPU/SSE state for new processes, saved at boot (lab 4). */
void fpu_init(void);
extern uint8_t fpu_initial[512];

/* Monitor: the ps command. */
int mon_ps(int argc, char **argv, struct trapframe *tf);

/* Linux wait-status encoding: what WIFEXITED and friends decode. */
#define WSTATUS_EXITED(code)  (((code)&0xff) << 8)
#define WSTATUS_SIGNALED(sig) ((sig)&0x7f)

#endif
