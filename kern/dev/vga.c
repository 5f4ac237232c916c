/*
 * VGA text-mode console: 80x25 characters at physical 0xB8000, scrolling, with the
 * hardware cursor kept under the next character. ANSI color sequences (ESC [ ... m) set
 * the colors, as on a terminal. A picture (the memory viewer) may take the top rows; the
 * console then scrolls in the rows below it.
 */
#include <x86.h>
#include <string.h>
#include <memlayout.h>
#include "dev/console.h"

#define VGA_COLS  80
#define VGA_ROWS  25
#define VGA_ATTR  0x07 /* light grey on black */
#define CRTC_ADDR 0x3D4
#define CRTC_DATA 0x3D5
#define ESC       0x1B

static uint16_t *vga_buf;
static int vga_pos; /* index of the next character cell */
static int vga_top; /* the console's first row: rows above are the picture's */
static uint16_t attr = VGA_ATTR << 8;

/* An escape sequence being read: ESC, then '[', then numbers separated by ';'. */
static int esc_state; /* 0: none, 1: after ESC, 2: in the parameters */
static int esc_params[4], esc_nparams;

static void vga_move_cursor(void)
{
	outb(CRTC_ADDR, 14);
	outb(CRTC_DATA, (uint8_t)(vga_pos >> 8));
	outb(CRTC_ADDR, 15);
	outb(CRTC_DATA, (uint8_t)vga_pos);
}

static void clear_cells(int from, int to)
{
	for (int i = from; i < to; i++)
		vga_buf[i] = (VGA_ATTR << 8) | ' ';
}

void vga_init(void)
{
	vga_buf = P2V(0xB8000);
	clear_cells(0, VGA_COLS * VGA_ROWS);
	vga_pos = 0;
	vga_move_cursor();
}

/* Scroll the console's rows up one line when the cursor has run off the bottom. */
static void vga_scroll(void)
{
	uint16_t *first = vga_buf + vga_top * VGA_COLS;

	memmove(first, first + VGA_COLS, (VGA_ROWS - 1 - vga_top) * VGA_COLS * sizeof(uint16_t));
	clear_cells((VGA_ROWS - 1) * VGA_COLS, VGA_ROWS * VGA_COLS);
	vga_pos -= VGA_COLS;
}

/* ANSI's color numbers (black, red, green, yellow, blue, magenta, cyan, white) as VGA's. */
static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

/* ESC [ n ; ... m: select graphic rendition. Colors and bold (bright); the rest ignored. */
static void apply_sgr(void)
{
	if (esc_nparams == 0)
		esc_params[esc_nparams++] = 0;
	for (int i = 0; i < esc_nparams; i++) {
		int n = esc_params[i], fg = (attr >> 8) & 0xF, bg = (attr >> 12) & 0x7;
		if (n == 0)
			fg = VGA_ATTR, bg = 0;
		else if (n == 1)
			fg |= 8;
		else if (n >= 30 && n <= 37)
			fg = (fg & 8) | ansi_to_vga[n - 30];
		else if (n >= 90 && n <= 97)
			fg = 8 | ansi_to_vga[n - 90];
		else if (n == 39)
			fg = VGA_ATTR;
		else if (n >= 40 && n <= 47)
			bg = ansi_to_vga[n - 40];
		else if (n == 49)
			bg = 0;
		attr = (uint16_t)((bg << 12) | (fg << 8));
	}
}

/* Feed c to the escape-sequence reader; true if it was part of one. */
static bool escape(int c)
{
	if (esc_state == 0 && c != ESC)
		return false;
	if (esc_state == 0) {
		esc_state = 1;
	} else if (esc_state == 1) {
		esc_state = c == '[' ? 2 : 0;
		esc_nparams = 0;
		esc_params[0] = 0;
	} else if (c >= '0' && c <= '9') {
		if (esc_nparams == 0)
			esc_nparams = 1;
		if (esc_params[esc_nparams - 1] < 1000)
			esc_params[esc_nparams - 1] = esc_params[esc_nparams - 1] * 10 + (c - '0');
	} else if (c == ';') {
		if (esc_nparams == 0)
			esc_nparams = 1;
		if (esc_nparams < (int)ARRAY_SIZE(esc_params))
			esc_params[esc_nparams++] = 0;
	} else {
		if (c == 'm')
			apply_sgr();
		esc_state = 0; /* any other final character: a sequence we do not act on */
	}
	return true;
}

void vga_putc(int c)
{
	if (!vga_buf || escape(c))
		return;
	switch (c) {
	case '\n':
		vga_pos += VGA_COLS - vga_pos % VGA_COLS;
		break;
	case '\r':
		vga_pos -= vga_pos % VGA_COLS;
		break;
	case '\b':
		if (vga_pos > vga_top * VGA_COLS)
			vga_buf[--vga_pos] = attr | ' ';
		break;
	case '\t':
		do
			vga_buf[vga_pos++] = attr | ' ';
		while (vga_pos % 8 != 0);
		break;
	default:
		vga_buf[vga_pos++] = attr | (uint8_t)c;
		break;
	}
	if (vga_pos >= VGA_COLS * VGA_ROWS)
		vga_scroll();
	vga_move_cursor();
}

void vga_reserve_top(int rows)
{
	if (!vga_buf || rows < 0 || rows > VGA_ROWS - 2 || rows == vga_top)
		return;
	if (rows > vga_top) {
		/* Keep the lines up to the cursor's, as many as fit below the picture. */
		int cur = vga_pos / VGA_COLS, height = VGA_ROWS - rows;
		int first = MAX(cur - (height - 1), vga_top), n = cur - first + 1;
		memmove(vga_buf + rows * VGA_COLS, vga_buf + first * VGA_COLS,
		        (size_t)n * VGA_COLS * sizeof(uint16_t));
		clear_cells((rows + n) * VGA_COLS, VGA_ROWS * VGA_COLS);
		vga_pos = (rows + n - 1) * VGA_COLS + vga_pos % VGA_COLS;
	}
	clear_cells(0, rows * VGA_COLS);
	if (rows < vga_top)
		clear_cells(rows * VGA_COLS, vga_top * VGA_COLS);
	vga_top = rows;
	vga_move_cursor();
}

void vga_draw_row(int row, const uint16_t *cells, int n)
{
	if (!vga_buf || row < 0 || row >= vga_top)
		return;
	n = MIN(n, VGA_COLS);
	memcpy(vga_buf + row * VGA_COLS, cells, (size_t)n * sizeof(uint16_t));
	clear_cells(row * VGA_COLS + n, (row + 1) * VGA_COLS);
}
