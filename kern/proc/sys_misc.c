/*
 * System calls about the whole system: sysinfo (lab 4) and reboot (power off).
 */
#include <errno.h>
#include <string.h>
#include <sysinfo.h>
#include "dev/qemu.h"
#include "mm/page.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"
#include "sched/sched.h"

#define REBOOT_MAGIC1        0xfee1dead
#define REBOOT_MAGIC2        672274793
#define REBOOT_CMD_POWER_OFF 0x4321fedc

long sys_sysinfo(const long a[6])
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ticks / HZ);
	si.totalram = page_usable_count();
	si.freeram = page_free_count();
	si.mem_unit = PGSIZE;
	for (int i = 0; i < NPROC; i++)
		si.procs += procs[i].state != PROC_UNUSED;
	return copy_to_user((uintptr_t)a[0], &si, sizeof(si));
}

long sys_reboot(const long a[6])
{
	if ((unsigned long)a[0] != REBOOT_MAGIC1 || a[1] != REBOOT_MAGIC2)
		return -EINVAL;
	if (a[2] != REBOOT_CMD_POWER_OFF)
		return -EINVAL;
	qemu_poweroff();
}
