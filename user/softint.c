/* softint: `int $14` from user mode. Vector 14's gate is kernel-only (DPL 0), so the CPU
 * raises a general-protection fault instead of a page fault. */
#include <stdio.h>

int main(void)
{
	printf("softint: raising int $14 from user mode\n");
	asm volatile("int $14");
	printf("softint: survived int $14, which is wrong\n");
	return 0;
}
