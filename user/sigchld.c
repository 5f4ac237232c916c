/*
 * sigchld: a parent hears of each child's end by SIGCHLD, with the child's pid, how it
 * ended (CLD_EXITED, CLD_KILLED, CLD_DUMPED), its status and CPU times; by default
 * SIGCHLD is ignored and interrupts nothing; with SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT,
 * children are not left as zombies, and wait fails with ECHILD once they are gone.
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

static volatile int runs, code, status_seen, pid_seen;
static volatile long utime_seen;

static void on_child(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	runs += sig == SIGCHLD;
	code = si->si_code;
	status_seen = si->si_status;
	pid_seen = si->si_pid;
	utime_seen = si->si_utime;
}

/* Fork a child that runs fn; wait for its SIGCHLD with sigsuspend (SIGCHLD blocked until
 * then, so it cannot come before). Its pid. */
static pid_t child_and_signal(void (*fn)(void))
{
	sigset_t chld = 1UL << (SIGCHLD - 1), old;
	sigprocmask(SIG_BLOCK, &chld, &old);
	runs = 0;
	pid_t pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		fn();
		exit(0);
	}
	while (runs == 0)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static void exit3(void)
{
	exit(3);
}

static void die_term(void)
{
	kill(getpid(), SIGTERM);
	for (;;)
		pause();
}

static void die_segv(void)
{
	volatile int *volatile bad = (int *)0x10;
	*bad = 1;
}

/* Spin in user mode until 5 ticks of user time are used. */
static void spin_then_exit(void)
{
	struct tms t;
	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		times(&t);
	} while (t.tms_utime < 5);
}

int main(void)
{
	check_prefix = "sigchld";
	struct sigaction sa = { .sa_sigaction = on_child, .sa_flags = SA_SIGINFO };
	sigaction(SIGCHLD, &sa, NULL);

	pid_t pid = child_and_signal(exit3);
	int status;
	pid_t r = waitpid(pid, &status, 0);
	check(runs == 1 && code == CLD_EXITED && status_seen == 3 && pid_seen == pid && r == pid &&
	              WEXITSTATUS(status) == 3,
	      "a child's exit(3): SIGCHLD with CLD_EXITED, si_status 3, si_pid the child; wait "
	      "then reaps it (code %d, status %d)",
	      code, status_seen);

	pid = child_and_signal(die_term);
	waitpid(pid, &status, 0);
	check(code == CLD_KILLED && status_seen == SIGTERM && pid_seen == pid,
	      "a child killed by SIGTERM: CLD_KILLED, si_status 15 (code %d, status %d)", code,
	      status_seen);

	pid = child_and_signal(die_segv);
	waitpid(pid, &status, 0);
	check(code == CLD_DUMPED && status_seen == SIGSEGV,
	      "a child killed by its own fault: CLD_DUMPED, si_status 11 (code %d, status %d)",
	      code, status_seen);

	pid = child_and_signal(spin_then_exit);
	waitpid(pid, &status, 0);
	check(code == CLD_EXITED && utime_seen >= 5 && utime_seen <= 50,
	      "a child that spun for 5 ticks in user mode: CLD_EXITED, si_utime counts them "
	      "(%ld)",
	      utime_seen);

	/* The default: ignored, and nothing is interrupted. */
	signal(SIGCHLD, SIG_DFL);
	int p[2];
	pipe(p);
	pid_t quick = fork();
	if (quick == 0)
		exit(0);
	pid_t writer = fork();
	if (writer == 0) {
		sleep_ticks(20);
		write(p[1], "w", 1);
		exit(0);
	}
	char c = 0;
	errno = 0;
	ssize_t n = read(p[0], &c, 1);
	check(n == 1 && c == 'w',
	      "by default SIGCHLD is ignored: a read the parent waits in is not interrupted when "
	      "a child exits (%ld, errno %d)",
	      n, errno);
	waitpid(quick, NULL, 0);
	waitpid(writer, NULL, 0);
	close(p[0]);
	close(p[1]);

	/* Ignored explicitly: no zombies. */
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		exit(7);
	errno = 0;
	r = waitpid(pid, &status, 0);
	check(r == -1 && errno == ECHILD,
	      "with SIGCHLD set to SIG_IGN, a child leaves no zombie: waitpid waits for it to end, "
	      "then fails with ECHILD (%d, errno %d)",
	      r, errno);

	struct sigaction nowait = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
	sigaction(SIGCHLD, &nowait, NULL);
	pid = fork();
	if (pid == 0)
		exit(0);
	errno = 0;
	r = wait(&status);
	check(r == -1 && errno == ECHILD, "SA_NOCLDWAIT does the same (%d, errno %d)", r, errno);
	signal(SIGCHLD, SIG_DFL);

	verdict("sigchld: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
