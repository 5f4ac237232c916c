/*
 * Thread groups (lab 7): a process is a group of tasks (struct proc) with one tgid. What
 * the tasks of a group, or of a clone, share: the address space and the descriptor table
 * by pointer, the working directory and umask and the signal handlers by an id kept equal
 * among the tasks that share them. Nothing here sleeps: kern/sys/clone.c does the waiting.
 */
#ifndef SPARROW_KERN_PROC_THREAD_H
#define SPARROW_KERN_PROC_THREAD_H

#include <types.h>
#include "proc/proc.h"

/* proc_alloc: p is a group of one (its tgid its pid), exits with SIGCHLD, shares nothing. */
void thread_init(struct proc *p);
/* A fresh id for fs_id or sighand_id: nobody shares it yet. */
uint64_t thread_new_share_id(void);

/* Is p the first thread of its group (whose pid is the group's)? */
static inline bool thread_is_leader(const struct proc *p)
{
	return p->leader == p;
}
/* The tasks of p's group other than p that have not ended (not zombies, not free). */
int thread_others(const struct proc *p);
/* Does another task (not yet exited) use p's address space, or its descriptor table? */
bool thread_mm_shared(const struct proc *p);
bool thread_files_shared(const struct proc *p);

/* exit_group, a fatal signal, or SIGKILL in one thread: the group ends with wait status
 * `status` (the first one recorded wins), every other thread of p's group is marked to die
 * (killed) and woken. */
void thread_group_kill(struct proc *p, int status);

/* A process-directed signal for p's group: the thread that should take it (one that does
 * not block sig, the leader first), or the leader if all block it. */
struct proc *thread_signal_target(struct proc *p, int sig);

/* rt_sigaction: give p's action for sig to every task sharing its handlers (CLONE_SIGHAND).
 * (CLONE_FS's working directory is the file system's: kern/sys/clone.c.) */
void thread_sighand_changed(struct proc *p, int sig);

/* execve, once the new program is loaded (exec_commit): p stops sharing its handlers;
 * true if its old address space is still used by another task (a vfork parent), which must
 * then not be destroyed. */
bool thread_exec(struct proc *p);

#endif
