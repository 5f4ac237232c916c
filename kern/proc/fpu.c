/*
 * The x87/SSE state of processes (lab 4): fxsave and fxrstor, and the clean state new
 * programs start from.
 */
#include <string.h>
#include "proc/fpu.h"

static uint8_t fpu_initial[FPU_AREA] __attribute__((aligned(16)));

void fpu_init(void)
{
	asm volatile("fninit; fxsave %0" : "=m"(fpu_initial));
}

void fpu_reset(uint8_t area[FPU_AREA])
{
	memcpy(area, fpu_initial, FPU_AREA);
}

void fpu_save(uint8_t area[FPU_AREA])
{
	asm volatile("fxsave (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const uint8_t area[FPU_AREA])
{
	asm volatile("fxrstor (%0)" : : "r"(area) : "memory");
}
