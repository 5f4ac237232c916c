/*
 * Memory self-tests, run one at a time with test=NAME on the kernel command line (the
 * table is in kern/monitor/selftest.c). The graders check what each prints.
 */
#ifndef SPARROW_KERN_MM_MMTEST_H
#define SPARROW_KERN_MM_MMTEST_H

/* Each must end in a reported page fault and a panic. */
void mmtest_write_text(void);
void mmtest_write_rodata(void);
void mmtest_exec_data(void);
void mmtest_exec_directmap(void);
void mmtest_read_guard(void);
void mmtest_user_read(void);
void mmtest_user_exec(void);

/* Allocator misuse: each must panic naming the frame. */
void mmtest_double_free(void);
void mmtest_free_referenced(void);
void mmtest_use_after_free(void);

/* Allocate until nothing is left: NULL, not a panic; then free it all. */
void mmtest_oom(void);

#endif
