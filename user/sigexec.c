/*
 * sigexec: dispositions across fork and exec. A child inherits its parent's handlers,
 * ignored signals, mask and alternate stack, but not its pending signals. execve resets
 * handled signals to SIG_DFL, keeps ignored ones ignored, keeps the mask and the pending
 * signals, drops the alternate stack and the handlers' flags, and keeps the alarm.
 *
 *	sigexec            the test; it runs `sigexec after` in a child with execve
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

#define BIT(sig) (1UL << ((sig)-1))

static volatile int runs;
static char alt[16384];

static void on_usr1(int sig)
{
	runs += sig == SIGUSR1;
}

static void after_exec(void)
{
	struct sigaction a1, a2, a3;
	sigaction(SIGUSR1, NULL, &a1);
	sigaction(SIGUSR2, NULL, &a2);
	sigaction(SIGHUP, NULL, &a3);
	check(a1.sa_handler == SIG_DFL && a1.sa_flags == 0,
	      "after execve a handled signal is back to SIG_DFL, its flags cleared (flags %#lx)",
	      a1.sa_flags);
	check(a2.sa_handler == SIG_IGN, "an ignored one is still ignored");
	check(a3.sa_handler == SIG_DFL, "and a default one stays default");
	sigset_t mask, pend = 0;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pend);
	check(mask == (BIT(SIGTERM) | BIT(SIGHUP)), "the mask is kept (%#lx)", mask);
	check(pend == BIT(SIGHUP), "a pending signal is still pending (%#lx)", pend);
	stack_t ss;
	sigaltstack(NULL, &ss);
	check(ss.ss_flags == SS_DISABLE, "the alternate stack is gone");
	struct itimerval it;
	getitimer(ITIMER_REAL, &it);
	check(it.it_value.tv_sec > 50, "the alarm still runs (%ld s left)", it.it_value.tv_sec);
	alarm(0);
	sigset_t none = 0;
	sigprocmask(SIG_SETMASK, &none, NULL); /* SIGHUP's default action: die */
	verdict("sigexec: not reached: the pending SIGHUP should have ended the program");
	exit(1);
}

int main(int argc, char **argv)
{
	check_prefix = "sigexec";
	if (argc > 1 && strcmp(argv[1], "after") == 0)
		after_exec();

	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART | SA_ONSTACK };
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	sigset_t mask = BIT(SIGTERM);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	sigaltstack(&ss, NULL);
	kill(getpid(), SIGTERM); /* pending in the parent */

	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		runs = 0;
		raise(SIGUSR1);
		raise(SIGUSR2);
		sigset_t m, pend = 0;
		sigprocmask(SIG_BLOCK, NULL, &m);
		sigpending(&pend);
		stack_t s;
		sigaltstack(NULL, &s);
		char r[5] = { runs == 1 ? 'h' : '-', m == BIT(SIGTERM) ? 'm' : '-',
			      pend == 0 ? 'p' : '-', s.ss_sp == alt ? 's' : '-', 0 };
		write(p[1], r, 4);
		exit(0);
	}
	char r[5] = "";
	read(p[0], r, 4);
	waitpid(pid, NULL, 0);
	check(r[0] == 'h', "a forked child inherits the handler: raise runs it (%s)", r);
	check(r[1] == 'm', "and the mask");
	check(r[2] == 'p', "but not the parent's pending SIGTERM");
	check(r[3] == 's', "and the alternate stack");

	pid = fork();
	if (pid == 0) {
		alarm(100);
		sigset_t m = BIT(SIGTERM) | BIT(SIGHUP);
		sigprocmask(SIG_SETMASK, &m, NULL);
		raise(SIGHUP);
		char *args[] = { "sigexec", "after", NULL };
		execve("/bin/sigexec", args, environ);
		exit(127);
	}
	int status = reap_within(pid, 500);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP,
	      "the new image, unblocking the SIGHUP pending since before execve, dies of it "
	      "(status %#x)",
	      status);

	verdict("sigexec: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
