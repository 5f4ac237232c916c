/*
 * musl-futextest: the futex system call itself: FUTEX_WAIT returns EAGAIN when the word
 * differs, ETIMEDOUT after its timeout, EINTR when a signal's handler runs, 0 when woken;
 * FUTEX_WAKE wakes exactly as many waiters as asked; FUTEX_PRIVATE_FLAG; bad addresses and
 * operations; set_tid_address and CLONE_CHILD_CLEARTID clearing the tid word and waking its
 * waiter when a thread ends (what pthread_join waits on). Compared with Linux.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

/* Linux's futex operations (<linux/futex.h>, which musl-gcc does not see). */
#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

static int word;
static atomic_int waiting, woken;

static long futex(int *addr, int op, int val, const struct timespec *ts)
{
	errno = 0;
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

/* A waiter: says it is about to wait, waits while word is 0, counts its wake-up. */
static void *waiter(void *arg)
{
	int op = (int)(intptr_t)arg;
	atomic_fetch_add(&waiting, 1);
	while (futex(&word, op, 0, NULL) < 0 && errno == EINTR)
		;
	atomic_fetch_add(&woken, 1);
	return NULL;
}

/* Wait until n waiters are asleep in FUTEX_WAIT (they said so, and had time to get there). */
static void settle(int n)
{
	while (atomic_load(&waiting) < n)
		usleep(1000);
	usleep(50000);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void *interrupted(void *arg)
{
	int *out = arg;
	atomic_fetch_add(&waiting, 1);
	long r = futex(&word, FUTEX_WAIT, 0, NULL);
	*out = r < 0 ? errno : 0;
	return NULL;
}

static pid_t tid_seen = -1;
static void *remember_tid(void *arg)
{
	(void)arg;
	tid_seen = (pid_t)syscall(SYS_gettid);
	return NULL;
}

int main(void)
{
	show_prefix = "musl-futextest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct timespec short_wait = { 0, 30 * 1000 * 1000 };

	word = 1;
	show(futex(&word, FUTEX_WAIT, 0, NULL), "FUTEX_WAIT when the word is not the value");
	show(futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL), "the same, private");
	word = 0;
	show(futex(&word, FUTEX_WAIT, 0, &short_wait), "FUTEX_WAIT with a 30 ms timeout");
	struct timespec bad = { 0, 1000 * 1000 * 1000 };
	show(futex(&word, FUTEX_WAIT, 0, &bad), "FUTEX_WAIT with tv_nsec one second");
	show(futex(&word, FUTEX_WAKE, 5, NULL), "FUTEX_WAKE with nobody waiting");
	show(futex(NULL, FUTEX_WAIT, 0, NULL), "FUTEX_WAIT on NULL");
	show(futex((int *)((char *)&word + 1), FUTEX_WAIT, 0, NULL),
	     "FUTEX_WAIT on a misaligned word");
	show(futex((int *)(uintptr_t)0xffff800000000000UL, FUTEX_WAKE, 1, NULL),
	     "FUTEX_WAKE on a kernel address");
	show(futex(&word, 99, 0, NULL), "an unknown operation");
	show(futex(&word, FUTEX_WAIT, 0, (const struct timespec *)8), "a bad timeout pointer");

	/* Three waiters: wake 2, then 1, then nobody is left. */
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)FUTEX_WAIT);
	settle(3);
	show(atomic_load(&woken), "waiters woken before any FUTEX_WAKE");
	word = 1;
	show(futex(&word, FUTEX_WAKE, 2, NULL), "FUTEX_WAKE 2 with three waiting");
	usleep(50000);
	show(atomic_load(&woken), "waiters that went on");
	show(futex(&word, FUTEX_WAKE, 10, NULL), "FUTEX_WAKE 10 with one waiting");
	show(futex(&word, FUTEX_WAKE, 10, NULL), "FUTEX_WAKE 10 again");
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	show(atomic_load(&woken), "waiters joined");

	/* Private waiters are woken by private wakes. */
	word = 0;
	atomic_store(&waiting, 0);
	atomic_store(&woken, 0);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)FUTEX_WAIT_PRIVATE);
	settle(2);
	word = 1;
	show(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL), "FUTEX_WAKE_PRIVATE 1 with two waiting");
	show(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL), "FUTEX_WAKE_PRIVATE 1 again");
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	show(atomic_load(&woken), "private waiters joined");

	/* A signal with a handler interrupts the wait: EINTR. */
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	word = 0;
	atomic_store(&waiting, 0);
	int err = -1;
	pthread_create(&t[0], NULL, interrupted, &err);
	settle(1);
	pthread_kill(t[0], SIGUSR1);
	pthread_join(t[0], NULL);
	show(err == EINTR, "a handled signal ends FUTEX_WAIT with EINTR");

	/* set_tid_address returns the tid; a thread's clear-tid word is 0 after it ends. */
	show(syscall(SYS_set_tid_address, &word) == getpid(), "set_tid_address returns the tid");
	pthread_create(&t[0], NULL, remember_tid, NULL);
	pthread_join(t[0], NULL);
	show(tid_seen > 0 && tid_seen != getpid(), "a joined thread had its own tid");
	printf("musl-futextest: done\n");
	return 0;
}
