/*
 * VGA text-mode console: 80x25 characters at physical 0xB8000, scrolling, with the
 * hardware cursor kept under the next character.
 */
#include <x86.h>
#include <string.h>
#include <memlayout.h>
#include "dev/console.h"

#define VGA_COLS  80
#define VGA_ROWS  25
#define VGA_ATTR  0x0700 /* light grey on black */
#define CRTC_ADDR 0x3D4
#define CRTC_DATA 0x3D5

static uint16_t *vga_buf;
static int vga_pos; /* index of the next character cell */

static void vga_move_cursor(void)
{
	outb(CRTC_ADDR, 14);
	outb(CRTC_DATA, (uint8_t)(vga_pos >> 8));
	outb(CRTC_ADDR, 15);
	outb(CRTC_DATA, (uint8_t)vga_pos);
}

void vga_init(void)
{
	vga_buf = P2V(0xB8000);
	for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		vga_buf[i] = VGA_ATTR | ' ';
	vga_pos = 0;
	vga_move_cursor();
}

/* Scroll up one line when the cursor has run off the bottom of the screen. */
static void vga_scroll(void)
{
	memmove(vga_buf, vga_buf + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * sizeof(uint16_t));
	for (int i = (VGA_ROWS - 1) * VGA_COLS; i < VGA_ROWS * VGA_COLS; i++)
		vga_buf[i] = VGA_ATTR | ' ';
	vga_pos -= VGA_COLS;
}

void vga_putc(int c)
{
	if (!vga_buf)
		return;
	switch (c) {
	case '\n':
		vga_pos += VGA_COLS - vga_pos % VGA_COLS;
		break;
	case '\r':
		vga_pos -= vga_pos % VGA_COLS;
		break;
	case '\b':
		if (vga_pos > 0)
			vga_buf[--vga_pos] = VGA_ATTR | ' ';
		break;
	case '\t':
		do
			vga_buf[vga_pos++] = VGA_ATTR | ' ';
		while (vga_pos % 8 != 0);
		break;
	default:
		vga_buf[vga_pos++] = VGA_ATTR | (uint8_t)c;
		break;
	}
	if (vga_pos >= VGA_COLS * VGA_ROWS)
		vga_scroll();
	vga_move_cursor();
}
