# Checkpoint 4: preemptive multitasking. The timer, the scheduler, the context switch with
# FPU state, fork with copy-on-write, exit/wait/kill, sleeping, priorities. init (pid 1)
# waits for the program named by init= and reaps orphans.

KERN_SRCS += \
	kern/init/lab4.c \
	kern/mm/cow.c \
	kern/dev/rtc.c \
	kern/proc/fpu.c \
	kern/sched/timer.c \
	kern/sched/sched.c \
	kern/sched/trace.c \
	kern/sys/fork.c \
	kern/sys/sys_sched.c \
	kern/sys/sys_time.c

USER_PROGS += init spin forktree cowtest cowcopyout fputest stresssched priority sleeptest \
	waittest orphans forkbomb faultstatus cowview

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/dev/rtc.h kern/mm/cow.h kern/proc/fpu.h kern/sched/sched.h kern/sched/trace.h inc/sched.h inc/sysinfo.h inc/time.h inc/wait.h \
	grade/lab4.py docs/lab4.md tools/timeline.py docs/images/timeline-priority.svg \
	docs/images/timeline-stresssched.svg docs/images/memview-fork.png
