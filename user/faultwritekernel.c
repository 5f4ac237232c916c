/* faultwritekernel: writes kernel memory, which is mapped but not user-accessible. */
#include <stdio.h>

int main(void)
{
	printf("faultwritekernel: writing kernel text at 0xffffffff80100000\n");
	*(volatile unsigned *)0xffffffff80100000UL = 0xdead;
	printf("faultwritekernel: survived, which is wrong\n");
	return 0;
}
