/*
 * sysinfo(2): overall statistics about the machine, in Linux x86-64's exact layout (so
 * static Linux binaries read it right). Memory sizes are in units of mem_unit bytes;
 * Sparrow counts in frames (mem_unit 4096). Shared by the kernel and user programs.
 */
#ifndef SPARROW_INC_SYSINFO_H
#define SPARROW_INC_SYSINFO_H

#include <types.h>

struct sysinfo {
	long uptime;             /* seconds since boot */
	unsigned long loads[3];  /* load averages (Sparrow: 0) */
	unsigned long totalram;  /* usable memory, in mem_unit units */
	unsigned long freeram;   /* free memory, in mem_unit units */
	unsigned long sharedram; /* (0) */
	unsigned long bufferram; /* (0) */
	unsigned long totalswap; /* (0) */
	unsigned long freeswap;  /* (0) */
	unsigned short procs;    /* processes in the table, zombies included */
	unsigned short pad;
	unsigned long totalhigh;                      /* (0) */
	unsigned long freehigh;                       /* (0) */
	unsigned int mem_unit;                        /* the unit of the memory sizes, in bytes */
	char _f[20 - 2 * sizeof(long) - sizeof(int)]; /* padding: empty on x86-64 */
};

_Static_assert(sizeof(struct sysinfo) == 112, "struct sysinfo must match Linux x86-64");

/* User programs only (lib/user/syscall.c). */
int sysinfo(struct sysinfo *info);

#endif
