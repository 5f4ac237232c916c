/*
 * musl-poll: waiting for descriptors through musl: poll, ppoll, select and pselect on
 * pipes, files and /dev/null, with timeouts and a reader woken by another process's write.
 * Every line is compared with the same binary's on Linux (grade/lab5.py runs it there).
 *
 *	musl-poll DIR		(DIR: a scratch directory, emptied first and at the end)
 */
#define _GNU_SOURCE /* ppoll */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

#define WANT (POLLIN | POLLOUT)

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* poll one descriptor for POLLIN | POLLOUT, without waiting: its revents. */
static long ready(int fd)
{
	struct pollfd p = { fd, WANT, 0 };
	long r = poll(&p, 1, 0);
	return r < 0 ? r : p.revents;
}

static void polls(void)
{
	int p[2];
	struct pollfd fds[4];
	char buf[256];

	pipe(p);
	show(ready(p[0]), "an empty pipe's read end");
	show(ready(p[1]), "its write end");
	write(p[1], "x", 1);
	show(ready(p[0]), "the read end with a byte in");
	close(p[1]);
	show(ready(p[0]), "the read end, the writer gone, the byte still there");
	read(p[0], buf, 1);
	show(ready(p[0]), "the read end, empty, the writer gone");
	close(p[0]);
	pipe(p);
	close(p[0]);
	show(ready(p[1]), "a write end without a reader");
	close(p[1]);

	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	show(fcntl(p[1], F_GETFL) & O_NONBLOCK, "F_SETFL sets O_NONBLOCK");
	memset(buf, 'f', sizeof(buf));
	long total = 0, n;
	while ((n = write(p[1], buf, sizeof(buf))) > 0)
		total += n;
	show(n, "filling the pipe ends with");
	show(!(ready(p[1]) & POLLOUT), "a full pipe is not writable");
	while (total > 0 && (n = read(p[0], buf, sizeof(buf))) > 0)
		total -= n;
	show(ready(p[1]), "emptied, it is again");

	int file = open("f", O_RDWR | O_CREAT, 0644);
	int null = open("/dev/null", O_RDWR);
	fds[0] = (struct pollfd){ file, WANT, 0 };
	fds[1] = (struct pollfd){ null, WANT, 0 };
	fds[2] = (struct pollfd){ -1, WANT, 0 };
	fds[3] = (struct pollfd){ 99, WANT, 0 };
	show(poll(fds, 4, 0), "poll(file, /dev/null, -1, 99)");
	show(fds[0].revents, "the file");
	show(fds[1].revents, "/dev/null");
	show(fds[2].revents, "fd -1");
	show(fds[3].revents, "fd 99 (not open)");
	show(poll(NULL, 0, 0), "poll(NULL, 0, 0)");
	show(poll(NULL, 1, 0), "poll(NULL, 1, 0)");

	struct timespec t0;
	struct pollfd in = { p[0], POLLIN, 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show(poll(&in, 1, 50), "poll(empty pipe, 50 ms)");
	show(ms_since(&t0) >= 50, "it waited 50 ms");

	/* A child writes after 30 ms; poll with no timeout wakes for it. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(30000);
		write(p[1], "w", 1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show(poll(&in, 1, -1), "poll(pipe, no timeout): a child writes");
	show(in.revents, "revents");
	show(ms_since(&t0) >= 20, "it waited for the child");
	waitpid(pid, NULL, 0);
	read(p[0], buf, 1);

	struct timespec zero = { 0, 0 }, bad = { 0, 1000000000 };
	show(ppoll(&in, 1, &zero, NULL), "ppoll(empty pipe, 0 s)");
	show(ppoll(&in, 1, &bad, NULL), "ppoll(tv_nsec 1e9)");
	sigset_t set;
	sigemptyset(&set);
	show(CALL(SYS_ppoll, &in, 1, &zero, &set, 4), "ppoll(sigsetsize 4)");
	show(CALL(SYS_ppoll, &in, 1, &zero, &set, 8), "ppoll(a signal mask)");

	struct rlimit rl = { 64, 64 };
	setrlimit(RLIMIT_NOFILE, &rl);
	static struct pollfd many[100];
	for (int i = 0; i < 100; i++)
		many[i] = (struct pollfd){ -1, POLLIN, 0 };
	show(poll(many, 64, 0), "poll(64 entries, NOFILE 64)");
	show(poll(many, 65, 0), "poll(65 entries, NOFILE 64)");
	close(file);
	close(null);
	close(p[0]);
	close(p[1]);
}

static void selects(void)
{
	int p[2];
	fd_set rd, wr, ex;
	struct timeval tv;
	struct timespec t0;

	pipe(p);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	FD_SET(p[0], &ex);
	show(select(p[1] + 1, &rd, &wr, &ex, NULL), "select(read end, write end)");
	show(FD_ISSET(p[0], &rd) + 2 * FD_ISSET(p[1], &wr) + 4 * FD_ISSET(p[0], &ex),
	     "ready: the write end only");
	write(p[1], "x", 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 0 };
	show(select(p[0] + 1, &rd, NULL, NULL, &tv), "select(read end with data, 0 s)");
	show(FD_ISSET(p[0], &rd), "the read end is ready");
	char c;
	read(p[0], &c, 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 40000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show(select(p[0] + 1, &rd, NULL, NULL, &tv), "select(empty pipe, 40 ms)");
	show(ms_since(&t0) >= 40, "it waited 40 ms");
	show(FD_ISSET(p[0], &rd), "nothing is ready");
	FD_ZERO(&rd);
	FD_SET(50, &rd);
	show(select(51, &rd, NULL, NULL, &tv), "select(a closed descriptor)");
	show(select(-1, NULL, NULL, NULL, &tv), "select(nfds -1)");
	tv = (struct timeval){ -1, 0 };
	show(select(1, NULL, NULL, NULL, &tv), "select(tv_sec -1)");
	tv = (struct timeval){ 0, 2000000 };
	FD_ZERO(&rd);
	FD_SET(p[1], &wr);
	show(select(p[1] + 1, NULL, &wr, NULL, &tv), "select(tv_usec 2000000: 2 s)");
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	show(select(p[0] + 1, &rd, NULL, NULL, NULL), "select(read end, writer gone)");
	struct timespec ts = { 0, 10000000 };
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	show(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), "pselect(read end, writer gone)");
	ts.tv_nsec = -5;
	show(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), "pselect(tv_nsec -5)");
	close(p[0]);
}

int main(int argc, char **argv)
{
	show_prefix = "musl-poll";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || scratch(argv[1]) < 0) {
		printf("usage: musl-poll DIR (a scratch directory, emptied first)\n");
		return 2;
	}
	selects();
	polls();
	scratch_done(argv[1]);
	printf("musl-poll: done\n");
	return 0;
}
