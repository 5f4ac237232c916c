/*
 * How each lab joins the kernel's bring-up. kmain (kern/init/main.c) does lab 1's part, then
 * calls each later lab's bring-up, kern/init/labN.c, in lab order: a lab's file registers
 * its function with LAB_INIT (kern/core/tables.h), and only the labs a checkpoint compiles
 * are there.
 */
#ifndef SPARROW_KERN_INIT_INIT_H
#define SPARROW_KERN_INIT_INIT_H

#include "core/tables.h" /* LAB_INIT */

/* How the first program starts, if any lab says (lab 3 sets it, labs 4 and 5 change it):
 * kmain calls it once everything is up, unless a self-test was asked for. */
extern void (*start_first_program)(void);

/* Called once init (pid 1) exists, before anything runs, if a lab sets it (lab 7 starts
 * its kernel thread there: init keeps pid 1). */
extern void (*init_started_hook)(void);

#define MAX_INIT_ARGS 32

/* The words of the command line's init="PROG ARGS" into argv[1..], after argv[0] =
 * "/bin/init", NULL-terminated (argv has room for MAX_INIT_ARGS + 2); returns argc, 1 if
 * there is no init= (kern/init/lab3.c). */
int init_argv(char *argv[]);

#endif
