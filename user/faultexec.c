/* faultexec: copies a `ret` instruction onto its stack and calls it. The stack is mapped
 * no-execute, so the CPU must refuse the instruction fetch. */
#include <stdio.h>

int main(void)
{
	volatile unsigned char code[16] = { 0xc3 }; /* ret */
	void (*fn)(void) = (void (*)(void))code;

	printf("faultexec: calling code on the stack at %p\n", (void *)code);
	fn();
	printf("faultexec: the stack is executable, which is wrong\n");
	return 0;
}
