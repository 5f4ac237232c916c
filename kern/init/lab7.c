/*
 * Lab 7's bring-up: the reaper, the kernel thread that frees exited threads, starts once
 * init has pid 1.
 */
#include "init/init.h"
#include "sched/reaper.h"

static void lab7_init(void)
{
	init_started_hook = reaper_start;
}

LAB_INIT(7, lab7_init);
