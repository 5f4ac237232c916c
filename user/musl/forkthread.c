/*
 * musl-forkthread: fork in a multi-threaded process copies only the calling thread. The
 * child of a thread's fork has one thread (a busy sibling does not run in it), a new pid
 * that is also its tid, a working copy of memory, and can create threads of its own; the
 * parent's main thread waits for a child its other thread forked. Compared with Linux.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "show.h"

static volatile long spins;
static volatile int stop;
static pid_t forked;

static void *spinner(void *arg)
{
	(void)arg;
	while (!stop)
		spins++;
	return NULL;
}

static void *noop(void *arg)
{
	return arg;
}

/* In the child: does the spinner run here? Does a new thread work? Its exit status says. */
static int child(void)
{
	long before = spins;
	usleep(50000);
	int alone = spins == before;
	int own_tid = syscall(SYS_gettid) == getpid();
	pthread_t t;
	void *ret = NULL;
	int threads = pthread_create(&t, NULL, noop, (void *)5) == 0 &&
	              pthread_join(t, &ret) == 0 && ret == (void *)5;
	return alone | own_tid << 1 | threads << 2;
}

static void *forker(void *arg)
{
	(void)arg;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child());
	forked = pid;
	return NULL;
}

int main(void)
{
	show_prefix = "musl-forkthread";
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_t s, f;
	pthread_create(&s, NULL, spinner, NULL);
	while (spins == 0)
		usleep(1000);
	pthread_create(&f, NULL, forker, NULL);
	pthread_join(f, NULL);
	show(forked > 0 && forked != getpid(), "a thread forks: a child with a new pid");
	int status = 0;
	show(waitpid(forked, &status, 0) == forked, "main waits for the child its thread forked");
	int bits = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	show(bits & 1, "in the child, the busy sibling thread does not run");
	show(bits >> 1 & 1, "the child's tid is its pid");
	show(bits >> 2 & 1, "the child makes and joins a thread of its own");
	stop = 1;
	pthread_join(s, NULL);
	show(spins > 0, "the parent's spinner ran and was joined");
	printf("musl-forkthread: done\n");
	return 0;
}
