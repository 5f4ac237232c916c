/*
 * testexec: execve. A child runs /bin/execprobe, which checks its argv, envp, identity and
 * initial stack; failed execs (ENOENT, ENOEXEC, EACCES, EFAULT, E2BIG) return to a caller
 * whose memory is intact; close-on-exec descriptors are closed in the new image, others kept.
 */
#include <errno.h>
#include <fcntl.h>
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

#define PROBE      "/bin/execprobe"
#define LONG_ARG   3000          /* execprobe.c's long argument in args */
#define PAGE_ARG   10000         /* ... and in long: more than a page */
#define OLD_PAGE   0x600000000UL /* mapped before execve; must be gone after */
#define HUGE_ARG   (200 * 1024)  /* one argument larger than any argument limit */
#define SMALL_ARGS 64            /* ... and 64 arguments of 64 KiB */
#define FDS_FILE   "/tmp/testexec-fds"
#define TEXT_FILE  "/tmp/testexec-text"

static char *env[5];
static char token_var[80];
static char long_arg[PAGE_ARG + 1];
static char huge[HUGE_ARG + 1];
static char canary[8192];

/* The environment execprobe expects, with this run's grading token if there is one. */
static void make_env(void)
{
	const char *token = getenv("SPARROW_TOKEN");
	env[0] = "PATH=/bin";
	env[1] = "EXECPROBE=a=b=c";
	env[2] = "EMPTY=";
	if (token) {
		snprintf(token_var, sizeof(token_var), "SPARROW_TOKEN=%s", token);
		env[3] = token_var;
	}
}

/* In a child whose execve failed: say so and exit with a status that tells the parent. */
static void __attribute__((noreturn)) exec_failed(const char *path)
{
	printf("testexec: execve(%s) failed, errno %d\n", path, errno);
	exit(100 + errno);
}

/* The letters execprobe expects in a long argument of n bytes. */
static void make_long_arg(size_t n)
{
	for (size_t i = 0; i < n; i++)
		long_arg[i] = (char)('a' + i % 26);
	long_arg[n] = '\0';
}

/* A child that runs execprobe args ... from /tmp, with a page mapped at OLD_PAGE. */
static void probe_args(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		char pidstr[16], ppidstr[16], page[24];
		snprintf(pidstr, sizeof(pidstr), "%d", getpid());
		snprintf(ppidstr, sizeof(ppidstr), "%d", parent);
		snprintf(page, sizeof(page), "%#lx", OLD_PAGE);
		char *p = mmap((void *)OLD_PAGE, 4096, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p != (char *)OLD_PAGE)
			exit(99);
		p[0] = 1;
		make_long_arg(LONG_ARG);
		/* execprobe args PID PPID OLD_PAGE, then the strings of its fixed_args. */
		char *argv[] = { "execprobe", "args", pidstr,      ppidstr,
			         page,        "",     "two words", "tab\tand\nnewline",
			         long_arg,    "last", NULL };
		chdir("/tmp");
		execve(PROBE, argv, env);
		exec_failed(PROBE);
	}
	int status = reap_within(pid, 500);
	check(status == 0,
	      "a child ran execprobe with execve, and it exited with status 0 "
	      "(status %#x)",
	      status);
}

/* A child that runs execprobe long with an argument of PAGE_ARG bytes. */
static void probe_long(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char len[16];
		snprintf(len, sizeof(len), "%d", PAGE_ARG);
		make_long_arg(PAGE_ARG);
		char *argv[] = { "execprobe", "long", len, long_arg, NULL };
		execve(PROBE, argv, env);
		exec_failed(PROBE);
	}
	int status = reap_within(pid, 500);
	check(status == 0, "execprobe ran with an argument of %d bytes (status %#x)", PAGE_ARG,
	      status);
}

/* The error execve(path, argv, envp) returned to this process: errno, or 0 if it returned
 * something else than -1. */
static int exec_error(const char *path, char *const *argv, char *const *envp)
{
	errno = 0;
	return execve(path, argv, envp) == -1 ? errno : 0;
}

static void expect(const char *what, int err, int want)
{
	check(err == want, "execve of %s fails with errno %d (errno %d)", what, want, err);
}

/* Failed execs return to the caller, which goes on with its memory as it was. */
static void failures(void)
{
	char *argv[] = { "x", NULL };
	volatile char stack_canary[4096];

	for (size_t i = 0; i < sizeof(canary); i++)
		canary[i] = stack_canary[i % sizeof(stack_canary)] = (char)(i * 13);

	int fd = open(TEXT_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	static const char text[] = "this is a text file, not a program\n";
	write(fd, text, sizeof(text) - 1);
	close(fd);

	expect("a missing file", exec_error("/bin/nosuchprogram", argv, env), ENOENT);
	expect("a path through a missing directory", exec_error("/nosuch/prog", argv, env), ENOENT);
	expect("a text file", exec_error(TEXT_FILE, argv, env), ENOEXEC);
	expect("an ELF file whose last segment runs past user memory",
	       exec_error("/bin/badelf-wrapseg", argv, env), ENOEXEC);
	expect("a directory", exec_error("/tmp", argv, env), EACCES);
	expect("a bad path pointer", exec_error((const char *)1, argv, env), EFAULT);
	expect("a bad argv pointer", exec_error(PROBE, (char **)1, env), EFAULT);
	char *bad_string[] = { "x", (char *)0xffff800000000000UL, NULL };
	expect("an argv string at a kernel address", exec_error(PROBE, bad_string, env), EFAULT);
	expect("a bad envp pointer", exec_error(PROBE, argv, (char **)0x1000), EFAULT);

	memset(huge, 'h', HUGE_ARG);
	char *one_huge[] = { "x", huge, NULL };
	expect("one argument of 200 KiB", exec_error(PROBE, one_huge, env), E2BIG);
	static char *many[SMALL_ARGS + 2];
	many[0] = "x";
	for (int i = 1; i <= SMALL_ARGS; i++)
		many[i] = huge + HUGE_ARG - 64 * 1024; /* its last 64 KiB */
	expect("64 arguments of 64 KiB", exec_error(PROBE, many, env), E2BIG);

	int bad = 0;
	for (size_t i = 0; i < sizeof(canary); i++)
		bad += canary[i] != (char)(i * 13) ||
		       stack_canary[i % sizeof(stack_canary)] != (char)(i * 13);
	check(bad == 0,
	      "after 11 failed execs the caller's data and stack are intact "
	      "(%d bytes changed)",
	      bad);
	unlink(TEXT_FILE);
}

/* A relative path, and the new image's exit status. */
static void relative(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "execprobe", "exit", "7", NULL };
		chdir("/bin");
		execve("./execprobe", argv, env);
		exec_failed("./execprobe");
	}
	int status = reap_within(pid, 500);
	check(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "execve(\"./execprobe\") from /bin runs it, and its exit status 7 reaches the parent "
	      "(status %#x)",
	      status);
}

/* Close-on-exec: which descriptors the new image gets. */
static void cloexec(void)
{
	int fd = open(FDS_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	close(fd);

	int a = open(FDS_FILE, O_RDONLY | O_CLOEXEC);
	int b = open(FDS_FILE, O_RDONLY);
	lseek(b, 5, SEEK_SET);
	int c = dup(a);
	int d = open(FDS_FILE, O_RDONLY);
	fcntl(d, F_SETFD, FD_CLOEXEC);
	int e = dup3(b, 40, O_CLOEXEC);
	int p[2] = { -1, -1 };
	pipe2(p, O_CLOEXEC);
	int f = open(FDS_FILE, O_RDONLY | O_CLOEXEC);
	fcntl(f, F_SETFD, 0);
	lseek(f, 2, SEEK_SET);
	check(fcntl(a, F_GETFD) == FD_CLOEXEC && fcntl(b, F_GETFD) == 0 && fcntl(c, F_GETFD) == 0 &&
	              fcntl(d, F_GETFD) == FD_CLOEXEC && e == 40 &&
	              fcntl(e, F_GETFD) == FD_CLOEXEC && fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
	              fcntl(p[1], F_GETFD) == FD_CLOEXEC && fcntl(f, F_GETFD) == 0,
	      "F_GETFD shows FD_CLOEXEC as set by O_CLOEXEC, F_SETFD, dup3 and pipe2, and "
	      "cleared on dup's copy");

	pid_t pid = fork();
	if (pid == 0) {
		char specs[8][48];
		snprintf(specs[0], 48, "c:%d:opened with O_CLOEXEC", a);
		snprintf(specs[1], 48, "c:%d:FD_CLOEXEC set by fcntl", d);
		snprintf(specs[2], 48, "c:%d:made by dup3 with O_CLOEXEC", e);
		snprintf(specs[3], 48, "c:%d:a pipe2 O_CLOEXEC read end", p[0]);
		snprintf(specs[4], 48, "c:%d:a pipe2 O_CLOEXEC write end", p[1]);
		snprintf(specs[5], 48, "k:%d:5678:opened without O_CLOEXEC", b);
		snprintf(specs[6], 48, "k:%d:0123:dup of an O_CLOEXEC one", c);
		snprintf(specs[7], 48, "k:%d:2345:FD_CLOEXEC cleared by fcntl", f);
		char *argv[] = { "execprobe", "fds",    specs[0], specs[1], specs[2], specs[3],
			         specs[4],    specs[5], specs[6], specs[7], NULL };
		execve(PROBE, argv, env);
		exec_failed(PROBE);
	}
	int status = reap_within(pid, 500);
	check(status == 0, "execprobe found every descriptor as expected (status %#x)", status);
	close(a);
	close(b);
	close(c);
	close(d);
	close(e);
	close(p[0]);
	close(p[1]);
	close(f);
	unlink(FDS_FILE);
}

int main(void)
{
	check_prefix = "testexec";
	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		check(false, "mkdir /tmp failed, errno %d", errno);
	make_env();
	probe_args();
	probe_long();
	failures();
	relative();
	cloexec();
	verdict("testexec: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
