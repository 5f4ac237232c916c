/*
 * musl-locks: record locks through musl's fcntl and lockf, between a parent and its child:
 * conflicts, F_GETLK's answer, a waiter woken by an unlock, a deadlock refused, locks
 * released by any close and by exit, open-file (OFD) locks, and the errors. Every line is
 * compared with the same binary's on Linux (grade/lab5.py runs it there).
 *
 *	musl-locks DIR		(DIR: a scratch directory, emptied first and at the end)
 */
#define _GNU_SOURCE /* F_OFD_* */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

static int fd;
static pid_t parent;
static int to_child[2], to_parent[2]; /* one byte each way: "your turn" */

static long lk(int f, int cmd, int type, long start, long len)
{
	struct flock fl = {
		.l_type = (short)type, .l_whence = SEEK_SET, .l_start = start, .l_len = len
	};
	return fcntl(f, cmd, &fl);
}

/* F_GETLK for a write lock on [start, start + len): "type start len pid-is-who". */
static void getlk(int f, int cmd, long start, long len, pid_t who, const char *what)
{
	struct flock fl = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len
	};
	long r = fcntl(f, cmd, &fl);
	if (r < 0) {
		show(r, "%s", what);
		return;
	}
	printf("%s: %s = type %d, start %ld, len %ld, %s\n", show_prefix, what, fl.l_type,
	       (long)fl.l_start, (long)fl.l_len,
	       fl.l_type == F_UNLCK ? "-"
	       : fl.l_pid == who    ? "the right pid"
	       : fl.l_pid == -1     ? "pid -1"
	                            : "another pid");
}

static void wait_turn(int *p)
{
	char c;
	read(p[0], &c, 1);
}

static void give_turn(int *p)
{
	write(p[1], "t", 1);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Parent and child take turns: each prints only while the other waits for its turn, so
 * the lines come in the same order on every run. */
static void child(void)
{
	struct timespec t0;
	show(lk(fd, F_SETLK, F_WRLCK, 5, 10), "child: F_SETLK write [5, 15)");
	getlk(fd, F_GETLK, 5, 10, parent, "child: F_GETLK [5, 15)");
	show(lk(fd, F_SETLK, F_RDLCK, 10, 10), "child: F_SETLK read [10, 20)");
	show(lk(fd, F_SETLK, F_RDLCK, 30, 5),
	     "child: F_SETLK read [30, 35): shared with the parent's");
	getlk(fd, F_GETLK, 0, 0, parent, "child: F_GETLK [0, end)");
	give_turn(to_parent);
	wait_turn(to_child); /* the parent has unlocked [0, 5) */
	show(lk(fd, F_SETLK, F_WRLCK, 0, 5), "child: F_SETLK write [0, 5)");
	give_turn(to_parent);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long r = lk(fd, F_SETLKW, F_WRLCK, 5, 5);
	show(r, "child: F_SETLKW write [5, 10): waits for the parent");
	show(ms_since(&t0) >= 30, "child: it waited");
	give_turn(to_parent);
	wait_turn(to_child);
	/* Deadlock: the child holds [40, 41) and waits for the parent's [50, 51). */
	show(lk(fd, F_SETLK, F_WRLCK, 40, 1), "child: F_SETLK write [40, 41)");
	give_turn(to_parent);
	show(lk(fd, F_SETLKW, F_WRLCK, 50, 1), "child: F_SETLKW write [50, 51), the parent's");
	/* Any close of the file releases the process's locks. */
	show(lk(fd, F_SETLK, F_WRLCK, 100, 10), "child: F_SETLK write [100, 110)");
	int again = open("f", O_RDONLY);
	close(again);
	give_turn(to_parent);
	wait_turn(to_child);
	show(lk(fd, F_SETLK, F_WRLCK, 200, 10), "child: F_SETLK write [200, 210), then exits");
	give_turn(to_parent);
	wait_turn(to_child);
	_exit(0);
}

static void errors(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	show(lk(fd, F_SETLK, 5, 0, 1), "F_SETLK type 5");
	fl.l_whence = 7;
	show(fcntl(fd, F_SETLK, &fl), "F_SETLK whence 7");
	show(lk(fd, F_SETLK, F_WRLCK, -1, 1), "F_SETLK start -1");
	show(lk(fd, F_SETLK, F_WRLCK, 5, -10), "F_SETLK [5 - 10, 5)");
	show(lk(fd, F_SETLK, F_WRLCK, 10, -5), "F_SETLK [10 - 5, 10)");
	show(lk(fd, F_SETLK, F_WRLCK, 0x7fffffffffffff00L, 0x1000),
	     "F_SETLK past the largest offset");
	show(lk(fd, F_GETLK, F_UNLCK, 0, 1), "F_GETLK F_UNLCK");
	show(fcntl(fd, F_SETLK, (struct flock *)8), "F_SETLK bad pointer");
	show(lk(99, F_SETLK, F_WRLCK, 0, 1), "F_SETLK fd 99");
	int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
	show(lk(ro, F_SETLK, F_WRLCK, 0, 1), "F_SETLK write lock, read-only fd");
	show(lk(wo, F_SETLK, F_RDLCK, 0, 1), "F_SETLK read lock, write-only fd");
	show(lk(ro, F_SETLK, F_RDLCK, 0, 1), "F_SETLK read lock, read-only fd");
	show(lk(wo, F_SETLK, F_UNLCK, 0, 1), "F_SETLK unlock, write-only fd");
	close(ro);
	close(wo);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 5 };
	show(fcntl(fd, F_OFD_SETLK, &fl), "F_OFD_SETLK with l_pid 5");
	show(fcntl(fd, F_OFD_GETLK, &fl), "F_OFD_GETLK with l_pid 5");
}

static void ofd(void)
{
	int a = open("f", O_RDWR), b = open("f", O_RDWR);
	show(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10), "F_OFD_SETLK write [0, 10) on one open file");
	show(lk(b, F_OFD_SETLK, F_WRLCK, 5, 10),
	     "F_OFD_SETLK write [5, 15) on another: same process");
	getlk(b, F_OFD_GETLK, 5, 10, -1, "F_OFD_GETLK [5, 15) on the other");
	show(lk(a, F_OFD_SETLK, F_RDLCK, 0, 10),
	     "F_OFD_SETLK read [0, 10): the lock becomes a read lock");
	show(lk(b, F_OFD_SETLK, F_RDLCK, 5, 10), "F_OFD_SETLK read [5, 15) on the other: shared");
	int dup_a = dup(a);
	close(dup_a);
	show(lk(b, F_OFD_SETLK, F_WRLCK, 0, 3), "after closing a duplicate, a's lock stays");
	close(a);
	show(lk(b, F_OFD_SETLK, F_WRLCK, 0, 3), "after closing a, its lock is gone");
	close(b);
}

int main(int argc, char **argv)
{
	show_prefix = "musl-locks";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || scratch(argv[1]) < 0) {
		printf("usage: musl-locks DIR (a scratch directory, emptied first)\n");
		return 2;
	}
	fd = open("f", O_RDWR | O_CREAT, 0644);
	parent = getpid();
	pipe(to_child);
	pipe(to_parent);
	show(lk(fd, F_SETLK, F_WRLCK, 0, 10), "F_SETLK write [0, 10)");
	show(lk(fd, F_SETLK, F_RDLCK, 30, 5), "F_SETLK read [30, 35)");
	show(lk(fd, F_SETLK, F_RDLCK, 0, 10), "F_SETLK read [0, 10): its own lock, converted");
	show(lk(fd, F_SETLK, F_WRLCK, 0, 10), "and back");
	getlk(fd, F_GETLK, 0, 100, 0, "F_GETLK [0, 100): none in the way of its own");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		child();
	wait_turn(to_parent);
	getlk(fd, F_GETLK, 0, 100, pid, "F_GETLK [0, 100): the child's read lock");
	show(lk(fd, F_SETLK, F_UNLCK, 0, 5), "F_SETLK unlock [0, 5)");
	give_turn(to_child);
	wait_turn(to_parent);
	usleep(50000); /* the child waits for [5, 10) */
	long r = lk(fd, F_SETLK, F_UNLCK, 5, 5);
	wait_turn(to_parent);
	show(r, "F_SETLK unlock [5, 10): the child got it");
	show(lk(fd, F_SETLK, F_WRLCK, 50, 1), "F_SETLK write [50, 51)");
	give_turn(to_child);
	wait_turn(to_parent);
	usleep(30000); /* the child now waits for [50, 51) */
	show(lk(fd, F_SETLKW, F_WRLCK, 40, 1), "F_SETLKW write [40, 41), the child's: a deadlock");
	r = lk(fd, F_SETLK, F_UNLCK, 50, 1);
	wait_turn(to_parent);
	show(r, "F_SETLK unlock [50, 51): the child went on");
	show(lk(fd, F_SETLK, F_WRLCK, 100, 10),
	     "F_SETLK write [100, 110): the child closed the file once");
	give_turn(to_child);
	wait_turn(to_parent);
	show(lk(fd, F_SETLK, F_WRLCK, 200, 10), "F_SETLK write [200, 210), the child's");
	give_turn(to_child);
	waitpid(pid, NULL, 0);
	show(lk(fd, F_SETLK, F_WRLCK, 200, 10), "after the child's exit");
	show(lockf(fd, F_TEST, 10), "lockf(F_TEST)");
	show(lockf(fd, F_TLOCK, 10), "lockf(F_TLOCK)");
	show(lockf(fd, F_ULOCK, 10), "lockf(F_ULOCK)");
	errors();
	close(fd);
	ofd();
	scratch_done(argv[1]);
	printf("musl-locks: done\n");
	return 0;
}
