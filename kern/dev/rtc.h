/*
 * The CMOS real-time clock (lab 4, kern/dev/rtc.c): the date and time, read once at boot so
 * that CLOCK_REALTIME tells the time of day.
 */
#ifndef SPARROW_KERN_DEV_RTC_H
#define SPARROW_KERN_DEV_RTC_H

#include <types.h>

/* Seconds since 1970-01-01 00:00 UTC, as the clock says now (QEMU's is UTC). */
uint64_t rtc_read(void);

#endif
