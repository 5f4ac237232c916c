/*
 * Device files (kern/fs/devices.c): the console from lab 3, /dev/null from lab 5.
 */
#ifndef SPARROW_KERN_FS_DEVICES_H
#define SPARROW_KERN_FS_DEVICES_H

#include "fs/file.h"

/* Take console input by interrupt (serial port and keyboard) from now on. */
void console_input_init(void);
/* An open file on the console, with open's flags; NULL if out of memory. */
struct file *console_open(int flags);

/* The device numbers stat reports: Linux's 5:1 and 1:3, as makedev encodes them. */
#define CONSOLE_RDEV 0x501
#define NULL_RDEV    0x103

extern const struct file_ops console_ops;
#if LAB >= 5
extern const struct file_ops null_ops;
#endif

#endif
