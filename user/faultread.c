/* faultread: reads address 0, which is never mapped. */
#include <stdio.h>

int main(void)
{
	printf("faultread: reading address 0\n");
	printf("faultread: read %x, which is wrong\n", *(volatile unsigned *)0);
	return 0;
}
