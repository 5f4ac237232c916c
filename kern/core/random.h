/*
 * Random bytes for AT_RANDOM and getrandom(): RDRAND when the CPU has it, otherwise a
 * mix of the time-stamp counter (good enough to differ from run to run, not for secrets).
 */
#ifndef SPARROW_KERN_CORE_RANDOM_H
#define SPARROW_KERN_CORE_RANDOM_H

#include <types.h>

void random_bytes(void *buf, size_t n);

#endif
