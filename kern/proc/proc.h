/*
 * Processes: one struct proc per process in a fixed table, and the one function that
 * changes a process's state. Creating, running and ending processes is done by the layers
 * above: the scheduler (kern/sched) and the system calls (kern/sys: fork, exec, exit).
 */
#ifndef SPARROW_KERN_PROC_PROC_H
#define SPARROW_KERN_PROC_PROC_H

#include <types.h>
#include "core/cpu.h"
#if LAB >= 6
#include "proc/signal.h"
#endif

#define NPROC         64 /* size of the process table */
#define PROC_NAME_LEN 16
#define PROC_RLIMITS  16 /* resource limits (RLIMIT_*), as Linux has */

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
 * kernel stack, lowest address first (kern/proc/swtch.S pushes them in the reverse order).
 * rip is where swtch returns to. */
struct context {
	uint64_t rflags; /* so a flag one process set (AC, NT) never runs in another */
	uint64_t r15;
	uint64_t r14;
	uint64_t r13;
	uint64_t r12;
	uint64_t rbx;
	uint64_t rbp;
	uint64_t rip;
};

struct trapframe;
struct mm;
struct fdtable;
struct inode;

struct proc {
	int pid;
	enum proc_state state;
	char name[PROC_NAME_LEN]; /* the program's name, for messages and ps */
	struct proc *parent;      /* NULL for a process the kernel started without one */
	struct mm *mm;            /* the address space (kern/mm/uvm.h) */
	uintptr_t kstack;         /* the top of this process's kernel stack */
	struct trapframe *tf;     /* user registers, saved at the top of the kernel stack */
	struct context *context;  /* where swtch() resumes it in the kernel */
	uint64_t fs_base;         /* the user's %fs base (arch_prctl), restored on each switch */
	int exit_status;          /* for the parent: the wait status, in Linux's encoding */
	int killed;               /* a signal number: the process ends at its next return to
	                             user mode (kern/sys/syscall.c, user_return) */
	struct fdtable *files;    /* open files by descriptor (kern/fs/fdtable.h) */
	struct proc *qnext;       /* the next in runq while RUNNABLE, in sleepers while SLEEPING */
#if LAB >= 4
	/* Lab 4: scheduling and accounting. */
	void *chan;              /* what a SLEEPING process waits for (see sleep_on) */
	uint64_t wake_tick;      /* if not 0, the tick it wakes at anyway (sleep_until) */
	int nice;                /* -20 (most favoured) .. 19; lower runs first */
	uint64_t run_tsc;        /* time-stamp counter cycles on the CPU ... */
	uint64_t kernel_tsc;     /* ... of which in the kernel (see kern/sched/sched.c) */
	uint64_t oncpu_tsc;      /* when it last got the CPU */
	uint64_t entered_tsc;    /* when it last entered the kernel (or got the CPU) */
	uint64_t cutime, cstime; /* user and kernel ticks of waited-for children */
	/* The x87/SSE registers while the process is off the CPU (fxsave format). */
	uint8_t fpu[512] __attribute__((aligned(16)));
#endif
#if LAB >= 5
	struct inode *cwd;   /* the working directory (a reference); NULL: the root */
	uint32_t umask;      /* permission bits new files and directories do not get */
	uint64_t start_tick; /* when it was made (/proc/PID/stat) */
	struct proc_rlimit {
		uint64_t cur, max;
	} rlim[PROC_RLIMITS]; /* getrlimit, setrlimit: soft and hard limits (inc/resource.h) */
#endif
#if LAB >= 6
	/* Lab 6: signals, and the process group and session signals are sent to. */
	struct sigstate sig;
	int pgid;    /* process group (kill(-pgid), the console's foreground group) */
	int sid;     /* session: the group of groups a setsid started */
	bool execed; /* has called execve since fork (setpgid then says EACCES) */
#endif
#if LAB >= 7
	/* Lab 7: thread groups (kern/proc/thread.h). pid is this task's own id (gettid). */
	int tgid;                  /* the group's id (getpid): the pid of its first thread */
	struct proc *leader;       /* that first thread (p itself for a one-thread process) */
	int exit_signal;           /* to the parent when the group ends: SIGCHLD, another, 0 */
	uintptr_t clear_child_tid; /* set_tid_address: 0 written there and a futex wake at exit */
	uintptr_t set_child_tid;   /* CLONE_CHILD_SETTID: the new task writes its tid there */
	uint64_t fs_id;            /* tasks with the same fs_id share cwd and umask ... */
	uint64_t sighand_id;       /* ... with the same sighand_id, the signal handlers */
	bool group_exit;           /* the leader: exit_group or a fatal signal ends the group ... */
	int group_status;          /* ... with this wait status */
	bool execing;              /* the leader: in execve, ending the group's other threads */
	bool vfork_wait;           /* waits in vfork until its child execs or exits ... */
	struct proc *vfork_parent; /* ... the child's: that waiting parent */
	bool kthread;              /* a kernel thread: no user half (kern/proc/kthread.h) */
	uintptr_t futex_addr;      /* in FUTEX_WAIT: the word it waits on (0 once woken) */
	unsigned long wait_options; /* in wait4: its options (__WALL, __WCLONE) */
#endif
};

/* The thread group's id, getpid()'s answer: from lab 7 that of the group's first thread,
 * its leader, which stands for the whole process (kill, wait, ps's parent). */
#if LAB >= 7
#define proc_tgid(p)       ((p)->tgid)
#define proc_leader(p)     ((p)->leader)
#define proc_is_process(p) ((p)->leader == (p))
#else
#define proc_tgid(p)       ((p)->pid)
#define proc_leader(p)     (p)
#define proc_is_process(p) true
#endif

extern struct proc procs[NPROC];

/* The RUNNABLE processes, in the order they became RUNNABLE, and the SLEEPING ones, each a
 * list linked through qnext that proc_set_state keeps: the scheduler and wakeup look at
 * these few processes rather than at the whole table. */
extern struct proc *runq;
extern struct proc *sleepers;

/* pid 1 once it exists (lab 4): orphans are given to it. */
extern struct proc *initproc;

/* The running process (NULL in the kernel's own code, outside any process). */
static inline struct proc *myproc(void)
{
	return mycpu()->proc;
}

/* Change p's state, panicking (with both state names) if the change is not legal; p
 * leaves and joins runq and sleepers accordingly. */
void proc_set_state(struct proc *p, enum proc_state to);
/* Told of every legal change just before it is made, if set (lab 4's scheduler trace). */
extern void (*proc_state_hook)(struct proc *p, enum proc_state to);
const char *proc_state_name(enum proc_state s);

/* A fresh process in state EMBRYO with a pid and a kernel stack (no address space or files
 * yet: the caller gives it those). NULL with *err -EAGAIN (the table is full) or -ENOMEM. */
struct proc *proc_alloc(long *err);
/* Give p's slot back with its kernel stack and address space (if it still has them). Its
 * files must be released already (kern/sys/exit.c). */
void proc_free(struct proc *p);
/* Told of each process proc_alloc makes and proc_free frees (lab 5: /proc/PID comes and
 * goes with them, kern/sys/procfs.c); NULL: nobody is told. */
extern void (*proc_made_hook)(struct proc *p);
extern void (*proc_freed_hook)(struct proc *p);
/* The process with this pid that has not been freed, or NULL. */
struct proc *proc_find(int pid);
/* Wake p if it sleeps, whatever it sleeps on (a signal, kill). */
void wake_process(struct proc *p);

/*
 * Must a system call that sleeps for p give up and return? Yes if p is to die (killed)
 * and, from lab 6, if a signal is waiting for it. It then returns -ERESTARTSYS (a read, a
 * write, wait4) or -ERESTARTNOHAND (nanosleep), which lab 6's delivery turns into -EINTR or
 * a restart of the call (kern/proc/signal.h). Before lab 6 they are -EINTR, and the
 * process never sees them: it is killed on its way out.
 */
#if LAB >= 6
#define proc_interrupted(p) ((p)->killed || signal_pending(p))
#else
#define proc_interrupted(p) ((p)->killed != 0)
#define ERESTARTSYS         EINTR
#define ERESTARTNOHAND      EINTR
#endif

/* Switch kernel context: save callee-saved registers, flags and rsp in *old, load new. */
void swtch(struct context **old, struct context *new);

/* Linux wait-status encoding: what WIFEXITED and friends decode. */
#define WSTATUS_EXITED(code)  (((code)&0xff) << 8)
#define WSTATUS_SIGNALED(sig) ((sig)&0x7f)
#define WSTATUS_CORE          0x80 /* with WSTATUS_SIGNALED: the signal dumps core (lab 6) */

#endif
