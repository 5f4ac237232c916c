# Checkpoint 6: signals. Handlers, masks and pending signals, the signal frame on the user
# stack and rt_sigreturn, faults turned into signals a program may handle, SIGPIPE,
# SIGCHLD, SIGALRM, process groups and sessions, and ^C and ^\ from the console to its
# foreground group. `make qemu-nox` boots the full kernel: ^C stops the shell's job.

KERN_SRCS += \
	kern/init/lab6.c \
	kern/proc/signal.c \
	kern/sys/sys_signal.c

# The user library: the signal calls, signal sets, setjmp and the handlers' return.
ULIB_EXTRA += lib/user/signal.c lib/user/setjmp.S

# Lab 6's test programs, and a musl program compared with Linux.
USER_PROGS += sighandler sigdefault sigpipe sigchld sigsegv sigframe sigaltstack sigalarm \
	sigrestart sigexec pgroups
MUSL_PROGS += signal

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/proc/signal.h inc/setjmp.h grade/lab6.py docs/lab6.md
