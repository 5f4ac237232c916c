/*
 * PS/2 keyboard, polled: turns scan code set 1 into ASCII for the VGA window of
 * `make qemu`. Only the keys a monitor needs: letters, digits, punctuation, shift, enter,
 * backspace, and F1-F10 (for the memory viewer).
 */
#include <x86.h>
#include "dev/console.h"

#define KBD_STATUS     0x64
#define KBD_DATA       0x60
#define KBD_HAVE_DATA  0x01
#define KBD_FROM_MOUSE 0x20

static const char normal_map[128] = {
	0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',  '0', '-', '=',  '\b',
	'\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',  '[', ']', '\n', 0,
	'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
	'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',  0,   ' ',
};

static const char shift_map[128] = {
	0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',  '\b',
	'\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,
	'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|',  'Z',
	'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

#define SC_LSHIFT  0x2A
#define SC_RSHIFT  0x36
#define SC_CTRL    0x1D
#define SC_RELEASE 0x80
#define SC_F1      0x3B /* F1 to F10 are 0x3B to 0x44 */
#define SC_F10     0x44

static bool shift, ctrl;

int kbd_getc(void)
{
	uint8_t st = inb(KBD_STATUS);
	if (!(st & KBD_HAVE_DATA) || (st & KBD_FROM_MOUSE))
		return -1;
	uint8_t sc = inb(KBD_DATA);
	bool released = sc & SC_RELEASE;
	sc &= ~SC_RELEASE;
	if (sc == SC_LSHIFT || sc == SC_RSHIFT) {
		shift = !released;
		return -1;
	}
	if (sc == SC_CTRL) {
		ctrl = !released;
		return -1;
	}
	if (released)
		return -1;
	if (sc >= SC_F1 && sc <= SC_F10)
		return KEY_F(sc - SC_F1 + 1);
	int c = (shift ? shift_map : normal_map)[sc];
	if (c == 0)
		return -1;
	if (ctrl && c >= 'a' && c <= 'z')
		return c - 'a' + 1;
	return c;
}
