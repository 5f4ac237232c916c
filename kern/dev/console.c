/*
 * The console glues the output devices (serial, VGA) and the input devices (serial,
 * keyboard) together, so the rest of the kernel prints and reads in one place.
 */
#include <x86.h>
#include "dev/console.h"

void console_init(void)
{
	serial_init();
	vga_init();
}

void cputchar(int c)
{
	if (c == '\n')
		serial_putc('\r'); /* terminals want CR LF */
	serial_putc(c);
	vga_putc(c);
}

void (*console_key_hook)(int key);

int cgetchar_nowait(void)
{
	int c = serial_getc();
	if (c < 0)
		c = kbd_getc();
	while (c >= KEY_F(0)) { /* a function key: not input */
		if (console_key_hook)
			console_key_hook(c);
		c = kbd_getc();
	}
	if (c == '\r')
		c = '\n';
	if (c == 0x7F)
		c = '\b'; /* most terminals send DEL for backspace */
	return c;
}

int cgetchar(void)
{
	int c;
	while ((c = cgetchar_nowait()) < 0)
		cpu_relax();
	return c;
}

#define CTRL_D 4

enum line_state line_feed(struct line *l, int c)
{
	if (c == '\b') {
		if (l->len > 0) {
			l->len--;
			cputchar('\b');
			cputchar(' ');
			cputchar('\b');
		}
	} else if (c == CTRL_D) {
		return LINE_EOF;
	} else if (c == '\n' || (c >= ' ' && c < 0x7F) || c == '\t') {
		/* The newline always fits: one place is kept for it. */
		if (l->len < LINE_MAX - 1 || c == '\n') {
			l->buf[l->len++] = (char)c;
			cputchar(c);
		}
		if (c == '\n')
			return LINE_DONE;
	}
	return LINE_MORE;
}
