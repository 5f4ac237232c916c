/*
 * System calls: the dispatcher and every handler. The table of implemented calls is in
 * kern/proc/syscall.c, the one place that maps numbers to handlers; docs/syscalls.md lists
 * them with the lab that adds each.
 */
#ifndef SPARROW_KERN_PROC_SYSCALL_H
#define SPARROW_KERN_PROC_SYSCALL_H

#include <types.h>

#define T_SYSCALL 256 /* trapno of the frames syscall_entry builds (not an IDT vector) */

struct trapframe;

/* Called by syscall_entry (kern/trap/syscall_entry.S) with the user's registers. */
void syscall(struct trapframe *tf);
/* Set up the syscall/sysret MSRs: STAR, LSTAR, FMASK and EFER.SCE. */
void syscall_init(void);

/* Each handler gets the six argument registers (rdi, rsi, rdx, r10, r8, r9), as longs. */
typedef long sysfn_t(const long a[6]);

/* Lab 3 */
sysfn_t sys_write, sys_writev, sys_getpid, sys_exit, sys_exit_group, sys_arch_prctl;
/* Lab 4 */
sysfn_t sys_fork, sys_wait4, sys_kill, sys_getppid, sys_sched_yield, sys_nanosleep;
sysfn_t sys_setpriority, sys_getpriority, sys_clock_gettime, sys_times, sys_sysinfo, sys_reboot;
/* Lab 5 */
sysfn_t sys_read, sys_readv, sys_open, sys_openat, sys_close, sys_lseek, sys_dup, sys_dup2;
sysfn_t sys_dup3, sys_fcntl, sys_pipe, sys_pipe2, sys_stat, sys_fstat, sys_mkdir, sys_unlink;
sysfn_t sys_chdir, sys_getcwd, sys_getdents64, sys_ioctl, sys_execve, sys_brk, sys_mmap;
sysfn_t sys_munmap, sys_mprotect, sys_set_tid_address, sys_gettid, sys_rt_sigprocmask;
sysfn_t sys_rt_sigaction, sys_uname, sys_getrandom;

#endif
