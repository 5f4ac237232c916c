/*
 * Lab 2's bring-up: exceptions are reported, then memory, each part checked as it comes up
 * (frames, page tables, the kernel's address space, the kernel heap), and the memory
 * viewer's panel if the command line asks for it.
 */
#include "init/init.h"
#include "mm/check.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "monitor/memview.h"
#include "trap/trap.h"

static void lab2_init(void)
{
	trap_init();
	page_init();
	check_page_alloc();
	check_vm();
	kas_init();
	check_kas();
	check_kmalloc();
	memview_init();
}
LAB_INIT(2, lab2_init);
