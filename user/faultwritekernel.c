/* faultwritekernel: writes kernel memory (the kernel image, through the direct map), which
 * is mapped but not user-accessible. */
#include <stdio.h>

int main(void)
{
	printf("faultwritekernel: writing the kernel image in the direct map at "
	       "0xffff800000100000\n");
	*(volatile unsigned *)0xffff800000100000UL = 0xdead;
	printf("faultwritekernel: survived, which is wrong\n");
	return 0;
}
