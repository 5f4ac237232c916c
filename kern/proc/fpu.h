/*
 * Each process's x87/SSE registers (lab 4). The kernel never uses them itself (it is built
 * with -mgeneral-regs-only), so they need saving only when the CPU changes process.
 */
#ifndef SPARROW_KERN_PROC_FPU_H
#define SPARROW_KERN_PROC_FPU_H

#include <types.h>

#define FPU_AREA 512 /* the fxsave format */

/* At boot: remember a clean state (after fninit, default MXCSR) for new programs. */
void fpu_init(void);
/* Fill area with that clean state. */
void fpu_reset(uint8_t area[FPU_AREA]);
/* Save the CPU's registers into area, and load them from it (16-byte aligned). */
void fpu_save(uint8_t area[FPU_AREA]);
void fpu_restore(const uint8_t area[FPU_AREA]);

#endif
