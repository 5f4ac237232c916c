/*
 * User programs: waiting for children (wait4) and decoding their wait status. The status
 * uses Linux's encoding: exited with code C: (C & 0xff) << 8; killed by signal S: S.
 */
#ifndef SPARROW_INC_WAIT_H
#define SPARROW_INC_WAIT_H

#include <types.h>

#define WNOHANG   1          /* return 0 at once if no matching child has exited yet */
#define WUNTRACED 2          /* (Linux: report stopped children; Sparrow has no stopped state) */
#define __WCLONE  0x80000000 /* lab 7: only children whose exit signal is not SIGCHLD ... */
#define __WALL    0x40000000 /* ... or all children, whatever their exit signal */

#define WEXITSTATUS(s) (((s)&0xff00) >> 8)                     /* the code passed to exit() */
#define WTERMSIG(s)    ((s)&0x7f)                              /* the signal that killed it */
#define WIFEXITED(s)   (WTERMSIG(s) == 0)                      /* it called exit() */
#define WIFSIGNALED(s) (((s)&0x7f) != 0 && ((s)&0x7f) != 0x7f) /* a signal killed it */
#define WIFSTOPPED(s)  (((s)&0xff) == 0x7f)
#define WCOREDUMP(s)   ((s)&0x80)

struct rusage; /* not provided: pass NULL to wait4 */

/*
 * Wait for a child to exit and reap it: pid > 0 that child, -1 any child. Returns the
 * child's pid and stores its wait status in *status (if not NULL); with WNOHANG, returns 0
 * if none has exited yet. -1 with errno ECHILD if there is no such child.
 */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
/* Wait at most `ticks` timer ticks for child pid: its status, or -1 (then it is killed). */
int reap_within(pid_t pid, long ticks);

#endif
