/*
 * Stack backtraces. The kernel is built with frame pointers, so each function's frame
 * starts with the caller's saved %rbp, and the return address sits just above it:
 *
 *      +------------------+  higher addresses
 *      | return address   |  rbp + 8
 *      | caller's rbp     |  <- rbp
 *      | locals ...       |
 */
#include <memlayout.h>
#include "debug/debug.h"
#include "core/printk.h"

#define MAX_FRAMES 64

/* A frame pointer we may dereference: 8-byte aligned, in the kernel half. The chain ends
 * with rbp = 0, which the entry code sets before calling kmain. */
static bool frame_pointer_ok(uintptr_t rbp)
{
	return rbp != 0 && rbp % 8 == 0 && rbp >= DIRECTMAP && rbp < (uintptr_t)-16;
}

int backtrace_collect(uintptr_t rbp, struct frame *frames, int max)
{
	// LAB 1: Walk the chain of saved frame pointers starting at rbp. For each frame,
	// record the frame pointer and the return address stored just above it, then move to
	// the caller's frame. Stop at a frame pointer that fails frame_pointer_ok() or after
	// max frames. Return the number of frames recorded.
	//= BEGIN LAB 1
	int n = 0;
	while (n < max && frame_pointer_ok(rbp)) {
		const uintptr_t *fp = (const uintptr_t *)rbp;
		frames[n].rbp = rbp;
		frames[n].rip = fp[1];
		n++;
		rbp = fp[0];
	}
	return n;
	//= STUB
	//= (void)rbp;
	//= (void)frames;
	//= (void)max;
	//= (void)frame_pointer_ok;
	//= printk("LAB 1: backtrace_collect() is not implemented (kern/debug/backtrace.c)\n");
	//= return 0;
	//= END
}

void backtrace_print(uintptr_t rbp)
{
	struct frame frames[MAX_FRAMES];
	int n = backtrace_collect(rbp, frames, MAX_FRAMES);

	printk("Stack backtrace:\n");
	for (int i = 0; i < n; i++) {
		/* Look up rip - 1, the call instruction itself: a call to a noreturn function
		 * can be the last instruction of its caller, leaving rip past the end. */
		uintptr_t off = 0;
		const char *name = ksym_lookup(frames[i].rip - 1, &off);
		off++;
		printk("  #%-2d rbp %016lx  rip %016lx  %s+0x%lx\n", i, frames[i].rbp,
		       frames[i].rip, name ? name : "??", name ? off : 0UL);
	}
}
