/*
 * musl-threads: POSIX threads in a static musl program: create and join with return values,
 * a mutex that keeps a shared counter exact, a condition variable handing a token back and
 * forth, __thread variables each thread has its own of, thread ids, and a hundred threads
 * made and joined one after another. Its output is compared with Linux's.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NWORKERS 4
#define ROUNDS   20000
#define HANDOFFS 200

static const char *prefix = "musl-threads";
static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int mine = 42; /* each thread starts with its own copy of 42 */
static __thread char tls_name[16];

static void line(const char *what, long value)
{
	printf("%s: %s = %ld\n", prefix, what, value);
}

static void *square(void *arg)
{
	intptr_t n = (intptr_t)arg;
	return (void *)(n * n);
}

static void *add(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		long v = counter;
		if (i % 1000 == 0)
			sched_yield(); /* give the others a chance to race, were the lock broken */
		counter = v + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

/* The condition variable: whose turn it is (0 main, 1 the partner), and how many passes. */
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn, passes;

static void *partner(void *arg)
{
	(void)arg;
	for (int i = 0; i < HANDOFFS; i++) {
		pthread_mutex_lock(&lock);
		while (turn != 1)
			pthread_cond_wait(&turn_changed, &lock);
		passes++;
		turn = 0;
		pthread_cond_signal(&turn_changed);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *tls_worker(void *arg)
{
	intptr_t n = (intptr_t)arg;
	int fresh = mine == 42;
	mine = (int)n;
	snprintf(tls_name, sizeof(tls_name), "worker%ld", (long)n);
	for (int i = 0; i < 50; i++)
		sched_yield(); /* let the other workers write theirs */
	int kept = mine == n && strcmp(tls_name, "worker") > 0 && tls_name[6] == '0' + n;
	return (void *)(intptr_t)(fresh && kept);
}

static void *ids(void *arg)
{
	pid_t *out = arg;
	out[0] = getpid();
	out[1] = (pid_t)syscall(SYS_gettid);
	return NULL;
}

int main(void)
{
	pthread_t t[NWORKERS];
	void *ret;

	setvbuf(stdout, NULL, _IOLBF, 0);

	long sum = 0;
	for (int i = 0; i < NWORKERS; i++)
		pthread_create(&t[i], NULL, square, (void *)(intptr_t)(i + 2));
	for (int i = 0; i < NWORKERS; i++) {
		pthread_join(t[i], &ret);
		sum += (intptr_t)ret;
	}
	line("the sum of the squares the threads returned", sum);

	for (int i = 0; i < NWORKERS; i++)
		pthread_create(&t[i], NULL, add, NULL);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(t[i], NULL);
	line("the counter four threads incremented under a mutex", counter);

	pthread_t p;
	pthread_create(&p, NULL, partner, NULL);
	for (int i = 0; i < HANDOFFS; i++) {
		pthread_mutex_lock(&lock);
		turn = 1;
		pthread_cond_signal(&turn_changed);
		while (turn != 0)
			pthread_cond_wait(&turn_changed, &lock);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(p, NULL);
	line("condition-variable handoffs", passes);

	int good = 0;
	for (int i = 0; i < NWORKERS; i++)
		pthread_create(&t[i], NULL, tls_worker, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < NWORKERS; i++) {
		pthread_join(t[i], &ret);
		good += (intptr_t)ret;
	}
	line("threads whose __thread variables started at 42 and kept their own values", good);
	line("main's __thread variable is still", mine);

	pid_t got[2];
	pthread_create(&p, NULL, ids, got);
	pthread_join(p, NULL);
	line("a thread's getpid() is the process's", got[0] == getpid());
	line("its gettid() is another id", got[1] != getpid() && got[1] > 0);
	line("main's gettid() is the pid", syscall(SYS_gettid) == getpid());

	int made = 0;
	for (int i = 0; i < 100; i++) {
		if (pthread_create(&p, NULL, square, (void *)(intptr_t)i) != 0)
			break;
		pthread_join(p, &ret);
		made += (intptr_t)ret == i * i;
	}
	line("threads made and joined one after another", made);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	line("a detached thread starts", pthread_create(&p, &attr, square, (void *)3) == 0);
	usleep(20000);
	printf("%s: done\n", prefix);
	return 0;
}
