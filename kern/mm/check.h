/*
 * The memory self-checks kmain runs at every boot from lab 2 on, in this order: each prints
 * `check_NAME() succeeded!` or panics with the condition that failed.
 */
#ifndef SPARROW_KERN_MM_CHECK_H
#define SPARROW_KERN_MM_CHECK_H

void check_page_alloc(void); /* after page_init() */
void check_vm(void);         /* after kas_init() */
void check_kas(void);
void check_kmalloc(void);

#endif
