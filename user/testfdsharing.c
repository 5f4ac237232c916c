/*
 * testfdsharing: what descriptors share. After fork and after dup (dup2, dup3, F_DUPFD) the
 * descriptors name one open file with one offset; a second open of the same file has its
 * own offset; O_APPEND writes always go to the end, even with several writers at once.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define FILE_A  "/tmp/testfdsharing-a"
#define FILE_B  "/tmp/testfdsharing-b"
#define RECORDS 100 /* 8-byte records each of two writers adds at once */
#define RECLEN  8

static char buf[4 * RECORDS * RECLEN];

/* The whole content of path (NUL-terminated in buf); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long total = 0;
	ssize_t n;
	if (fd < 0)
		return -1;
	while (total < (long)sizeof(buf) - 1 &&
	       (n = read(fd, buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

static bool reads(int fd, const char *want)
{
	char got[32] = { 0 };
	size_t n = strlen(want);
	return read(fd, got, n) == (ssize_t)n && memcmp(got, want, n) == 0;
}

static off_t offset(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

/* Write RECORDS records "Xnnnnnn\n" (X = tag) through fd, one write each. */
static int write_records(int fd, char tag)
{
	char rec[RECLEN + 1];
	for (int i = 0; i < RECORDS; i++) {
		snprintf(rec, sizeof(rec), "%c%06d\n", tag, i);
		if (write(fd, rec, RECLEN) != RECLEN)
			return 1;
		sched_yield(); /* let the other writer in between */
	}
	return 0;
}

/* Does path hold exactly RECORDS records of each tag, each whole, each writer's in order? */
static bool records_intact(const char *path, char t1, char t2)
{
	long n = slurp(path);
	int next1 = 0, next2 = 0;
	if (n != 2 * RECORDS * RECLEN)
		return false;
	for (long i = 0; i < n; i += RECLEN) {
		int *next = buf[i] == t1 ? &next1 : buf[i] == t2 ? &next2 : NULL;
		if (!next || buf[i + RECLEN - 1] != '\n' || atoi(buf + i + 1) != (*next)++)
			return false;
	}
	return next1 == RECORDS && next2 == RECORDS;
}

/* fork: parent and child share the open file and its offset. */
static void after_fork(void)
{
	int fd = open(FILE_A, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ssize_t w = write(fd, "0123456789", 10);
	off_t at = lseek(fd, 0, SEEK_SET);
	check(fd >= 0 && w == 10 && at == 0, "a file is created with 10 bytes (descriptor %d)", fd);
	pid_t pid = fork();
	if (pid == 0)
		exit(reads(fd, "0123") ? 0 : 1);
	int status = reap_within(pid, 500);
	at = offset(fd);
	check(status == 0 && at == 4 && reads(fd, "456"),
	      "after fork, the child's read moves the parent's offset too: the parent is at %ld "
	      "and reads '456' (child status %#x)",
	      (long)at, status);
	close(fd);

	fd = open(FILE_B, O_RDWR | O_CREAT | O_TRUNC, 0644);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 5; i++)
			if (write(fd, "child\n", 6) != 6)
				exit(1);
		exit(0);
	}
	status = reap_within(pid, 500);
	write(fd, "parent\n", 7);
	long n = slurp(FILE_B);
	check(status == 0 && n == 37 && strcmp(buf + 30, "parent\n") == 0,
	      "the parent's write lands after the 30 bytes its child wrote through the shared "
	      "descriptor (file size %ld)",
	      n);

	/* Both at once: a shared offset means no record overwrites another. */
	close(fd);
	fd = open(FILE_B, O_WRONLY | O_TRUNC);
	pid = fork();
	if (pid == 0)
		exit(write_records(fd, 'C'));
	w = write_records(fd, 'P');
	status = reap_within(pid, 500);
	close(fd);
	check(w == 0 && status == 0 && records_intact(FILE_B, 'P', 'C'),
	      "parent and child writing at once through one shared descriptor never overwrite "
	      "each other: %d records of %d bytes",
	      2 * RECORDS, RECLEN);
}

/* dup, dup2, dup3, F_DUPFD: one open file, one offset. */
static void dups(void)
{
	int fd = open(FILE_A, O_RDWR);
	int d = dup(fd);
	lseek(fd, 1, SEEK_SET);
	bool ok = reads(d, "12");
	check(d >= 0 && d != fd && ok && offset(fd) == 3,
	      "dup'd descriptors share one offset: a read through the copy moves the original");

	int d2 = dup2(fd, 20);
	lseek(20, 7, SEEK_SET);
	check(d2 == 20 && offset(fd) == 7,
	      "dup2 returns the descriptor asked for, sharing the offset (returned %d)", d2);
	int other = open(FILE_A, O_RDONLY);
	int r = dup2(fd, other);
	check(r == other && offset(other) == 7,
	      "dup2 onto an open descriptor first closes it, then shares the offset");
	check(dup2(fd, fd) == fd, "dup2 of a descriptor onto itself returns it");
	errno = 0;
	r = dup2(63, 21);
	int e1 = errno;
	errno = 0;
	int r2 = dup2(fd, OPEN_MAX);
	check(r == -1 && e1 == EBADF && r2 == -1 && errno == EBADF,
	      "dup2 from a closed descriptor or onto 1024 (past the table) fails with EBADF "
	      "(errno %d, %d)",
	      e1, errno);
	errno = 0;
	r = dup3(fd, fd, 0);
	check(r == -1 && errno == EINVAL,
	      "dup3 of a descriptor onto itself fails with EINVAL (errno %d)", errno);
	int d3 = fcntl(fd, F_DUPFD, 30);
	lseek(d3, 2, SEEK_SET);
	check(d3 >= 30 && offset(fd) == 2,
	      "fcntl(F_DUPFD, 30) returns a descriptor from 30 up that shares the offset "
	      "(returned %d)",
	      d3);

	/* Each copy is closed on its own. */
	close(fd);
	errno = 0;
	char c;
	ssize_t n = read(fd, &c, 1);
	check(n == -1 && errno == EBADF && reads(d, "23"),
	      "closing one descriptor leaves its copies open and their offset where it was");
	pid_t pid = fork();
	if (pid == 0)
		exit(close(d) == 0 ? 0 : 1);
	int status = reap_within(pid, 500);
	check(status == 0 && reads(d, "45"),
	      "a child closing its copy of a descriptor leaves the parent's open");
	close(d);
	close(20);
	close(other);
	close(d3);
}

/* A second open has an offset of its own, but the same data. */
static void second_open(void)
{
	int fd = open(FILE_A, O_RDWR);
	int o = open(FILE_A, O_RDONLY);
	lseek(fd, 7, SEEK_SET);
	bool ok = reads(o, "012");
	check(fd >= 0 && o >= 0 && ok && offset(fd) == 7 && offset(o) == 3,
	      "a second open of the same file has its own offset");
	write(fd, "X", 1);
	lseek(o, 7, SEEK_SET);
	check(reads(o, "X8"), "and sees the data written through the first");
	close(fd);
	close(o);
}

/* O_APPEND: every write goes to the end of the file. */
static void append(void)
{
	int a = open(FILE_A, O_WRONLY | O_APPEND);
	int b = open(FILE_A, O_WRONLY | O_APPEND);
	lseek(a, 0, SEEK_SET);
	write(a, "AB", 2);
	off_t at = offset(a);
	write(b, "CD", 2);
	write(a, "EF", 2);
	long n = slurp(FILE_A);
	check(at == 12 && n == 16 && strcmp(buf, "0123456X89ABCDEF") == 0,
	      "O_APPEND writes go to the end, whatever the offset and whoever appended last "
	      "(offset %ld after the first, file '%s')",
	      (long)at, buf);
	close(a);
	close(b);

	/* Two processes, each with its own open file: only O_APPEND keeps them apart. */
	int fd = open(FILE_B, O_WRONLY | O_TRUNC);
	close(fd);
	pid_t pid = fork();
	if (pid == 0) {
		int mine = open(FILE_B, O_WRONLY | O_APPEND);
		exit(mine < 0 ? 2 : write_records(mine, 'c'));
	}
	fd = open(FILE_B, O_WRONLY | O_APPEND);
	int w = write_records(fd, 'p');
	int status = reap_within(pid, 500);
	close(fd);
	check(w == 0 && status == 0 && records_intact(FILE_B, 'p', 'c'),
	      "two processes appending through opens of their own never overwrite each other: "
	      "%d records",
	      2 * RECORDS);
}

int main(void)
{
	check_prefix = "testfdsharing";
	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		check(false, "mkdir /tmp failed, errno %d", errno);
	after_fork();
	dups();
	second_open();
	append();
	unlink(FILE_A);
	unlink(FILE_B);
	verdict("testfdsharing: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
