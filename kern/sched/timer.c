/*
 * The timer: the 8254 PIT's channel 0 interrupting HZ times a second on IRQ 0. Each tick
 * wakes the processes sleeping on `ticks` (nanosleep) and ends the time slice of the
 * user process it interrupted. The kernel itself is not preempted: it runs with
 * interrupts off, and the timer only takes the CPU from user code.
 */
#include <x86.h>
#include "dev/pic.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "trap/trap.h"

#define PIT_CH0            0x40
#define PIT_MODE           0x43
#define PIT_HZ             1193182 /* the PIT's input clock */
#define PIT_RATE_GENERATOR 0x34    /* channel 0, low then high byte, mode 2 */

volatile uint64_t ticks;

void timer_init(void)
{
	uint16_t divisor = (PIT_HZ + HZ / 2) / HZ;

	outb(PIT_MODE, PIT_RATE_GENERATOR);
	outb(PIT_CH0, (uint8_t)divisor);
	outb(PIT_CH0, (uint8_t)(divisor >> 8));
	pic_enable(IRQ_TIMER);
}

void timer_interrupt(struct trapframe *tf)
{
	struct proc *p = myproc();

	ticks++;
	wakeup((void *)&ticks);
	if (!p)
		return; /* the scheduler was idle */
	if ((tf->cs & 3) == 3)
		p->utime++;
	else
		p->stime++;
	/* One tick is a whole time slice: user code goes to the back of its queue. */
	if ((tf->cs & 3) == 3 && p->state == PROC_RUNNING)
		yield();
}
