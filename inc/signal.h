/*
 * User programs: signal numbers (Linux's) and kill(). Sparrow has no signal handlers: a
 * signal ends the process it is sent to (its wait status then says which signal), except
 * SIGCHLD, SIGCONT, SIGURG and SIGWINCH, which are ignored as their default action says.
 */
#ifndef SPARROW_INC_SIGNAL_H
#define SPARROW_INC_SIGNAL_H

#include <types.h>

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4 /* an invalid instruction (ud2) */
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8 /* divide error */
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11 /* page fault, general protection fault */
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17 /* ignored */
#define SIGCONT   18 /* ignored */
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23 /* ignored */
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28 /* ignored */
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31

/* Send sig to process pid; sig 0 only checks that pid exists. -1 with errno ESRCH if not. */
int kill(pid_t pid, int sig);

#endif
