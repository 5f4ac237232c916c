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

/* Typing a line: characters collected with echo; backspace erases (on the screen too);
 * control characters other than tab and ^D are dropped. The monitor and, from lab 3, the
 * console device (kern/fs/devices.c) share it. */
#define LINE_MAX 256
struct line {
	char buf[LINE_MAX];
	size_t len;
};
enum line_state {
	LINE_MORE, /* go on typing */
	LINE_DONE, /* a newline completed the line (it is in buf) */
	LINE_EOF,  /* ^D: end of input, if the line is empty; the line as it is, if not */
};
enum line_state line_feed(struct line *l, int c);

/* The devices behind the console (kern/dev/serial.c, vga.c, kbd.c). */
void serial_init(void);
void serial_irq_enable(void); /* received bytes raise IRQ 4 (lab 3 on) */
void serial_putc(int c);
int serial_getc(void); /* -1 if none */
void vga_init(void);
void vga_putc(int c);
int kbd_getc(void); /* -1 if none; a function key as KEY_F(n) */

/* The VGA screen's top `rows` rows become a picture's (the memory viewer's); the console
 * scrolls in the rows below, keeping its last lines. 0 gives the whole screen back. */
void vga_reserve_top(int rows);
/* Draw row `row` of the picture: n cells, each a VGA attribute << 8 | a character. */
void vga_draw_row(int row, const uint16_t *cells, int n);

/* Function keys (the PS/2 keyboard of `make qemu`'s window): never typed as input, but
 * handed to console_key_hook when one is registered (the memory viewer's keys). */
#define KEY_F(n) (0x100 + (n))
extern void (*console_key_hook)(int key);

#endif
