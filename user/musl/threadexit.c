/*
 * musl-threadexit: how a thread group ends, and signals in a group. exit() in any thread
 * ends the whole group with its status; the main thread's pthread_exit lets the others go
 * on; the raw exit system call ends one thread only; a fatal signal in one thread ends all;
 * execve in a thread replaces the whole group, keeping the pid. A process-directed signal
 * goes to a thread that does not block it, tgkill to the thread named, and a fault's signal
 * to the thread that faulted. Compared with Linux.
 * Usage: musl-threadexit SCRATCHDIR (or, execed: musl-threadexit exec-child PID)
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "show.h"

static const char *self;

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* Run fn in a child process; show its wait status as "exit N" or "signal N". */
static void scenario(void (*fn)(void), const char *what)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(99);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status))
		show(WEXITSTATUS(status), "%s: exit status", what);
	else
		show(WTERMSIG(status), "%s: killed by signal", what);
}

static void *exit3(void *arg)
{
	(void)arg;
	usleep(20000);
	exit(3);
}

static void thread_exits(void)
{
	pthread_t t;
	pthread_create(&t, NULL, exit3, NULL);
	for (;;)
		pause();
}

static void *late(void *arg)
{
	(void)arg;
	usleep(50000);
	printf("musl-threadexit: the thread runs on after main's pthread_exit\n");
	syscall(SYS_exit, 8); /* the last thread: the group ends (musl's own exit may not) */
	return NULL;
}

static void main_leaves(void)
{
	pthread_t t;
	pthread_create(&t, NULL, late, NULL);
	pthread_exit(NULL);
}

static volatile int leaving;

static void *raw_exit(void *arg)
{
	(void)arg;
	leaving = 1;
	syscall(SYS_exit, 9);
	return NULL;
}

static void one_thread_ends(void)
{
	pthread_t t;
	pthread_create(&t, NULL, raw_exit, NULL);
	while (!leaving)
		usleep(1000);
	usleep(50000); /* (not pthread_join: musl's waits for pthread_exit's own word) */
	printf("musl-threadexit: main goes on after a thread's raw exit\n");
	exit(4);
}

static void *terminate(void *arg)
{
	(void)arg;
	raise(SIGTERM);
	return NULL;
}

static void fatal_signal(void)
{
	pthread_t t;
	pthread_create(&t, NULL, terminate, NULL);
	pthread_join(t, NULL);
	printf("musl-threadexit: FAIL: main survived its thread's SIGTERM\n");
	exit(5);
}

static void *execs(void *arg)
{
	(void)arg;
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", getpid());
	fflush(stdout);
	execl(self, self, "exec-child", pid, (char *)NULL);
	exit(6);
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void exec_from_thread(void)
{
	pthread_t t;
	pthread_create(&t, NULL, sleeper, NULL);
	pthread_create(&t, NULL, execs, NULL);
	for (;;)
		pause();
}

/* ---- signals in a group ----------------------------------------------------------------- */

static volatile pid_t handled_by;
static volatile int ready;
static char *page;

static void note(int sig)
{
	(void)sig;
	handled_by = gettid_();
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	handled_by = gettid_();
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
	(void)si;
}

static void *unblocked(void *arg)
{
	pid_t *tid = arg;
	*tid = gettid_();
	ready = 1;
	while (!handled_by)
		usleep(1000);
	return NULL;
}

static void *faulter(void *arg)
{
	pid_t *tid = arg;
	*tid = gettid_();
	page[0] = 1; /* read-only: the fault's SIGSEGV goes to this thread */
	return NULL;
}

static void *idle(void *arg)
{
	pid_t *tid = arg;
	*tid = gettid_();
	ready = 1;
	while (!handled_by)
		usleep(1000);
	return NULL;
}

static void group_signals(void)
{
	pthread_t t;
	pid_t tid = 0;
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	struct sigaction sa = { .sa_handler = note };
	sigaction(SIGUSR1, &sa, NULL);

	/* Main blocks SIGUSR1, the thread does not: kill() reaches the thread. */
	ready = 0;
	handled_by = 0;
	pthread_create(&t, NULL, unblocked, &tid); /* it inherits main's mask: not yet blocked */
	while (!ready)
		usleep(1000);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	kill(getpid(), SIGUSR1);
	pthread_join(t, NULL);
	show(handled_by == tid, "kill() with main blocking SIGUSR1: the other thread handles it");
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);

	/* tgkill: the named thread, even though main does not block the signal either. */
	ready = 0;
	handled_by = 0;
	pthread_create(&t, NULL, idle, &tid);
	while (!ready)
		usleep(1000);
	syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
	pthread_join(t, NULL);
	show(handled_by == tid, "tgkill(pid, tid): that thread handles it");
	errno = 0;
	show(syscall(SYS_tgkill, getpid(), tid, 0), "tgkill to a thread that has ended");
	show(syscall(SYS_tgkill, getpid() + 100000, getpid(), 0), "tgkill with the wrong group");

	/* A fault: the faulting thread takes the signal. */
	struct sigaction sv = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	sigaction(SIGSEGV, &sv, NULL);
	page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	handled_by = 0;
	pthread_create(&t, NULL, faulter, &tid);
	pthread_join(t, NULL);
	show(handled_by == tid && tid != getpid(),
	     "a thread's fault: the SIGSEGV handler runs in it");
	show(page[0], "its write went through after the handler");
	munmap(page, 4096);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
}

int main(int argc, char **argv)
{
	show_prefix = "musl-threadexit";
	setvbuf(stdout, NULL, _IOLBF, 0);
	self = argv[0];
	if (argc == 3 && strcmp(argv[1], "exec-child") == 0) {
		show(getpid() == atoi(argv[2]),
		     "after execve from a thread, the pid is the group's");
		show(gettid_() == getpid(), "and the new program's only thread has tid = pid");
		exit(7);
	}
	scenario(thread_exits, "a thread calls exit(3)");
	scenario(main_leaves, "main calls pthread_exit, then the last thread exit(8)s alone");
	scenario(one_thread_ends, "a thread's raw exit(9), then main's exit(4)");
	scenario(fatal_signal, "a thread raises SIGTERM");
	scenario(exec_from_thread, "a thread calls execve");
	group_signals();
	printf("musl-threadexit: done\n");
	return 0;
}
