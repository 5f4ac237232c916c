/*
 * The scheduler trace (lab 4): with the kernel option schedtrace, every change of a
 * process's state is recorded with the time-stamp counter and printed over the console at
 * power-off, where tools/timeline.py (make timeline) checks it and draws the timeline.
 */
#ifndef SPARROW_KERN_SCHED_TRACE_H
#define SPARROW_KERN_SCHED_TRACE_H

/* At boot: with schedtrace on the command line, take the buffer and start recording. */
void trace_init(void);

#endif
