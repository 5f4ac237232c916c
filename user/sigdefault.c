/*
 * sigdefault: the default actions. A child killed by each signal whose default is to
 * terminate is reported with that WTERMSIG, with WCOREDUMP for those that dump core; the
 * signals whose default is to ignore leave a child alone, even one sleeping in pause; a
 * blocked signal kills when unblocked; SIGKILL can be neither caught, blocked nor ignored,
 * and kills a child sleeping in a system call at once.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

/* A child that waits in pause() forever, started and ready (it said so on a pipe). */
static pid_t sleeper(sigset_t block)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &block, NULL);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	char c;
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

static const int terminate[] = { SIGHUP,    SIGINT,    SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2,
	                         SIGSTKFLT, SIGVTALRM, SIGPROF, SIGIO,   SIGPWR,  40,      64 };
static const int core[] = { SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
	                    SIGFPE,  SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS };
static const int ignore[] = { SIGCHLD, SIGURG, SIGWINCH, SIGCONT };

static void terminating(void)
{
	int good = 0, n = 0;
	char bad[128] = "";
	for (size_t i = 0; i < ARRAY_SIZE(terminate); i++, n++) {
		pid_t pid = sleeper(0);
		kill(pid, terminate[i]);
		int status = reap_within(pid, 500);
		if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == terminate[i] &&
		    !WCOREDUMP(status))
			good++;
		else
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " %d:%#x",
			         terminate[i], status);
	}
	check(good == n,
	      "each of %d signals that terminate kills a child in pause: WTERMSIG is the signal, "
	      "no core (wrong:%s)",
	      n, bad);

	good = n = 0;
	bad[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(core); i++, n++) {
		pid_t pid = sleeper(0);
		kill(pid, core[i]);
		int status = reap_within(pid, 500);
		if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == core[i] &&
		    WCOREDUMP(status))
			good++;
		else
			snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), " %d:%#x", core[i],
			         status);
	}
	check(good == n,
	      "each of %d signals that dump core kills with WTERMSIG the signal and WCOREDUMP "
	      "(wrong:%s)",
	      n, bad);
}

static void ignoring(void)
{
	pid_t pid = sleeper(0);
	for (size_t i = 0; i < ARRAY_SIZE(ignore); i++)
		kill(pid, ignore[i]);
	int status;
	sleep_ticks(5);
	pid_t r = waitpid(pid, &status, WNOHANG);
	kill(pid, SIGTERM);
	status = reap_within(pid, 500);
	check(r == 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	      "SIGCHLD, SIGURG, SIGWINCH and SIGCONT leave a child in pause alone; SIGTERM then "
	      "ends it (%d, %#x)",
	      r, status);
}

static void blocked(void)
{
	sigset_t term = 1UL << (SIGTERM - 1);
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_BLOCK, &term, NULL);
		kill(getpid(), SIGTERM);
		write(p[1], "b", 1); /* still alive, SIGTERM pending */
		sigset_t none = 0;
		sigprocmask(SIG_SETMASK, &none, NULL);
		write(p[1], "x", 1); /* not reached */
		exit(0);
	}
	close(p[1]);
	char buf[4] = "";
	ssize_t n = read(p[0], buf, sizeof(buf));
	ssize_t more = read(p[0], buf + 1, 1);
	int status = reap_within(pid, 500);
	close(p[0]);
	check(n == 1 && buf[0] == 'b' && more == 0 && WIFSIGNALED(status) &&
	              WTERMSIG(status) == SIGTERM,
	      "a blocked SIGTERM waits; unblocking it kills the process inside sigprocmask "
	      "(read %ld, %ld; status %#x)",
	      n, more, status);
}

static void sigkill(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	errno = 0;
	int r1 = sigaction(SIGKILL, &sa, NULL);
	int e1 = errno;
	errno = 0;
	int r2 = sigaction(SIGSTOP, &sa, NULL);
	check(r1 == -1 && e1 == EINVAL && r2 == -1 && errno == EINVAL,
	      "sigaction(SIGKILL) and sigaction(SIGSTOP) fail with EINVAL");

	int ready[2], never[2];
	pipe(ready);
	pipe(never);
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t all = ~0UL;
		sigprocmask(SIG_SETMASK, &all, NULL);
		for (int s = 1; s <= NSIG; s++)
			signal(s, SIG_IGN);
		write(ready[1], "r", 1);
		char c;
		read(never[0], &c, 1); /* blocks: nobody writes */
		exit(0);
	}
	char c;
	read(ready[0], &c, 1);
	kill(pid, SIGKILL);
	int status = reap_within(pid, 500);
	close(ready[0]);
	close(ready[1]);
	close(never[0]);
	close(never[1]);
	check(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	      "SIGKILL kills a child that blocks and ignores every signal, asleep in a pipe read "
	      "(%#x)",
	      status);
}

int main(void)
{
	check_prefix = "sigdefault";
	terminating();
	ignoring();
	blocked();
	sigkill();
	verdict("sigdefault: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
