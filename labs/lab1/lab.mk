# Checkpoint 1: booting. GRUB2 to long mode, the serial and VGA consoles, printk, the
# boot information, backtraces with symbols, and the kernel monitor.

KERN_SRCS += \
	kern/boot/entry.S \
	kern/boot/multiboot.c \
	kern/init/main.c \
	kern/core/printk.c \
	kern/core/panic.c \
	kern/core/cmdline.c \
	kern/dev/console.c \
	kern/dev/serial.c \
	kern/dev/vga.c \
	kern/dev/kbd.c \
	kern/dev/qemu.c \
	kern/debug/backtrace.c \
	kern/debug/ksym.c \
	kern/monitor/selftest.c \
	kern/monitor/monitor.c \
	lib/printfmt.c \
	lib/string.c

# Command line GRUB passes by default (grub.cfg); a run can add to it with CMDLINE=.
LAB_CMDLINE :=

# The lab plan (tools/labplan.py): besides the sources and programs above, the files this lab
# introduces, and those whose instructors' copy is used when it (or a later lab) is graded.
LAB_FILES += grade/lab1.py docs/lab1.md
OFFICIAL_FILES += GNUmakefile grade/ labs/ tools/
