/*
 * System calls: the dispatcher, the table that maps Linux's numbers to handlers with the C
 * type of each argument (kern/sys/syscall.c), and every handler. docs/syscalls.md lists
 * them with the lab that adds each.
 */
#ifndef SPARROW_KERN_SYS_SYSCALL_H
#define SPARROW_KERN_SYS_SYSCALL_H

#include <types.h>

struct trapframe;
struct proc;

/* The type of a system-call argument, as the kernel's C prototype has it (Linux's
 * SYSCALL_DEFINE). The dispatcher converts each register once, before the handler runs:
 * an int takes the low 32 bits of its register, sign-extended, an unsigned int the low 32
 * bits, as the C calling convention says the callee must; the rest are 64 bits. The types
 * also tell the trace (strace=) how to print each argument. */
enum sysarg {
	A_NONE, /* no more arguments */
	A_LONG, /* long, size_t, off_t, ...: all 64 bits */
	A_INT,  /* int (pid_t, a signal, ...) */
	A_UINT, /* unsigned int (flags, a mode, a request) */
	A_FD,   /* an int that is a file descriptor */
	A_PTR,  /* a user address */
	A_STR,  /* the user address of a NUL-terminated string */
	A_HEX,  /* a long, printed in hex (flags) */
};

/* Each handler gets the six argument registers (rdi, rsi, rdx, r10, r8, r9), already
 * converted to their declared types (and zero past the last argument). */
typedef long sysfn_t(const long a[6]);

struct syscall_desc {
	const char *name;
	sysfn_t *fn;
	enum sysarg args[6];
};

/* At boot: read the trace option and register the hooks below (and the user-fault
 * handler) with the trap layer (trap_hooks, kern/trap/trap.h). */
void sys_init(void);
void syscall_dispatch(struct trapframe *tf);
void user_enter(struct trapframe *tf);
void user_return(struct trapframe *tf);

/* The names of all of Linux's calls, implemented or not (kern/sys/syscall_names.c). */
#define LINUX_NSYSCALLS 460
extern const char *const linux_syscall_names[LINUX_NSYSCALLS];

/* Lab 3 */
sysfn_t sys_read, sys_write, sys_readv, sys_writev, sys_ioctl, sys_getpid, sys_exit, sys_exit_group;
sysfn_t sys_arch_prctl;
/* Lab 4 */
sysfn_t sys_fork, sys_wait4, sys_kill, sys_getppid, sys_sched_yield, sys_nanosleep;
sysfn_t sys_setpriority, sys_getpriority, sys_clock_gettime, sys_times, sys_sysinfo, sys_reboot;
/* Lab 5 */
sysfn_t sys_open, sys_openat, sys_close, sys_lseek, sys_dup, sys_dup2;
sysfn_t sys_dup3, sys_fcntl, sys_pipe, sys_pipe2, sys_stat, sys_fstat, sys_mkdir, sys_unlink;
sysfn_t sys_rmdir;
sysfn_t sys_chdir, sys_getcwd, sys_getdents64, sys_execve, sys_brk, sys_mmap;
sysfn_t sys_munmap, sys_mprotect, sys_set_tid_address, sys_gettid, sys_rt_sigprocmask;
sysfn_t sys_rt_sigaction, sys_uname, sys_getrandom;
sysfn_t sys_creat, sys_lstat, sys_newfstatat, sys_mkdirat, sys_unlinkat, sys_rename;
sysfn_t sys_renameat, sys_renameat2, sys_link, sys_linkat, sys_symlink, sys_symlinkat;
sysfn_t sys_readlink, sys_readlinkat, sys_access, sys_faccessat, sys_faccessat2, sys_chmod;
sysfn_t sys_fchmodat, sys_fchmod, sys_umask, sys_truncate, sys_ftruncate, sys_utimensat;
sysfn_t sys_fchdir, sys_pread64, sys_pwrite64, sys_poll, sys_ppoll, sys_select, sys_pselect6;
sysfn_t sys_getuid, sys_setuid, sys_setreuid, sys_setresuid, sys_getresuid, sys_getgroups;
sysfn_t sys_prctl, sys_getrlimit, sys_setrlimit, sys_prlimit64, sys_sched_getaffinity;
sysfn_t sys_clock_getres, sys_clock_nanosleep, sys_gettimeofday, sys_time, sys_sendfile;
sysfn_t sys_statfs, sys_fstatfs, sys_fsync, sys_sync, sys_mknod, sys_mknodat;
sysfn_t sys_set_robust_list;

/* Lab 5: the resource limits and umask a process the kernel starts gets (kern/sys/sys_proc.c). */
void proc_limits_init(struct proc *p);
/* Lab 6 (sys_kill and sys_rt_sig* replace lab 4's and lab 5's) */
sysfn_t sys_rt_sigpending, sys_rt_sigsuspend, sys_rt_sigreturn, sys_sigaltstack, sys_pause;
sysfn_t sys_tgkill, sys_tkill, sys_alarm, sys_setitimer, sys_getitimer;
sysfn_t sys_setpgid, sys_getpgid, sys_getpgrp, sys_setsid, sys_getsid;

#endif
