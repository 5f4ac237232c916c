/*
 * Layout randomization (lab 7): where execve puts a program's stack, mmap area and heap.
 * inc/memlayout.h draws the fixed layout and the ranges each part may move by.
 */
#ifndef SPARROW_KERN_PROC_ASLR_H
#define SPARROW_KERN_PROC_ASLR_H

#include "proc/exec.h" /* struct layout */

/* Choose the layout of one execve: the fixed one of inc/memlayout.h under the kernel
 * option aslr=0, otherwise each part moved by a random number of pages. */
void aslr_layout(struct layout *l);

#endif
