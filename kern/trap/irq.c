/*
 * Hardware interrupts, IRQ 0-15 from the PIC on vectors 32-47. A driver registers a
 * handler for its line (lab 3: the serial port's input; lab 4: the timer), which unmasks
 * it. A spurious interrupt (IRQ 7 or 15 that no device raised) is counted and ignored.
 */
#include "core/printk.h"
#include "dev/pic.h"
#include "trap/trap.h"

static void (*handlers[NIRQS])(struct trapframe *tf);
unsigned long irq_counts[NIRQS]; /* interrupts handled, per line */
unsigned long irq_spurious;      /* spurious ones ignored */

void irq_register(int irq, void (*handler)(struct trapframe *tf))
{
	handlers[irq] = handler;
	pic_enable(irq);
}

/*
 * IRQ 7 (and 15, on the slave) is what a PIC raises when a line drops before the CPU
 * acknowledges it: a spurious interrupt. The PIC then has no interrupt in service on that
 * line, and must not be told one ended: an end-of-interrupt would end another (lower)
 * one still in service. For 15, the master did see its cascade line, so it gets one.
 */
static bool spurious(int irq)
{
	if (irq != 7 && irq != 15)
		return false;
	if (pic_in_service() & (1u << irq))
		return false;
	if (irq == 15)
		pic_eoi(2);
	irq_spurious++;
	return true;
}

void irq_handler(struct trapframe *tf)
{
	int irq = (int)tf->trapno - T_IRQ0;

	if (spurious(irq))
		return;
	pic_eoi(irq);
	irq_counts[irq]++;
	if (handlers[irq])
		handlers[irq](tf);
}
