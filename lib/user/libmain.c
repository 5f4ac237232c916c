/*
 * User-program start-up: find argc, argv, envp and the auxiliary vector on the initial
 * stack, then run main and exit with its return value.
 */
#include <types.h>
#include <stdlib.h>
#include <unistd.h>
#include <auxv.h>

char **environ;
const uint64_t *__auxv;    /* the auxiliary vector: (type, value) pairs up to AT_NULL */
uintptr_t __initial_stack; /* %rsp at _start, for programs that check the ABI */

int main(int argc, char **argv, char **envp);

void __libc_start(uint64_t *sp) __attribute__((noreturn));

void __libc_start(uint64_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	__auxv = (const uint64_t *)(p + 1);
	__initial_stack = (uintptr_t)sp;
	environ = envp;
	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	for (const uint64_t *a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
