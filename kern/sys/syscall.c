/*
 * The system-call dispatcher, the table of implemented calls (Linux's numbers, with each
 * argument's C type), the trace (strace=), and what happens on every way into and out of
 * user mode. An unknown number returns -ENOSYS; nothing a program passes can crash the
 * kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <x86.h>
#include "core/cmdline.h"
#include "core/cpu.h"
#include "core/panic.h"
#include "core/printk.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "proc/usertrap.h"
#include "sys/exit.h"
#include "sys/syscall.h"
#include "trap/trap.h"
#if LAB >= 4
#include "sched/sched.h"
#endif
#if LAB >= 7
#include "sys/clone.h"
#endif

#define NSYSCALLS 440

/* Each call with its arguments' types (Linux's prototypes). */
static const struct syscall_desc table[NSYSCALLS] = {
	[SYS_read] = { "read", sys_read, { A_FD, A_PTR, A_LONG } },
	[SYS_write] = { "write", sys_write, { A_FD, A_PTR, A_LONG } },
	[SYS_writev] = { "writev", sys_writev, { A_FD, A_PTR, A_UINT } },
	[SYS_readv] = { "readv", sys_readv, { A_FD, A_PTR, A_UINT } },
	[SYS_ioctl] = { "ioctl", sys_ioctl, { A_FD, A_UINT, A_PTR } },
	[SYS_getpid] = { "getpid", sys_getpid, { A_NONE } },
	[SYS_exit] = { "exit", sys_exit, { A_INT } },
	[SYS_arch_prctl] = { "arch_prctl", sys_arch_prctl, { A_INT, A_PTR } },
	[SYS_exit_group] = { "exit_group", sys_exit_group, { A_INT } },
#if LAB >= 4
#if LAB >= 7
	[SYS_fork] = { "fork", sys_fork_clone, { A_NONE } }, /* lab 7: clone(SIGCHLD) */
#else
	[SYS_fork] = { "fork", sys_fork, { A_NONE } },
#endif
	[SYS_wait4] = { "wait4", sys_wait4, { A_INT, A_PTR, A_INT, A_PTR } },
	[SYS_kill] = { "kill", sys_kill, { A_INT, A_INT } },
	[SYS_getppid] = { "getppid", sys_getppid, { A_NONE } },
	[SYS_sched_yield] = { "sched_yield", sys_sched_yield, { A_NONE } },
	[SYS_nanosleep] = { "nanosleep", sys_nanosleep, { A_PTR, A_PTR } },
	[SYS_setpriority] = { "setpriority", sys_setpriority, { A_INT, A_INT, A_INT } },
	[SYS_getpriority] = { "getpriority", sys_getpriority, { A_INT, A_INT } },
	[SYS_clock_gettime] = { "clock_gettime", sys_clock_gettime, { A_INT, A_PTR } },
	[SYS_times] = { "times", sys_times, { A_PTR } },
	[SYS_sysinfo] = { "sysinfo", sys_sysinfo, { A_PTR } },
	[SYS_reboot] = { "reboot", sys_reboot, { A_INT, A_INT, A_UINT, A_PTR } },
#endif
#if LAB >= 5
	[SYS_open] = { "open", sys_open, { A_STR, A_UINT, A_UINT } },
	[SYS_openat] = { "openat", sys_openat, { A_FD, A_STR, A_UINT, A_UINT } },
	[SYS_close] = { "close", sys_close, { A_FD } },
	[SYS_lseek] = { "lseek", sys_lseek, { A_FD, A_LONG, A_UINT } },
	[SYS_dup] = { "dup", sys_dup, { A_FD } },
	[SYS_dup2] = { "dup2", sys_dup2, { A_FD, A_FD } },
	[SYS_dup3] = { "dup3", sys_dup3, { A_FD, A_FD, A_UINT } },
	[SYS_fcntl] = { "fcntl", sys_fcntl, { A_FD, A_UINT, A_LONG } },
	[SYS_pipe] = { "pipe", sys_pipe, { A_PTR } },
	[SYS_pipe2] = { "pipe2", sys_pipe2, { A_PTR, A_UINT } },
	[SYS_stat] = { "stat", sys_stat, { A_STR, A_PTR } },
	[SYS_fstat] = { "fstat", sys_fstat, { A_FD, A_PTR } },
	[SYS_mkdir] = { "mkdir", sys_mkdir, { A_STR, A_UINT } },
	[SYS_unlink] = { "unlink", sys_unlink, { A_STR } },
	[SYS_rmdir] = { "rmdir", sys_rmdir, { A_STR } },
	[SYS_chdir] = { "chdir", sys_chdir, { A_STR } },
	[SYS_getcwd] = { "getcwd", sys_getcwd, { A_PTR, A_LONG } },
	[SYS_getdents64] = { "getdents64", sys_getdents64, { A_FD, A_PTR, A_UINT } },
	[SYS_execve] = { "execve", sys_execve, { A_STR, A_PTR, A_PTR } },
	[SYS_brk] = { "brk", sys_brk, { A_PTR } },
	[SYS_mmap] = { "mmap", sys_mmap, { A_PTR, A_LONG, A_HEX, A_HEX, A_FD, A_LONG } },
	[SYS_munmap] = { "munmap", sys_munmap, { A_PTR, A_LONG } },
	[SYS_mprotect] = { "mprotect", sys_mprotect, { A_PTR, A_LONG, A_HEX } },
	[SYS_set_tid_address] = { "set_tid_address", sys_set_tid_address, { A_PTR } },
	[SYS_gettid] = { "gettid", sys_gettid, { A_NONE } },
	[SYS_rt_sigprocmask] = { "rt_sigprocmask",
	                         sys_rt_sigprocmask,
	                         { A_INT, A_PTR, A_PTR, A_LONG } },
	[SYS_rt_sigaction] = { "rt_sigaction", sys_rt_sigaction, { A_INT, A_PTR, A_PTR, A_LONG } },
	[SYS_uname] = { "uname", sys_uname, { A_PTR } },
	[SYS_getrandom] = { "getrandom", sys_getrandom, { A_PTR, A_LONG, A_UINT } },
	[SYS_creat] = { "creat", sys_creat, { A_STR, A_UINT } },
	[SYS_lstat] = { "lstat", sys_lstat, { A_STR, A_PTR } },
	[SYS_newfstatat] = { "newfstatat", sys_newfstatat, { A_FD, A_STR, A_PTR, A_HEX } },
	[SYS_mkdirat] = { "mkdirat", sys_mkdirat, { A_FD, A_STR, A_UINT } },
	[SYS_unlinkat] = { "unlinkat", sys_unlinkat, { A_FD, A_STR, A_HEX } },
	[SYS_rename] = { "rename", sys_rename, { A_STR, A_STR } },
	[SYS_renameat] = { "renameat", sys_renameat, { A_FD, A_STR, A_FD, A_STR } },
	[SYS_renameat2] = { "renameat2", sys_renameat2, { A_FD, A_STR, A_FD, A_STR, A_UINT } },
	[SYS_link] = { "link", sys_link, { A_STR, A_STR } },
	[SYS_linkat] = { "linkat", sys_linkat, { A_FD, A_STR, A_FD, A_STR, A_HEX } },
	[SYS_symlink] = { "symlink", sys_symlink, { A_STR, A_STR } },
	[SYS_symlinkat] = { "symlinkat", sys_symlinkat, { A_STR, A_FD, A_STR } },
	[SYS_readlink] = { "readlink", sys_readlink, { A_STR, A_PTR, A_INT } },
	[SYS_readlinkat] = { "readlinkat", sys_readlinkat, { A_FD, A_STR, A_PTR, A_INT } },
	[SYS_access] = { "access", sys_access, { A_STR, A_INT } },
	[SYS_faccessat] = { "faccessat", sys_faccessat, { A_FD, A_STR, A_INT } },
	[SYS_faccessat2] = { "faccessat2", sys_faccessat2, { A_FD, A_STR, A_INT, A_HEX } },
	[SYS_chmod] = { "chmod", sys_chmod, { A_STR, A_UINT } },
	[SYS_fchmod] = { "fchmod", sys_fchmod, { A_FD, A_UINT } },
	[SYS_fchmodat] = { "fchmodat", sys_fchmodat, { A_FD, A_STR, A_UINT } },
	[SYS_umask] = { "umask", sys_umask, { A_UINT } },
	[SYS_truncate] = { "truncate", sys_truncate, { A_STR, A_LONG } },
	[SYS_ftruncate] = { "ftruncate", sys_ftruncate, { A_FD, A_LONG } },
	[SYS_utimensat] = { "utimensat", sys_utimensat, { A_FD, A_STR, A_PTR, A_HEX } },
	[SYS_fchdir] = { "fchdir", sys_fchdir, { A_FD } },
	[SYS_pread64] = { "pread64", sys_pread64, { A_FD, A_PTR, A_LONG, A_LONG } },
	[SYS_pwrite64] = { "pwrite64", sys_pwrite64, { A_FD, A_PTR, A_LONG, A_LONG } },
	[SYS_poll] = { "poll", sys_poll, { A_PTR, A_UINT, A_INT } },
	[SYS_ppoll] = { "ppoll", sys_ppoll, { A_PTR, A_UINT, A_PTR, A_PTR, A_LONG } },
	[SYS_select] = { "select", sys_select, { A_INT, A_PTR, A_PTR, A_PTR, A_PTR } },
	[SYS_pselect6] = { "pselect6", sys_pselect6, { A_INT, A_PTR, A_PTR, A_PTR, A_PTR, A_PTR } },
	[SYS_getuid] = { "getuid", sys_getuid, { A_NONE } },
	[SYS_geteuid] = { "geteuid", sys_getuid, { A_NONE } },
	[SYS_getgid] = { "getgid", sys_getuid, { A_NONE } },
	[SYS_getegid] = { "getegid", sys_getuid, { A_NONE } },
	[SYS_setuid] = { "setuid", sys_setuid, { A_UINT } },
	[SYS_setgid] = { "setgid", sys_setuid, { A_UINT } },
	[SYS_setreuid] = { "setreuid", sys_setreuid, { A_UINT, A_UINT } },
	[SYS_setregid] = { "setregid", sys_setreuid, { A_UINT, A_UINT } },
	[SYS_setresuid] = { "setresuid", sys_setresuid, { A_UINT, A_UINT, A_UINT } },
	[SYS_setresgid] = { "setresgid", sys_setresuid, { A_UINT, A_UINT, A_UINT } },
	[SYS_getresuid] = { "getresuid", sys_getresuid, { A_PTR, A_PTR, A_PTR } },
	[SYS_getresgid] = { "getresgid", sys_getresuid, { A_PTR, A_PTR, A_PTR } },
	[SYS_getgroups] = { "getgroups", sys_getgroups, { A_INT, A_PTR } },
	[SYS_prctl] = { "prctl", sys_prctl, { A_INT, A_LONG, A_LONG, A_LONG, A_LONG } },
	[SYS_getrlimit] = { "getrlimit", sys_getrlimit, { A_UINT, A_PTR } },
	[SYS_setrlimit] = { "setrlimit", sys_setrlimit, { A_UINT, A_PTR } },
	[SYS_prlimit64] = { "prlimit64", sys_prlimit64, { A_INT, A_UINT, A_PTR, A_PTR } },
	[SYS_sched_getaffinity] = { "sched_getaffinity",
	                            sys_sched_getaffinity,
	                            { A_INT, A_UINT, A_PTR } },
	[SYS_clock_getres] = { "clock_getres", sys_clock_getres, { A_INT, A_PTR } },
	[SYS_clock_nanosleep] = { "clock_nanosleep",
	                          sys_clock_nanosleep,
	                          { A_INT, A_INT, A_PTR, A_PTR } },
	[SYS_gettimeofday] = { "gettimeofday", sys_gettimeofday, { A_PTR, A_PTR } },
	[SYS_time] = { "time", sys_time, { A_PTR } },
	[SYS_sendfile] = { "sendfile", sys_sendfile, { A_FD, A_FD, A_PTR, A_LONG } },
	[SYS_statfs] = { "statfs", sys_statfs, { A_STR, A_PTR } },
	[SYS_fstatfs] = { "fstatfs", sys_fstatfs, { A_FD, A_PTR } },
	[SYS_fsync] = { "fsync", sys_fsync, { A_FD } },
	[SYS_fdatasync] = { "fdatasync", sys_fsync, { A_FD } },
	[SYS_sync] = { "sync", sys_sync, { A_NONE } },
	[SYS_mknod] = { "mknod", sys_mknod, { A_STR, A_UINT, A_UINT } },
	[SYS_mknodat] = { "mknodat", sys_mknodat, { A_FD, A_STR, A_UINT, A_UINT } },
	[SYS_set_robust_list] = { "set_robust_list", sys_set_robust_list, { A_PTR, A_LONG } },
#if LAB < 7
	/* A program may take vfork for fork (POSIX allows it): the copy-on-write fork here,
	 * without the parent waiting for the child's exec (lab 4's challenge). */
	[SYS_vfork] = { "vfork", sys_fork, { A_NONE } },
#endif
#endif
#if LAB >= 6
	[SYS_rt_sigpending] = { "rt_sigpending", sys_rt_sigpending, { A_PTR, A_LONG } },
	[SYS_rt_sigsuspend] = { "rt_sigsuspend", sys_rt_sigsuspend, { A_PTR, A_LONG } },
	[SYS_rt_sigreturn] = { "rt_sigreturn", sys_rt_sigreturn, { A_NONE } },
	[SYS_sigaltstack] = { "sigaltstack", sys_sigaltstack, { A_PTR, A_PTR } },
	[SYS_pause] = { "pause", sys_pause, { A_NONE } },
	[SYS_tgkill] = { "tgkill", sys_tgkill, { A_INT, A_INT, A_INT } },
	[SYS_tkill] = { "tkill", sys_tkill, { A_INT, A_INT } },
	[SYS_alarm] = { "alarm", sys_alarm, { A_UINT } },
	[SYS_setitimer] = { "setitimer", sys_setitimer, { A_INT, A_PTR, A_PTR } },
	[SYS_getitimer] = { "getitimer", sys_getitimer, { A_INT, A_PTR } },
	[SYS_setpgid] = { "setpgid", sys_setpgid, { A_INT, A_INT } },
	[SYS_getpgid] = { "getpgid", sys_getpgid, { A_INT } },
	[SYS_getpgrp] = { "getpgrp", sys_getpgrp, { A_NONE } },
	[SYS_setsid] = { "setsid", sys_setsid, { A_NONE } },
	[SYS_getsid] = { "getsid", sys_getsid, { A_INT } },
#endif
#if LAB >= 7
	/* Lab 7: threads (kern/sys/clone.c, kern/sys/futex.c); fork is clone with SIGCHLD. */
	[SYS_clone] = { "clone", sys_clone, { A_HEX, A_PTR, A_PTR, A_PTR, A_PTR } },
	[SYS_vfork] = { "vfork", sys_vfork, { A_NONE } },
	[SYS_futex] = { "futex", sys_futex, { A_PTR, A_INT, A_UINT, A_PTR, A_PTR, A_UINT } },
#endif
};

/* Where the argument registers rdi, rsi, rdx, r10, r8 and r9 are saved in a trapframe. */
static const size_t arg_offset[6] = {
	offsetof(struct trapframe, rdi), offsetof(struct trapframe, rsi),
	offsetof(struct trapframe, rdx), offsetof(struct trapframe, r10),
	offsetof(struct trapframe, r8),  offsetof(struct trapframe, r9),
};

/* Convert the argument registers of tf to the types d declares (see enum sysarg); the
 * rest are 0. Only the declared ones are read: most calls have few. */
static inline void load_args(const struct syscall_desc *d, const struct trapframe *tf, long a[6])
{
	a[0] = a[1] = a[2] = a[3] = a[4] = a[5] = 0;
	for (int i = 0; i < 6 && d->args[i] != A_NONE; i++) {
		uint64_t raw = *(const uint64_t *)((const char *)tf + arg_offset[i]);
		if (d->args[i] == A_INT)
			a[i] = (long)(int)raw;
		else if (d->args[i] == A_UINT || d->args[i] == A_FD)
			a[i] = (long)(uint32_t)raw;
		else
			a[i] = (long)raw;
	}
}

/* ---- the trace and unknown calls ------------------------------------------------------- */

static const char *strace; /* the strace= option, read at boot */

/* Is the running process traced? strace=1 (or strace=all) traces everybody, strace=NAME
 * the processes running the program NAME. */
static bool traced(struct proc *p)
{
	return strace && (strcmp(strace, "1") == 0 || strcmp(strace, "all") == 0 ||
	                  strcmp(strace, p->name) == 0);
}

/* "name(arg, ...)" for the trace, read before the call (execve replaces the memory the
 * strings are in). */
static void trace_call(char *out, size_t size, const struct syscall_desc *d, const long a[6])
{
	size_t n = (size_t)snprintf(out, size, "%s(", d->name);
	for (int i = 0; i < 6 && d->args[i] != A_NONE && n < size; i++) {
		char str[48];
		const char *sep = i ? ", " : "";
		switch (d->args[i]) {
		case A_STR:
			if (strncpy_from_user(str, (uintptr_t)a[i], sizeof(str)) >= 0)
				n += (size_t)snprintf(out + n, size - n, "%s\"%s\"", sep, str);
			else
				n += (size_t)snprintf(out + n, size - n, "%s%#lx", sep, a[i]);
			break;
		case A_PTR:
			n += (size_t)snprintf(out + n, size - n, a[i] ? "%s%#lx" : "%sNULL", sep,
			                      a[i]);
			break;
		case A_UINT:
		case A_HEX:
			n += (size_t)snprintf(out + n, size - n, "%s%#lx", sep, a[i]);
			break;
		case A_FD: /* an int: AT_FDCWD is -100 */
			n += (size_t)snprintf(out + n, size - n, "%s%d", sep, (int)a[i]);
			break;
		default:
			n += (size_t)snprintf(out + n, size - n, "%s%ld", sep, a[i]);
			break;
		}
	}
	if (n < size)
		snprintf(out + n, size - n, ")");
}

static void trace_result(struct proc *p, const char *call, long r)
{
	if (r < 0 && r >= -MAX_ERRNO)
		printk("[pid %d %s] %s = -1 %s\n", p->pid, p->name, call, errno_name((int)-r));
	else
		printk("[pid %d %s] %s = %ld (%#lx)\n", p->pid, p->name, call, r, r);
}

/* A call Sparrow lacks: said once per program and number, so finding what a program needs
 * is not guesswork. Numbers no Linux has are not reported. */
static void report_unknown(struct proc *p, uint64_t n)
{
	static struct {
		char name[PROC_NAME_LEN];
		uint64_t said[(LINUX_NSYSCALLS + 63) / 64]; /* a bit per number */
	} programs[32];

	if (n >= LINUX_NSYSCALLS || !linux_syscall_names[n])
		return;
	size_t i = 0;
	while (i < ARRAY_SIZE(programs) && programs[i].name[0] &&
	       strcmp(programs[i].name, p->name) != 0)
		i++;
	if (i == ARRAY_SIZE(programs))
		return; /* enough said */
	if (!programs[i].name[0])
		strlcpy(programs[i].name, p->name, sizeof(programs[i].name));
	if (programs[i].said[n / 64] & (1UL << (n % 64)))
		return;
	programs[i].said[n / 64] |= 1UL << (n % 64);
	printk("[pid %d %s] system call %lu (%s) is not implemented: -ENOSYS\n", p->pid, p->name, n,
	       linux_syscall_names[n]);
}

/* ---- the hooks ------------------------------------------------------------------------- */

void sys_init(void)
{
	strace = cmdline_get("strace");
	trap_hooks.user_fault = user_trap;
	trap_hooks.syscall = syscall_dispatch;
	trap_hooks.user_enter = user_enter;
	trap_hooks.user_return = user_return;
}

/* Run the system call tf asks for and leave its result in tf->rax. */
static inline void dispatch(struct proc *p, struct trapframe *tf)
{
	uint64_t n = tf->rax;
	long a[6];

	// LAB 3: Dispatch the system call: the number is in tf->rax, the arguments in rdi,
	// rsi, rdx, r10, r8 and r9 (r10, not rcx: the syscall instruction overwrites rcx). A
	// number outside the table or without a handler returns -ENOSYS (report_unknown(p, n)
	// says so, once per program). Otherwise convert the registers to the handler's
	// argument types with load_args(&table[n], tf, a), call the handler with a, and leave
	// its result in tf->rax.
	//= BEGIN LAB 3
	if (n < NSYSCALLS && table[n].fn) {
		load_args(&table[n], tf, a);
		tf->rax = (uint64_t)table[n].fn(a);
	} else {
		report_unknown(p, n);
		tf->rax = (uint64_t)-ENOSYS;
	}
	//= STUB
	//= (void)table, (void)load_args, (void)report_unknown, (void)a, (void)n;
	//= printk("LAB 3: dispatch() is not implemented (kern/sys/syscall.c)\n");
	//= if (!p->killed)
	//=         p->killed = 31; /* SIGSYS */
	//= END
}

/* dispatch with strace='s lines: the call with its arguments, then its result. Out of
 * line, so an untraced call does not pay for the buffer. */
static __attribute__((noinline)) void traced_dispatch(struct proc *p, struct trapframe *tf)
{
	uint64_t n = tf->rax;
	char call[200];
	long a[6];

	if (n >= NSYSCALLS || !table[n].fn) {
		dispatch(p, tf);
		return;
	}
	load_args(&table[n], tf, a);
	trace_call(call, sizeof(call), &table[n], a);
	if (n == SYS_exit || n == SYS_exit_group) /* they do not return */
		printk("[pid %d %s] %s = ?\n", p->pid, p->name, call);
	dispatch(p, tf);
	trace_result(p, call, (long)tf->rax);
}

void syscall_dispatch(struct trapframe *tf)
{
	struct proc *p = myproc();

	user_enter(tf);
	if (strace && traced(p))
		traced_dispatch(p, tf);
	else
		dispatch(p, tf);
	user_return(tf);
}

void user_enter(struct trapframe *tf)
{
	(void)tf;
#if LAB >= 4
	account_enter(myproc());
#endif
}

void user_return(struct trapframe *tf)
{
	struct proc *p = myproc();
	(void)tf;

	for (;;) {
		if (p->killed)
			do_group_exit(WSTATUS_SIGNALED(p->killed));
#if LAB >= 4
		if (mycpu()->need_resched) {
			yield();
			continue; /* it may have been killed meanwhile */
		}
#endif
#if LAB >= 6
		/* Lab 6: the signals it may take, each a handler's frame or its default action. */
		int status = signal_work(&p->sig, tf->rax) ? signal_deliver(tf) : 0;
		if (status)
			do_group_exit(status);
#endif
#if LAB >= 4
		account_leave(p);
#endif
		return;
	}
}
