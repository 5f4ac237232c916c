/*
 * The kernel monitor's memory commands (lab 2), listed in kern/monitor/monitor.c.
 */
#ifndef SPARROW_KERN_MONITOR_MON_MM_H
#define SPARROW_KERN_MONITOR_MON_MM_H

struct trapframe;

int mon_showmappings(int argc, char **argv, struct trapframe *tf);
int mon_pt(int argc, char **argv, struct trapframe *tf);
int mon_meminfo(int argc, char **argv, struct trapframe *tf);

#endif
