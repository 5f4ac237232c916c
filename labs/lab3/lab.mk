# Checkpoint 3: user processes. Traps from user mode, system calls with syscall/sysret,
# the initial ramdisk, the ELF loader, the initial user stack and checked user copies.
# One program runs at a time; it is named by the init= option or the monitor's run command.

KERN_SRCS += \
	kern/core/cpu.c \
	kern/core/random.c \
	kern/trap/syscall_entry.S \
	kern/trap/irq.c \
	kern/dev/pic.c \
	kern/mm/uvm.c \
	kern/fs/cpio.c \
	kern/fs/initrd.c \
	kern/fs/file.c \
	kern/fs/fdtable.c \
	kern/fs/devices.c \
	kern/proc/elf.c \
	kern/proc/exec.c \
	kern/proc/proc.c \
	kern/proc/swtch.S \
	kern/proc/uaccess.c \
	kern/proc/usertrap.c \
	kern/sys/syscall.c \
	kern/sys/syscall_names.c \
	kern/sys/sys_rw.c \
	kern/sys/sys_proc.c \
	kern/sys/exit.c \
	kern/sys/exec.c \
	kern/monitor/mon_proc.c \
	lib/errname.c

USER_PROGS += fuzzsys hello divzero softint badsegment faultread faultwrite faultreadkernel \
	faultwritekernel faultexec breakpoint testbss buggyhello evilhello badsyscall argv
