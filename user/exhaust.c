/*
 * exhaust WHAT: use up one resource of the kernel, then give it all back. The kernel must
 * refuse the request that finds nothing left (or, for memory touched beyond what there is,
 * kill only the program that touched it) and go on. Run under memcheck, which checks that
 * free memory comes back; grade/robust.py runs each from the shell and then types a command
 * to see that the shell still works.
 *
 *	forkbomb  fork until the process table is full
 *	brk       grow the heap, touching every page, until it fails or memory runs out
 *	mmap      the same with mmap
 *	files     write files until the file system's memory runs out
 *	pipes     make full pipes until no descriptor is left
 *	fds       open files until no descriptor is left
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mman.h>
#include <signal.h>
#include <stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PAGE  4096
#define CHUNK (1 << 20)

static void forkbomb(void)
{
	static pid_t pids[4096];
	int n = 0, e = 0;

	for (;;) {
		pid_t pid = fork();
		if (pid == 0) {
			sleep_ticks(100000); /* until killed */
			exit(0);
		}
		if (pid < 0) {
			e = errno;
			break;
		}
		pids[n++] = pid;
	}
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	int reaped = 0;
	for (int i = 0; i < n; i++)
		reaped += waitpid(pids[i], NULL, 0) == pids[i];
	check((e == EAGAIN || e == ENOMEM) && reaped == n,
	      "fork failed with %s after %d children; all %d killed and reaped",
	      e == EAGAIN   ? "EAGAIN"
	      : e == ENOMEM ? "ENOMEM"
	                    : "?",
	      n, reaped);
}

/* Touch every page of [p, p + len). */
static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE)
		p[off] = 1;
}

/* In a child: grow with more() until it fails, touching each piece. It ends refused (exit
 * 0) or killed for want of memory (SIGKILL). */
static void grow(const char *how, void *(*more)(void))
{
	int status = -1;
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			char *p = more();
			if (!p)
				exit(0);
			touch(p, CHUNK);
		}
	}
	waitpid(pid, &status, 0);
	check((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
	              (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
	      "a child growing its %s until it fails ends %s", how,
	      WIFSIGNALED(status) ? "killed (out of memory)" : "refused");
}

static void *more_brk(void)
{
	void *p = sbrk(CHUNK);
	return p == (void *)-1 ? NULL : p;
}

static void *more_mmap(void)
{
	void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void files(void)
{
	static char buf[CHUNK];
	char name[64];
	int n = 0, e = 0;

	memset(buf, 'x', sizeof(buf));
	mkdir("/tmp", 0755);
	for (;; n++) {
		snprintf(name, sizeof(name), "/tmp/exhaust-%d", n);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			e = errno;
			break;
		}
		ssize_t w = write(fd, buf, sizeof(buf));
		if (w >= 0 && w < (ssize_t)sizeof(buf))
			w = write(fd, buf,
			          sizeof(buf)); /* the rest did not fit: this one says why */
		e = errno;
		close(fd);
		if (w != (ssize_t)sizeof(buf)) {
			n++;
			break;
		}
	}
	int removed = 0;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "/tmp/exhaust-%d", i);
		removed += unlink(name) == 0;
	}
	check((e == ENOMEM || e == ENOSPC) && removed == n,
	      "writing files stops with %s after %d MiB; every file removed",
	      e == ENOMEM   ? "ENOMEM"
	      : e == ENOSPC ? "ENOSPC"
	                    : "?",
	      n);
}

static void pipes(void)
{
	static int fds[OPEN_MAX];
	static char full[PIPE_BUF];
	int n = 0, e = 0;

	while (n + 1 < OPEN_MAX) {
		if (pipe(fds + n) < 0) {
			e = errno;
			break;
		}
		write(fds[n + 1], full, sizeof(full));
		n += 2;
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	check(e == EMFILE || e == ENOMEM,
	      "pipes stop with %s after %d of them, each full; all closed",
	      e == EMFILE   ? "EMFILE"
	      : e == ENOMEM ? "ENOMEM"
	                    : "?",
	      n / 2);
}

static void fds(void)
{
	static int fd[OPEN_MAX];
	int n = 0, e = 0;

	for (;;) {
		int f = open("/dev/null", O_RDONLY);
		if (f < 0) {
			e = errno;
			break;
		}
		fd[n++] = f;
	}
	for (int i = 0; i < n; i++)
		close(fd[i]);
	check(e == EMFILE && n == OPEN_MAX - 3,
	      "open fails with EMFILE after %d descriptors (3 were open); all closed", n);
}

int main(int argc, char **argv)
{
	static char prefix[64];
	const char *what = argc > 1 ? argv[1] : "";

	snprintf(prefix, sizeof(prefix), "exhaust %s", what);
	check_prefix = prefix;
	if (strcmp(what, "forkbomb") == 0)
		forkbomb();
	else if (strcmp(what, "brk") == 0)
		grow("heap (brk)", more_brk);
	else if (strcmp(what, "mmap") == 0)
		grow("mappings (mmap)", more_mmap);
	else if (strcmp(what, "files") == 0)
		files();
	else if (strcmp(what, "pipes") == 0)
		pipes();
	else if (strcmp(what, "fds") == 0)
		fds();
	else {
		printf("usage: exhaust forkbomb|brk|mmap|files|pipes|fds\n");
		return 2;
	}
	if (!check_failures)
		verdict("%s: all checks OK", prefix);
	return check_failures != 0;
}
