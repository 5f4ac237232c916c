/*
 * The console: everything printed goes to the serial port (COM1) and the VGA text screen;
 * input comes from either the serial port or the PS/2 keyboard.
 */
#ifndef SPARROW_KERN_DEV_CONSOLE_H
#define SPARROW_KERN_DEV_CONSOLE_H

#include <types.h>

void console_init(void);
void cputchar(int c);
int cgetchar(void);        /* waits for a character */
int cgetchar_nowait(void); /* a character, or -1 if none is waiting */

/* The devices behind the console (kern/dev/serial.c, vga.c, kbd.c). */
void serial_init(void);
void serial_putc(int c);
int serial_getc(void); /* -1 if none */
void vga_init(void);
void vga_putc(int c);
int kbd_getc(void); /* -1 if none */

#endif
