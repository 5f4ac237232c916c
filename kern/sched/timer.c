/*
 * The timer: the 8254 PIT's channel 0 interrupting HZ times a second on IRQ 0. Each tick
 * wakes the processes sleeping on `ticks` (nanosleep) or until it (poll), fires the interval
 * timers that are due (lab 6: SIGALRM), and ends the running process's time slice: it
 * yields on its way back to user mode (kern/sys/syscall.c, user_return), or at the next
 * cond_resched() of a long system call. The kernel itself runs with interrupts off and is
 * never preempted in the middle of its work.
 */
#include <time.h>
#include <x86.h>
#include "core/cpu.h"
#include "dev/pic.h"
#include "dev/rtc.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "trap/trap.h"

#define PIT_CH0            0x40
#define PIT_CH2            0x42
#define PIT_MODE           0x43
#define PIT_PORT_B         0x61    /* channel 2's gate (bit 0) and output (bit 5) */
#define PIT_HZ             1193182 /* the PIT's input clock */
#define PIT_RATE_GENERATOR 0x34    /* channel 0, low then high byte, mode 2 */
#define PIT_CH2_ONE_SHOT   0xB0    /* channel 2, low then high byte, mode 0 */

volatile uint64_t ticks;
uint64_t tsc_per_tick;
void (*timer_hook)(void);
uint64_t boot_time;

void clock_realtime(struct timespec *ts)
{
	uint64_t t = ticks;
	ts->tv_sec = (long)(boot_time + t / HZ);
	ts->tv_nsec = (long)(t % HZ) * (1000000000L / HZ);
}

static void timer_interrupt(struct trapframe *tf)
{
	(void)tf;
	ticks++;
	wakeup_ticks();
#if LAB >= 6
	signal_tick(ticks); /* SIGALRM for the timers that are due */
#endif
	if (myproc())
		mycpu()->need_resched = true; /* one tick is a whole time slice */
	if (timer_hook)
		timer_hook();
}

/* Time-stamp counter cycles in one tick: count them while channel 2 counts down a tick. */
static uint64_t measure_tsc(void)
{
	uint16_t latch = (PIT_HZ + HZ / 2) / HZ;

	outb(PIT_PORT_B, (inb(PIT_PORT_B) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_MODE, PIT_CH2_ONE_SHOT);
	outb(PIT_CH2, (uint8_t)latch);
	outb(PIT_CH2, (uint8_t)(latch >> 8));
	uint64_t start = rdtsc();
	while (!(inb(PIT_PORT_B) & 0x20))
		cpu_relax();
	return rdtsc() - start;
}

void timer_init(void)
{
	uint16_t divisor = (PIT_HZ + HZ / 2) / HZ;

	boot_time = rtc_read();
	tsc_per_tick = measure_tsc();
	outb(PIT_MODE, PIT_RATE_GENERATOR);
	outb(PIT_CH0, (uint8_t)divisor);
	outb(PIT_CH0, (uint8_t)(divisor >> 8));
	irq_register(IRQ_TIMER, timer_interrupt);
}
