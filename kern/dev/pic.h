/*
 * The legacy 8259A interrupt controllers (master and slave PIC): remapped so hardware
 * interrupts use vectors 32-47 instead of colliding with the CPU's exceptions.
 */
#ifndef SPARROW_KERN_DEV_PIC_H
#define SPARROW_KERN_DEV_PIC_H

#include <types.h>

#define IRQ_BASE  32 /* vector of IRQ 0 */
#define IRQ_TIMER 0
#define IRQ_KBD   1
#define IRQ_COM1  4
#define NIRQS     16

/* Remap both PICs to IRQ_BASE and mask every line. */
void pic_init(void);
/* Unmask (enable) one IRQ line. */
void pic_enable(int irq);
/* The lines whose interrupt the CPU took and has not ended (the ISRs, slave's in bits 8-15). */
uint16_t pic_in_service(void);
/* Tell the PIC(s) the handler for irq is done. */
void pic_eoi(int irq);

#endif
