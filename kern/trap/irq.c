/*
 * Hardware interrupts, IRQ 0-15 from the PIC on vectors 32-47. In lab 3 every line is
 * masked, so only a spurious interrupt can arrive; lab 4 handles the timer here.
 */
#include "dev/pic.h"
#include "trap/trap.h"
#if LAB >= 4
#include "sched/sched.h"
#endif

void irq_handler(struct trapframe *tf)
{
	int irq = (int)tf->trapno - T_IRQ0;

	pic_eoi(irq);
#if LAB >= 4
	if (irq == IRQ_TIMER)
		timer_interrupt(tf);
#endif
}
