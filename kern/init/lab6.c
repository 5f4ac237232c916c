/*
 * Lab 6's bring-up: signals (misaligned accesses fault, for SIGBUS).
 */
#include "init/init.h"
#include "proc/signal.h"

LAB_INIT(6, signal_init);
