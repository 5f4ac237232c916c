# Checkpoint 3: user processes. Traps from user mode, system calls with syscall/sysret,
# the initial ramdisk, the ELF loader, the initial user stack and checked user copies.
# One program runs at a time; it is named by the init= option or the monitor's run command.

KERN_SRCS += \
	kern/init/lab3.c \
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
	kern/monitor/memview_proc.c \
	lib/errname.c

# Poisoning costs thousands of instructions per page once processes come and go: off from
# here on (lab 2 had it on); `make CMDLINE=poison=1 ...` turns it on for a run.
LAB_CMDLINE := $(filter-out poison=1,$(LAB_CMDLINE))

USER_PROGS += fuzzsys hello divzero softint badsegment faultread faultwrite faultreadkernel \
	faultwritekernel faultexec breakpoint testbss buggyhello evilhello badsyscall argv

# The user library the programs link with.
# lib/user/ is the user-only C library; lib/ itself holds what the kernel shares with it.
ULIB_SRCS += lib/user/crt0.S lib/user/libmain.c lib/user/syscall.c lib/user/ustdio.c \
	lib/user/stdlib.c lib/user/verdict.c lib/errname.c lib/printfmt.c lib/string.c

# The lab plan (tools/labplan.py): the other files this lab introduces, and those whose
# instructors' copy is used when it (or a later lab) is graded, besides the programs.
LAB_FILES += kern/core/cpu.h kern/core/random.h kern/dev/pic.h kern/mm/uvm.h kern/fs/cpio.h \
	kern/fs/initrd.h kern/fs/file.h kern/fs/fdtable.h kern/fs/devices.h kern/proc/elf.h \
	kern/proc/exec.h kern/proc/proc.h kern/proc/uaccess.h kern/proc/usertrap.h kern/sys/exec.h \
	kern/sys/exit.h kern/sys/files.h kern/sys/syscall.h \
	inc/fcntl.h inc/poll.h inc/ioctl.h inc/limits.h inc/mman.h inc/auxv.h inc/signal.h inc/stdlib.h inc/syscall.h inc/unistd.h inc/verdict.h \
	lib/user/usyscall.h user/user.ld grade/lab3.py docs/lab3.md docs/syscalls.md \
	tests/host/run_loader.sh tests/host/test_loader.c tests/host/tiny.S \
	tools/mkinitrd.py tools/mkbadelf.py tools/syscall-names.py
OFFICIAL_FILES += user/user.ld inc/verdict.h lib/user/verdict.c
