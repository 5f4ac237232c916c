/*
 * faultstatus: a process killed by a fault gets the fault's signal in its wait status,
 * and its parent goes on. Children read address 0 and write to their own code (SIGSEGV),
 * divide by zero (SIGFPE), execute ud2 (SIGILL) and hlt (a general protection fault:
 * SIGSEGV).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

static void read_null(void)
{
	volatile int *p = NULL;
	(void)*p;
}

static void write_code(void)
{
	*(volatile unsigned char *)(uintptr_t)read_null = 0xc3;
}

static volatile int zero, one = 1; /* volatile: the compiler cannot see the zero coming */

static void divide_by_zero(void)
{
	volatile int x = one / zero;
	(void)x;
}

static void invalid_opcode(void)
{
	asm volatile("ud2");
}

static void privileged(void)
{
	asm volatile("hlt");
}

static const struct {
	const char *what;
	void (*fn)(void);
	int sig;
} cases[] = {
	{ "reads address 0", read_null, SIGSEGV },
	{ "writes to its code", write_code, SIGSEGV },
	{ "divides by zero", divide_by_zero, SIGFPE },
	{ "executes ud2", invalid_opcode, SIGILL },
	{ "executes hlt", privileged, SIGSEGV },
};

int main(void)
{
	int failures = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t pid = fork();
		if (pid == 0) {
			cases[i].fn();
			verdict("faultstatus: a child that %s survived: FAIL", cases[i].what);
			exit(0);
		}
		int status = 0;
		pid_t r = pid < 0 ? -1 : waitpid(pid, &status, 0);
		bool ok = r == pid && pid > 0 && WIFSIGNALED(status) &&
		          WTERMSIG(status) == cases[i].sig;
		failures += !ok;
		verdict("faultstatus: a child that %s is killed by signal %d (status %#x, pid %d): "
		        "%s",
		        cases[i].what, cases[i].sig, status, pid, ok ? "OK" : "FAIL");
	}
	verdict("faultstatus: %s", failures ? "FAIL" : "all checks OK");
	return failures ? 1 : 0;
}
