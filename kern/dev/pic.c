/*
 * 8259A programmable interrupt controllers. The BIOS leaves IRQs 0-7 on vectors 8-15, where
 * the CPU's own exceptions are, so the kernel reprograms both chips with the four
 * initialization command words and then masks every line until a driver enables one.
 */
#include <x86.h>
#include "dev/pic.h"

#define PIC1_CMD      0x20
#define PIC1_DATA     0x21
#define PIC2_CMD      0xA0
#define PIC2_DATA     0xA1
#define ICW1_INIT     0x11 /* initialization, edge triggered, cascade, ICW4 follows */
#define ICW4_8086     0x01
#define PIC_EOI       0x20
#define OCW3_READ_ISR 0x0B /* the next read of the command port returns the in-service bits */

static uint16_t mask = 0xFFFF; /* bit set: line masked; bit 2 is the slave's cascade */

static void write_mask(void)
{
	outb(PIC1_DATA, (uint8_t)mask);
	outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

void pic_init(void)
{
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
	outb(PIC1_CMD, ICW1_INIT);
	outb(PIC2_CMD, ICW1_INIT);
	outb(PIC1_DATA, IRQ_BASE);     /* ICW2: master vectors 32-39 */
	outb(PIC2_DATA, IRQ_BASE + 8); /* ICW2: slave vectors 40-47 */
	outb(PIC1_DATA, 1 << 2);       /* ICW3: slave on master's line 2 */
	outb(PIC2_DATA, 2);            /* ICW3: slave's cascade identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	mask = 0xFFFF & ~(1 << 2); /* everything masked but the cascade line */
	write_mask();
}

void pic_enable(int irq)
{
	mask &= (uint16_t) ~(1u << irq);
	write_mask();
}

uint16_t pic_in_service(void)
{
	outb(PIC1_CMD, OCW3_READ_ISR);
	outb(PIC2_CMD, OCW3_READ_ISR);
	return (uint16_t)(inb(PIC1_CMD) | inb(PIC2_CMD) << 8);
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}
