/*
 * musl-proc: processes in a static musl program: fork and waitpid with exit statuses and
 * signals, a pipe between two processes, and pipe + dup2 + execv running /bin/echo with its
 * output captured. Plain "musl-proc:" lines (musl programs cannot use Sparrow's verdict()).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STREAM 100000

static int failures;

static void result(int ok, const char *what)
{
	printf("musl-proc: %s %s\n", ok ? "OK" : "FAIL", what);
	failures += !ok;
}

/* fork, with stdout flushed first so that nothing buffered is printed twice. */
static pid_t fork_flushed(void)
{
	fflush(stdout);
	return fork();
}

int main(void)
{
	int status = -1, p[2];
	char buf[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t parent = getpid();
	pid_t pid = fork_flushed();
	if (pid == 0)
		_exit(getppid() == parent ? 7 : 1);
	result(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	               WEXITSTATUS(status) == 7,
	       "fork and waitpid: the child knows its parent and its exit status 7 arrives");

	pid = fork_flushed();
	if (pid == 0) {
		for (;;)
			sleep(1);
	}
	kill(pid, SIGKILL);
	result(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	               WTERMSIG(status) == SIGKILL,
	       "a child killed with SIGKILL is reported as such");

	pipe(p);
	pid = fork_flushed();
	if (pid == 0) {
		close(p[1]);
		long total = 0;
		ssize_t n;
		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			total += n;
		_exit(total == STREAM ? 0 : 1);
	}
	close(p[0]);
	static char data[STREAM];
	memset(data, 'd', sizeof(data));
	ssize_t w = write(p[1], data, sizeof(data));
	close(p[1]);
	result(w == STREAM && waitpid(pid, &status, 0) == pid && status == 0,
	       "100000 bytes go through a pipe to a child, which sees end of file");

	pipe(p);
	pid = fork_flushed();
	if (pid == 0) {
		char *argv[] = { "echo", "hello", "from", "/bin/echo", NULL };
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv("/bin/echo", argv);
		_exit(127);
	}
	close(p[1]);
	size_t got = 0;
	ssize_t n;
	while (got < sizeof(buf) - 1 && (n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(p[0]);
	result(waitpid(pid, &status, 0) == pid && status == 0 &&
	               strcmp(buf, "hello from /bin/echo\n") == 0,
	       "pipe, dup2 and execv: /bin/echo's output is read from the pipe");

	char *argv[] = { "nosuch", NULL };
	errno = 0;
	result(execv("/bin/nosuch", argv) == -1 && errno == ENOENT,
	       "execv of a missing program fails with ENOENT, and the program goes on");
	printf("musl-proc: %s\n", failures ? "FAIL" : "all OK");
	return failures != 0;
}
