/* faultreadkernel: reads kernel memory (the kernel image, through the direct map), which is
 * mapped but not user-accessible. */
#include <stdio.h>

int main(void)
{
	printf("faultreadkernel: reading the kernel image in the direct map at "
	       "0xffff800000100000\n");
	printf("faultreadkernel: read %x, which is wrong\n",
	       *(volatile unsigned *)0xffff800000100000UL);
	return 0;
}
