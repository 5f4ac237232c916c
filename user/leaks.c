/*
 * leaks: every frame a program uses comes back. Rounds of work (fork, exec and failed exec,
 * pipes, files created and unlinked, brk, mmap, a kill and a fault) run in children; once
 * all are reaped, sysinfo's free memory must be exactly what it was before the rounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <signal.h>
#include <stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <sysinfo.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define ROUNDS    5
#define PAGE_SIZE 4096
#define FILE_SIZE (100 * 1024)
#define TEXT_FILE "/tmp/leaks-text"
#define DATA_FILE "/tmp/leaks-data"

static char buf[FILE_SIZE];
static char huge[200 * 1024 + 1];
static int problems; /* steps of the workload that went wrong */

/* Free memory, in frames. */
static long free_frames(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return -1;
	return (long)(si.freeram * si.mem_unit / PAGE_SIZE);
}

static long processes(void)
{
	struct sysinfo si;
	return sysinfo(&si) < 0 ? -1 : si.procs;
}

/* Reap pid (waiting up to 500 ticks) and count a problem unless its wait status is want. */
static void expect_status(pid_t pid, int want, const char *step)
{
	long end = ticks_now() + 500;
	int status = -1;
	pid_t r;
	while ((r = waitpid(pid, &status, WNOHANG)) == 0 && ticks_now() < end)
		sleep_ticks(1);
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (pid < 0 || r != pid || status != want) {
		printf("leaks: %s: wait status %#x, expected %#x\n", step, status, want);
		problems++;
	}
}

static pid_t child(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		printf("leaks: fork failed, errno %d\n", errno);
		problems++;
	}
	return pid;
}

/* exec: a program that exits 3, and execs that fail after copying their arguments. */
static void exec_step(void)
{
	char *argv[] = { "execprobe", "exit", "3", NULL };
	pid_t pid = child();
	if (pid == 0) {
		execv("/bin/execprobe", argv);
		exit(100);
	}
	expect_status(pid, 3 << 8, "exec");

	pid = child();
	if (pid == 0) {
		char *bad[] = { "x", huge, NULL };
		int e1 = execv(TEXT_FILE, argv) < 0 ? errno : 0;
		int e2 = execv("/bin/execprobe", bad) < 0 ? errno : 0;
		int e3 = execv("/bin/badelf-wrapseg", argv) < 0 ? errno : 0;
		exit(e1 == ENOEXEC && e2 == E2BIG && e3 == ENOEXEC ? 0 : 1);
	}
	expect_status(pid, 0, "failed execs");
}

/* pipes: data through one; another left open when its process exits; a reader killed
 * while it waits. */
static void pipe_step(void)
{
	int p[2];
	if (pipe(p) < 0) {
		problems++;
		return;
	}
	pid_t pid = child();
	if (pid == 0) {
		close(p[0]);
		exit(write(p[1], buf, 10000) == 10000 ? 0 : 1);
	}
	close(p[1]);
	long total = 0;
	ssize_t n;
	while ((n = read(p[0], buf, 4096)) > 0)
		total += n;
	close(p[0]);
	expect_status(pid, 0, "pipe");
	problems += total != 10000;

	pid = child();
	if (pid == 0) {
		int q[2];
		exit(pipe(q) == 0 && write(q[1], "left in the pipe", 16) == 16 ? 0 : 1);
	}
	expect_status(pid, 0, "pipe left open");

	pipe(p);
	pid = child();
	if (pid == 0) {
		close(p[1]);
		read(p[0], buf, 1);
		exit(1);
	}
	close(p[0]);
	sleep_ticks(2);
	kill(pid, SIGKILL);
	expect_status(pid, SIGKILL, "kill a blocked reader");
	close(p[1]);
}

/* files: one written, read and unlinked; one unlinked while open. */
static void file_step(void)
{
	int fd = open(DATA_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0 && write(fd, buf, FILE_SIZE) == FILE_SIZE &&
	          lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, FILE_SIZE) == FILE_SIZE;
	close(fd);
	ok = ok && unlink(DATA_FILE) == 0;
	fd = open(DATA_FILE, O_RDWR | O_CREAT, 0644);
	ok = ok && unlink(DATA_FILE) == 0 && write(fd, buf, FILE_SIZE) == FILE_SIZE;
	ok = close(fd) == 0 && ok;
	if (!ok) {
		printf("leaks: the file step failed, errno %d\n", errno);
		problems++;
	}
}

/* Memory: a heap grown, shrunk and asked for too much; mappings shared with a grandchild,
 * partly unmapped, left mapped at exit; a fault. */
static void memory_step(void)
{
	pid_t pid = child();
	if (pid == 0) {
		uintptr_t b = (uintptr_t)raw_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
		uintptr_t top =
		        (uintptr_t)raw_syscall(SYS_brk, (long)(b + (2 << 20)), 0, 0, 0, 0, 0);
		if (top != b + (2 << 20))
			exit(1);
		for (uintptr_t p = b; p < top; p += PAGE_SIZE)
			*(volatile char *)p = 1;
		raw_syscall(SYS_brk, (long)(b + (1 << 20)), 0, 0, 0, 0, 0);
		raw_syscall(SYS_brk, (long)(b + (1L << 30)), 0, 0, 0, 0, 0);
		exit(0);
	}
	expect_status(pid, 0, "brk");

	pid = child();
	if (pid == 0) {
		char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		               -1, 0);
		if (m == MAP_FAILED)
			exit(1);
		memset(m, 1, 1 << 20);
		pid_t g = fork();
		if (g == 0) {
			memset(m, 2, 1 << 19);
			exit(0);
		}
		int status = -1;
		waitpid(g, &status, 0);
		munmap(m + (1 << 19), 1 << 18);
		mprotect(m, PAGE_SIZE, PROT_READ);
		exit(status);
	}
	expect_status(pid, 0, "mmap");

	pid = child();
	if (pid == 0) {
		char *m = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		               -1, 0);
		munmap(m, PAGE_SIZE);
		*(volatile char *)m = 1;
		exit(1);
	}
	expect_status(pid, SIGSEGV, "fault");
}

/* One round of everything. */
static void workload(void)
{
	exec_step();
	pipe_step();
	file_step();
	memory_step();
}

int main(void)
{
	check_prefix = "leaks";
	memset(huge, 'h', sizeof(huge) - 1);
	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		check(false, "mkdir /tmp failed, errno %d", errno);
	int fd = open(TEXT_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "not a program\n", 14);
	close(fd);

	/* A first round, not counted, so that what the kernel allocates once and keeps (caches)
	 * is in place before the count starts. */
	workload();
	long free_before = free_frames(), procs_before = processes();
	for (int r = 0; r < ROUNDS; r++)
		workload();
	long free_after = free_frames(), procs_after = processes();

	check(problems == 0,
	      "%d rounds of fork, exec, pipes, files, brk and mmap all did what "
	      "they should (%d problems)",
	      ROUNDS + 1, problems);
	check(procs_after == procs_before, "processes: %ld before the rounds, %ld after",
	      procs_before, procs_after);
	check(free_after == free_before, "free frames: %ld before the rounds, %ld after",
	      free_before, free_after);
	unlink(TEXT_FILE);
	verdict("leaks: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
