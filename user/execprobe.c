/*
 * execprobe: what testexec and leaks execve. Its first argument says what to check in the
 * new image: `args` argv, envp, identity and initial stack; `long N S` one argument of N
 * bytes; `fds` which descriptors survived (verdict lines say); `exit N` exits with N.
 */
#include <auxv.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define LONG_ARG 3000 /* the length of args' long argument */

extern const struct elf64_ehdr __ehdr_start; /* the linker puts the ELF header here */
extern uintptr_t __initial_stack;            /* %rsp at _start (lib/user/libmain.c) */
void _start(void);

static char bss_marker[4096]; /* in the bss, which the heap follows */

/* argv as testexec passes it: execprobe args PID PPID OLD_PAGE, then these. */
static const char *const fixed_args[] = { "", "two words", "tab\tand\nnewline", NULL /* long */,
	                                  "last" };
static const char *const fixed_env[] = { "PATH=/bin", "EXECPROBE=a=b=c", "EMPTY=" };

/* Is s the long argument testexec makes: n letters a, b, ... z, a, ...? */
static bool is_long_arg(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] != 'a' + (char)(i % 26))
			return false;
	return true;
}

/* Does reading addr kill a child with SIGSEGV? */
static bool unmapped(uintptr_t addr)
{
	pid_t pid = fork();
	if (pid == 0) {
		(void)*(volatile char *)addr;
		exit(0);
	}
	int status = 0;
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	       WTERMSIG(status) == SIGSEGV;
}

static void args(int argc, char **argv, char **envp)
{
	int want_argc = 5 + (int)ARRAY_SIZE(fixed_args);
	bool same = argc == want_argc && argv[argc] == NULL;
	for (int i = 0; same && i < (int)ARRAY_SIZE(fixed_args); i++)
		same = fixed_args[i] ? strcmp(argv[5 + i], fixed_args[i]) == 0
		                     : is_long_arg(argv[5 + i], LONG_ARG);
	check(same,
	      "argv arrived intact: %d strings, the empty one, spaces, tab, newline and one of %d "
	      "bytes included (argc %d)",
	      want_argc, LONG_ARG, argc);

	int envc = 0;
	while (envp[envc])
		envc++;
	const char *token = getenv("SPARROW_TOKEN");
	int want_envc = (int)ARRAY_SIZE(fixed_env) + (token != NULL);
	same = envc == want_envc && envp == argv + argc + 1;
	for (int i = 0; same && i < (int)ARRAY_SIZE(fixed_env); i++)
		same = strcmp(envp[i], fixed_env[i]) == 0;
	check(same,
	      "envp arrived intact right after argv: PATH=/bin EXECPROBE=a=b=c EMPTY= "
	      "(%d strings)",
	      envc);
	const char *v = getenv("EXECPROBE");
	check(v && strcmp(v, "a=b=c") == 0, "getenv(\"EXECPROBE\") is 'a=b=c'");

	check(getpid() == atoi(argv[2]) && getppid() == atoi(argv[3]),
	      "the pid (%d) and parent pid (%d) are the ones before execve", getpid(), getppid());
	char cwd[64];
	check(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp") == 0,
	      "the working directory, /tmp, survived execve");

	uintptr_t sp = __initial_stack;
	check(sp % 16 == 0 && *(long *)sp == argc, "the stack at _start is 16-byte aligned and "
	                                           "starts with argc");
	const struct elf64_ehdr *eh = &__ehdr_start;
	check(getauxval(AT_PHDR) == (uintptr_t)eh + eh->e_phoff &&
	              getauxval(AT_PHNUM) == eh->e_phnum &&
	              getauxval(AT_PHENT) == sizeof(struct elf64_phdr),
	      "AT_PHDR, AT_PHNUM and AT_PHENT describe this program's headers");
	check(getauxval(AT_ENTRY) == (uintptr_t)_start && getauxval(AT_PAGESZ) == 4096,
	      "AT_ENTRY is _start and AT_PAGESZ 4096");
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	int zeros = 0;
	bool on_stack = (uintptr_t)rnd > sp && (uintptr_t)rnd < 0x800000000000UL;
	for (int i = 0; on_stack && i < 16; i++)
		zeros += rnd[i] == 0;
	check(on_stack && zeros < 16, "AT_RANDOM points at 16 bytes on the stack, not all zero");

	uintptr_t brk = (uintptr_t)raw_syscall(SYS_brk, 0, 0, 0, 0, 0, 0);
	uintptr_t end = (uintptr_t)(bss_marker + sizeof(bss_marker));
	bss_marker[0] = 1;
	check(brk >= end && brk < end + (1 << 20),
	      "the heap starts afresh after this program's bss (brk %#lx)", brk);
	uintptr_t old_page = strtoul(argv[4], NULL, 16);
	check(unmapped(old_page), "a page the old program had mapped at %#lx is gone", old_page);
}

/* Each argument: "c:FD:what" (FD must be closed) or "k:FD:TEXT:what" (FD must be open on a
 * regular file, reading TEXT at its offset). */
static void fds(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		char kind = argv[i][0];
		char *rest;
		int fd = (int)strtol(argv[i] + 2, &rest, 10);
		struct stat st;
		errno = 0;
		int r = fstat(fd, &st);
		if (kind == 'c') {
			check(r == -1 && errno == EBADF,
			      "descriptor %d "
			      "(%s) is closed in the new image: fstat fails with EBADF",
			      fd, rest + 1);
			continue;
		}
		char *text = rest + 1, *what = strchr(text, ':');
		char got[16] = { 0 };
		if (!what || what - text > (long)sizeof(got)) {
			check(false, "bad argument '%s'", argv[i]);
			continue;
		}
		size_t n = (size_t)(what - text);
		ssize_t got_n = read(fd, got, n);
		check(r == 0 && S_ISREG(st.st_mode) && got_n == (ssize_t)n &&
		              memcmp(got, text, n) == 0,
		      "descriptor %d "
		      "(%s) is still open: a regular file, reading '%.*s' at its offset",
		      fd, what + 1, (int)n, text);
	}
}

int main(int argc, char **argv, char **envp)
{
	check_prefix = "execprobe";
	if (argc >= 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "args") == 0) {
		args(argc, argv, envp);
	} else if (argc == 4 && strcmp(argv[1], "long") == 0) {
		size_t n = strtoul(argv[2], NULL, 10);
		check(is_long_arg(argv[3], n),
		      "an argument of %zu bytes, more than a page, arrived intact", n);
	} else if (argc >= 2 && strcmp(argv[1], "fds") == 0)
		fds(argc, argv);
	else
		check(false, "usage: execprobe args|long|fds|exit ...");
	return check_failures ? 1 : 0;
}
