/* argv: checks the initial stack the kernel built: argc, argv, envp, the auxiliary vector
 * (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_RANDOM) and 16-byte alignment. */
#include <auxv.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <verdict.h>

extern const struct elf64_ehdr __ehdr_start; /* the linker places the ELF header here */
extern uintptr_t __initial_stack;
void _start(void);

static int failures;

static void check_value(const char *what, bool ok, unsigned long got)
{
	if (!ok)
		failures++;
	verdict("argv: %s: %s", what, ok ? "OK" : "FAIL");
	if (!ok)
		printf("argv:   (the value was %#lx)\n", got);
}

int main(int argc, char **argv, char **envp)
{
	uintptr_t sp = __initial_stack;

	verdict("argv: argc %d", argc);
	for (int i = 0; i < argc; i++)
		verdict("argv: argv[%d] = '%s'", i, argv[i]);
	check_value("argv[argc] is NULL", argv[argc] == NULL, (unsigned long)argv[argc]);
	check_value("stack 16-byte aligned at _start", sp % 16 == 0, sp);
	check_value("argc is the first word on the stack", *(long *)sp == argc, *(long *)sp);
	check_value("argv strings above the vectors", argc == 0 || (uintptr_t)argv[0] > sp,
	            (unsigned long)argv[0]);

	int nenv = 0;
	for (char **e = envp; *e; e++)
		nenv++;
	check_value("envp follows argv", envp == argv + argc + 1, (unsigned long)envp);
	check_value("PATH in the environment", getenv("PATH") != NULL, 0);

	const struct elf64_ehdr *eh = &__ehdr_start;
	check_value("AT_PAGESZ is 4096", getauxval(AT_PAGESZ) == 4096, getauxval(AT_PAGESZ));
	check_value("AT_PHENT is 56", getauxval(AT_PHENT) == sizeof(struct elf64_phdr),
	            getauxval(AT_PHENT));
	check_value("AT_PHNUM matches the ELF header", getauxval(AT_PHNUM) == eh->e_phnum,
	            getauxval(AT_PHNUM));
	check_value("AT_PHDR points at the program headers",
	            getauxval(AT_PHDR) == (uintptr_t)eh + eh->e_phoff, getauxval(AT_PHDR));
	check_value("AT_ENTRY is _start", getauxval(AT_ENTRY) == (uintptr_t)_start,
	            getauxval(AT_ENTRY));

	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	bool rnd_on_stack = (uintptr_t)rnd > sp && (uintptr_t)rnd < 0x800000000000UL;
	check_value("AT_RANDOM points into the stack", rnd_on_stack, (unsigned long)rnd);
	if (rnd_on_stack) {
		char hex[40];
		int zero = 0;
		for (int i = 0; i < 16; i++) {
			snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
			zero += rnd[i] == 0;
		}
		check_value("AT_RANDOM bytes are not all zero", zero < 16, 0);
		verdict("argv: AT_RANDOM bytes %s", hex);
	}
	verdict("argv: %d environment strings, %s", nenv, failures ? "FAIL" : "all checks OK");
	return 0;
}
