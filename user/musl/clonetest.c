/*
 * musl-clonetest: what each clone flag shares, seen from both sides: CLONE_VM (memory),
 * CLONE_FILES (the descriptor table), CLONE_FS (working directory and umask), CLONE_SIGHAND
 * (handlers), CLONE_THREAD (same pid, not waitable), CLONE_SETTLS, the tid words
 * (PARENT_SETTID, CHILD_SETTID, CHILD_CLEARTID), CLONE_PARENT, the exit signal (SIGCHLD,
 * another, or none: __WALL), and the flag combinations Linux refuses. Compared with Linux.
 * Usage: musl-clonetest SCRATCHDIR
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "show.h"

#define STACK       (64 * 1024)
#define ARCH_GET_FS 0x1003
#define FUTEX_WAIT  0

static char stack[STACK] __attribute__((aligned(16)));
static char *const stack_top = stack + STACK;

static volatile int shared_word;
static volatile pid_t child_pid, child_tid;
static volatile uint64_t child_fs;
static volatile int sigusr1_count;

/* The children: each returns its exit status (the child then calls exit). */
static int write_word(void *arg)
{
	(void)arg;
	shared_word = 1;
	return 3;
}

static int open_file(void *arg)
{
	(void)arg;
	return open("/dev/null", O_RDONLY); /* the new descriptor's number is the status */
}

static int change_dir(void *arg)
{
	(void)arg;
	umask(077);
	return chdir("/") == 0 ? 0 : 1;
}

static int ignore_usr2(void *arg)
{
	(void)arg;
	signal(SIGUSR2, SIG_IGN);
	return 0;
}

static int ids(void *arg)
{
	(void)arg;
	child_pid = getpid();
	child_tid = (pid_t)syscall(SYS_gettid);
	shared_word = 1;
	return 0;
}

static int read_fs(void *arg)
{
	(void)arg;
	uint64_t fs = 0;
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	child_fs = fs;
	/* Back to no thread-local storage of its own before anything else runs (the raw exit:
	 * musl's exit would use its own thread pointer). */
	syscall(SYS_exit, 0);
	return 0;
}

static int parent_of_mine(void *arg)
{
	(void)arg;
	child_pid = getppid();
	return 4;
}

static void on_usr1(int sig)
{
	(void)sig;
	sigusr1_count++;
}

static pid_t start(int (*fn)(void *), int flags)
{
	shared_word = 0;
	errno = 0;
	return clone(fn, stack_top, flags, NULL);
}

/* Wait for pid (with extra wait flags); its exit status, or -1 with the error shown. */
static int reap(pid_t pid, int flags, const char *what)
{
	int status = 0;
	errno = 0;
	if (waitpid(pid, &status, flags) != pid) {
		show(-1, "%s: waitpid", what);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Wait until the kernel clears *word (a CLONE_CHILD_CLEARTID word) at the child's end. */
static void wait_cleared(volatile pid_t *word)
{
	for (;;) {
		pid_t v = *word;
		if (v == 0)
			return;
		syscall(SYS_futex, word, FUTEX_WAIT, v, NULL, NULL, 0);
	}
}

static void memory(void)
{
	pid_t pid = start(write_word, SIGCHLD);
	int st = reap(pid, 0, "fork-like");
	show(shared_word, "clone(SIGCHLD): exit status %d; the parent sees the child's write", st);
	pid = start(write_word, CLONE_VM | SIGCHLD);
	st = reap(pid, 0, "CLONE_VM");
	show(shared_word, "clone(CLONE_VM): exit status %d; the parent sees the child's write", st);
}

static void files(void)
{
	int fd = reap(start(open_file, SIGCHLD), 0, "files");
	show(fcntl(fd, F_GETFD), "clone(SIGCHLD): the child's new descriptor %d in the parent", fd);
	fd = reap(start(open_file, CLONE_VM | CLONE_FILES | SIGCHLD), 0, "CLONE_FILES");
	show(fcntl(fd, F_GETFD) >= 0,
	     "clone(CLONE_FILES): the child's new descriptor %d in the parent", fd);
	close(fd);
}

static void fs(const char *dir)
{
	char cwd[256];
	reap(start(change_dir, CLONE_VM | SIGCHLD), 0, "fs");
	show(strcmp(getcwd(cwd, sizeof(cwd)), "/") == 0,
	     "clone(CLONE_VM): the child's chdir(\"/\") moves the parent");
	mode_t m = umask(022);
	show(m, "and the parent's umask after the child's umask(077)");
	reap(start(change_dir, CLONE_VM | CLONE_FS | SIGCHLD), 0, "CLONE_FS");
	show(strcmp(getcwd(cwd, sizeof(cwd)), "/") == 0,
	     "clone(CLONE_FS): the child's chdir(\"/\") moves the parent");
	m = umask(022);
	show(m, "and the parent's umask after the child's umask(077)");
	chdir(dir);
}

static void handlers(void)
{
	struct sigaction sa;
	signal(SIGUSR2, SIG_DFL);
	reap(start(ignore_usr2, CLONE_VM | SIGCHLD), 0, "sighand");
	sigaction(SIGUSR2, NULL, &sa);
	show(sa.sa_handler == SIG_IGN, "clone(CLONE_VM): the child's SIG_IGN is the parent's");
	reap(start(ignore_usr2, CLONE_VM | CLONE_SIGHAND | SIGCHLD), 0, "CLONE_SIGHAND");
	sigaction(SIGUSR2, NULL, &sa);
	show(sa.sa_handler == SIG_IGN,
	     "clone(CLONE_VM|CLONE_SIGHAND): the child's SIG_IGN is the parent's");
	signal(SIGUSR2, SIG_DFL);
}

static void thread(void)
{
	static volatile pid_t ptid, ctid;
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	            CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	errno = 0;
	ctid = -1;
	pid_t tid = clone(ids, stack_top, flags, NULL, &ptid, NULL, &ctid);
	show(tid > 0, "clone(a thread's flags) returns a tid");
	wait_cleared(&ctid);
	show(ctid, "CLONE_CHILD_CLEARTID: the word after the thread's end");
	show(ptid == tid, "CLONE_PARENT_SETTID wrote the tid");
	show(child_pid == getpid(), "the thread's getpid() is the parent's");
	show(child_tid == tid && tid != getpid(), "its gettid() is the tid clone returned");
	errno = 0;
	show(waitpid(tid, NULL, __WALL), "waitpid for a thread");

	/* CLONE_CHILD_SETTID: the child's word holds its tid while it runs; without VM, the
	 * child's own copy: seen through its exit status. */
	ctid = 0;
	tid = clone(write_word, stack_top, CLONE_VM | CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL,
	            NULL, &ctid);
	reap(tid, 0, "CHILD_SETTID");
	show(ctid == tid, "CLONE_CHILD_SETTID with CLONE_VM wrote the tid into the shared word");
}

static void tls(void)
{
	static uint64_t block[4];
	block[0] = (uint64_t)(uintptr_t)block; /* the TLS ABI: %fs:0 points at itself */
	errno = 0;
	pid_t pid = clone(read_fs, stack_top, CLONE_VM | CLONE_SETTLS | SIGCHLD, NULL, NULL, block);
	reap(pid, 0, "SETTLS");
	show(child_fs == (uint64_t)(uintptr_t)block, "CLONE_SETTLS: the child's %%fs base");
}

static void exit_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	pid_t pid = start(write_word, SIGUSR1);
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	while (sigusr1_count == 0 && nanosleep(&ts, NULL) == 0)
		;
	show(sigusr1_count, "exit signal SIGUSR1: the parent's handler ran");
	errno = 0;
	show(waitpid(pid, NULL, 0), "waitpid without __WALL for a SIGUSR1 child");
	show(reap(pid, __WALL, "SIGUSR1 child"), "waitpid(__WALL): its status");
	pid = start(write_word, 0);
	show(reap(pid, __WALL, "no-signal child"), "exit signal 0: waitpid(__WALL): its status");
	show(sigusr1_count, "and no more signals");
	signal(SIGUSR1, SIG_DFL);
}

static void parent_flag(void)
{
	fflush(stdout);
	pid_t helper = fork();
	if (helper == 0) {
		pid_t pid = start(parent_of_mine, CLONE_VM | CLONE_PARENT | SIGCHLD);
		errno = 0;
		_exit(waitpid(pid, NULL, 0) < 0 && errno == ECHILD ? 5 : 6);
	}
	show(reap(helper, 0, "helper"), "CLONE_PARENT: the helper cannot wait for its clone");
	int status, n = 0;
	pid_t pid;
	while ((pid = wait(&status)) > 0)
		n++;
	show(n, "the caller's parent reaps it");
	show(child_pid == getpid(), "the clone's getppid() was the caller's parent");
}

static void refused(void)
{
	static const struct {
		long flags;
		const char *what;
	} bad[] = {
		{ CLONE_THREAD, "CLONE_THREAD without CLONE_SIGHAND" },
		{ CLONE_SIGHAND, "CLONE_SIGHAND without CLONE_VM" },
		{ CLONE_THREAD | CLONE_SIGHAND, "CLONE_THREAD|CLONE_SIGHAND without CLONE_VM" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		show(syscall(SYS_clone, bad[i].flags, 0, 0, 0, 0), "clone(%s)", bad[i].what);
	}
}

int main(int argc, char **argv)
{
	show_prefix = "musl-clonetest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || scratch(argv[1]) < 0) {
		show(-1, "scratch directory");
		return 1;
	}
	umask(022);
	memory();
	files();
	fs(argv[1]);
	handlers();
	thread();
	tls();
	exit_signals();
	parent_flag();
	refused();
	scratch_done(argv[1]);
	printf("musl-clonetest: done\n");
	return 0;
}
