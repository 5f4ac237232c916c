/*
 * testpipe: pipes. Bytes come out in order and intact, read returns end of file once every
 * write end is closed, a write with no reader fails with EPIPE (and no signal), a write of
 * PIPE_BUF bytes is never split by a concurrent writer, and blocked readers and writers wake.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PIPE_BUF 4096 /* a pipe's buffer; writes up to this size are atomic */
#define STREAM   20000
#define WRITERS  2
#define BLOCKS   16 /* PIPE_BUF-byte writes by each writer */

static unsigned char out[STREAM], in[STREAM];
static unsigned char mixed[WRITERS * BLOCKS * PIPE_BUF];

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + i / 251);
}

/* Is child pid still running (blocked, presumably) after `ticks`? */
static bool still_running(pid_t pid, long ticks)
{
	int status;
	sleep_ticks(ticks);
	return waitpid(pid, &status, WNOHANG) == 0;
}

static void basics(void)
{
	int p[2];
	char buf[32];

	int r = pipe(p);
	check(r == 0 && p[0] >= 3 && p[1] >= 3 && p[0] != p[1],
	      "pipe() returns two new descriptors (returned %d: %d, %d)", r, p[0], p[1]);
	ssize_t w = write(p[1], "hello, pipe", 11);
	ssize_t n = read(p[0], buf, sizeof(buf));
	check(w == 11 && n == 11 && memcmp(buf, "hello, pipe", 11) == 0,
	      "11 bytes written into a pipe are read back (write %ld, read %ld)", w, n);

	errno = 0;
	n = read(p[1], buf, 1);
	int e1 = errno;
	errno = 0;
	w = write(p[0], "x", 1);
	check(n == -1 && e1 == EBADF && w == -1 && errno == EBADF,
	      "the write end cannot be read and the read end cannot be written: EBADF "
	      "(errno %d, %d)",
	      e1, errno);
	errno = 0;
	off_t o = lseek(p[0], 0, SEEK_SET);
	check(o == -1 && errno == ESPIPE, "lseek on a pipe fails with ESPIPE (errno %d)", errno);
	struct stat st;
	r = fstat(p[0], &st);
	check(r == 0 && S_ISFIFO(st.st_mode), "fstat says a pipe is a FIFO (mode %#o)",
	      (unsigned)st.st_mode);
	close(p[0]);
	close(p[1]);

	/* A bad array: EFAULT, and neither descriptor stays allocated. */
	int before = dup(0);
	close(before);
	long rr = raw_syscall(SYS_pipe, 1, 0, 0, 0, 0, 0);
	int after = dup(0);
	close(after);
	check(rr == -EFAULT && after == before,
	      "pipe with a bad pointer fails with EFAULT and leaves no descriptor open (returned "
	      "%ld; lowest free descriptor %d, then %d)",
	      rr, before, after);
}

/* A child writes STREAM bytes in one call; the parent reads them in odd-sized pieces. */
static void stream(void)
{
	int p[2];
	if (pipe(p) < 0) {
		check(false, "pipe failed, errno %d", errno);
		return;
	}
	for (long i = 0; i < STREAM; i++)
		out[i] = pattern(i);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		exit(write(p[1], out, STREAM) == STREAM ? 0 : 1);
	}
	close(p[1]);
	static const size_t sizes[] = { 1, 100, 4096, 5000, 7, 3000, 333 };
	long total = 0, bad = 0;
	ssize_t n = 0;
	for (int k = 0; total <= STREAM; k++) {
		size_t want = sizes[k % ARRAY_SIZE(sizes)];
		n = read(p[0], in, want);
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			bad += in[i] != pattern(total + i);
		total += n;
	}
	close(p[0]);
	check(total == STREAM && bad == 0,
	      "%d bytes a child wrote arrive intact and in order (%ld bytes, %ld wrong)", STREAM,
	      total, bad);
	check(n == 0, "then read returns 0, end of file, as the writer has exited (returned %ld)",
	      n);
	int status = reap_within(pid, 500);
	check(status == 0,
	      "a %d-byte write, more than a pipe holds, waits for the reader and returns %d "
	      "(status %#x)",
	      STREAM, STREAM, status);
}

/* End of file only once every write end is closed; a blocked reader wakes for it and for
 * data. */
static void wakeups(void)
{
	int p[2];
	char c[8];

	pipe(p);
	int w2 = dup(p[1]);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		close(w2);
		ssize_t n = read(p[0], c, 1);
		exit(n == 0 ? 0 : 10 + (int)n);
	}
	close(p[0]);
	close(p[1]);
	check(still_running(pid, 10),
	      "a reader stays blocked while a duplicate of the write end is still open");
	close(w2);
	int status = reap_within(pid, 300);
	check(status == 0,
	      "closing the last write end wakes the blocked reader with end of file (status %#x)",
	      status);

	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		ssize_t n = read(p[0], c, sizeof(c));
		exit(n == 4 && memcmp(c, "ping", 4) == 0 ? 0 : 1);
	}
	close(p[0]);
	bool blocked = still_running(pid, 10);
	write(p[1], "ping", 4);
	status = reap_within(pid, 300);
	close(p[1]);
	check(blocked && status == 0,
	      "a reader blocked on an empty pipe is woken by a write and gets its 4 bytes "
	      "(status %#x)",
	      status);
}

/* EPIPE: at once with no reader, and for a writer blocked on a full pipe when the last
 * reader goes. No signal is sent (documented): the writer sees the error. */
static void epipe(void)
{
	int p[2];

	pipe(p);
	close(p[0]);
	errno = 0;
	ssize_t n = write(p[1], "x", 1);
	check(n == -1 && errno == EPIPE,
	      "a write with no reader fails with EPIPE, and the writer lives on "
	      "(returned %ld, errno %d)",
	      n, errno);
	close(p[1]);

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], out, PIPE_BUF) != PIPE_BUF)
			exit(2);
		errno = 0;
		n = write(p[1], "y", 1);
		exit(n == -1 && errno == EPIPE ? 0 : 1);
	}
	close(p[1]);
	check(still_running(pid, 10),
	      "a pipe holds %d bytes: a writer that filled it blocks on the next byte", PIPE_BUF);
	close(p[0]);
	int status = reap_within(pid, 300);
	check(status == 0,
	      "closing the last read end wakes the blocked writer with EPIPE (status %#x)", status);
}

/*
 * A write of PIPE_BUF bytes into a pipe with room for only part of it must wait for room for
 * all of it. The pipe is filled to leave 1096 bytes free; a child starts its 4096-byte write;
 * then the parent empties the pipe and at once writes one byte of its own. Atomic: the
 * byte, then the child's 4096. Split: 1096 of the child's bytes, the parent's, the rest.
 */
static void atomic_partial(void)
{
	int p[2];
	const int fill = PIPE_BUF - 1096;

	pipe(p);
	memset(out, 'F', fill);
	write(p[1], out, fill);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		memset(out, 'A', PIPE_BUF);
		exit(write(p[1], out, PIPE_BUF) == PIPE_BUF ? 0 : 1);
	}
	sleep_ticks(5); /* the child tries its write: there is room for 1096 bytes */
	ssize_t n = read(p[0], in, fill);
	write(p[1], "M", 1);
	close(p[1]);
	long total = 0;
	while (total < PIPE_BUF + 1 && (n = read(p[0], mixed + total, PIPE_BUF + 1)) > 0)
		total += n;
	close(p[0]);
	long where = -1;
	for (long i = 0; i < total && where < 0; i++)
		if (mixed[i] == 'M')
			where = i;
	int status = reap_within(pid, 300);
	check(total == PIPE_BUF + 1 && where == 0 && status == 0,
	      "a %d-byte write into a pipe with room for part of it waits for room for all: no "
	      "other write gets in between (the other writer's byte came after %ld of its bytes)",
	      PIPE_BUF, where);
}

/* Two writers each write BLOCKS blocks of PIPE_BUF identical bytes (writer w, block b:
 * byte 1 + w * BLOCKS + b) while the reader takes 1000 bytes at a time, leaving room for
 * part of a block: every PIPE_BUF-aligned block of the stream must come from one write. */
static void atomic(void)
{
	int p[2];
	pid_t pids[WRITERS];

	pipe(p);
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			close(p[0]);
			for (int b = 0; b < BLOCKS; b++) {
				memset(out, 1 + w * BLOCKS + b, PIPE_BUF);
				if (write(p[1], out, PIPE_BUF) != PIPE_BUF)
					exit(1);
			}
			exit(0);
		}
	}
	close(p[1]);
	long total = 0;
	ssize_t n;
	while (total < (long)sizeof(mixed) &&
	       (n = read(p[0], mixed + total, MIN(1000, sizeof(mixed) - total))) > 0) {
		total += n;
		sched_yield(); /* let a writer in while there is room for part of a block */
	}
	close(p[0]);

	int torn = 0, disorder = 0, next[WRITERS] = { 0 };
	for (long k = 0; k < total / PIPE_BUF; k++) {
		const unsigned char *blk = mixed + k * PIPE_BUF;
		int v = blk[0] - 1, w = v / BLOCKS;
		bool whole = v >= 0 && w < WRITERS;
		for (int i = 1; whole && i < PIPE_BUF; i++)
			whole = blk[i] == blk[0];
		if (!whole) {
			torn++;
			continue;
		}
		disorder += v % BLOCKS != next[w];
		next[w] = v % BLOCKS + 1;
	}
	int bad = 0;
	for (int w = 0; w < WRITERS; w++)
		bad += reap_within(pids[w], 300) != 0;
	check(total == (long)sizeof(mixed) && torn == 0 && disorder == 0,
	      "%d writers' %d-byte writes are never split: %ld blocks arrived whole and in order "
	      "(%d torn, %d out of order)",
	      WRITERS, PIPE_BUF, total / PIPE_BUF, torn, disorder);
	check(bad == 0, "the %d writers exited with status 0", WRITERS);
}

int main(void)
{
	check_prefix = "testpipe";
	basics();
	stream();
	wakeups();
	epipe();
	atomic_partial();
	atomic();
	verdict("testpipe: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
