/*
 * ioctl, and the terminal requests Sparrow's console answers (every other file says
 * ENOTTY). isatty (in <unistd.h>) is built on TCGETS. struct termios is the kernel's
 * layout, which the ioctls copy: 36 bytes (C libraries have a larger one of their own and
 * convert).
 */
#ifndef SPARROW_INC_IOCTL_H
#define SPARROW_INC_IOCTL_H

#include <types.h>

#define TCGETS     0x5401 /* fill a struct termios; fails (ENOTTY) unless a terminal */
#define TCSETS     0x5402 /* set it now */
#define TCSETSW    0x5403 /* ... once the output is written */
#define TCSETSF    0x5404 /* ... and drop the input not read yet */
#define TIOCGPGRP  0x540F /* the terminal's foreground process group (lab 6) */
#define TIOCSPGRP  0x5410 /* make a process group the foreground one (lab 6) */
#define TIOCGWINSZ 0x5413 /* fill a struct winsize */

#define NCCS 19
struct termios {
	uint32_t c_iflag;   /* input modes */
	uint32_t c_oflag;   /* output modes */
	uint32_t c_cflag;   /* control modes */
	uint32_t c_lflag;   /* local modes */
	uint8_t c_line;     /* line discipline */
	uint8_t c_cc[NCCS]; /* control characters */
};
_Static_assert(sizeof(struct termios) == 36, "the kernel's struct termios is 36 bytes");

/* c_cc indexes */
#define VINTR  0
#define VQUIT  1
#define VERASE 2
#define VKILL  3
#define VEOF   4
#define VMIN   6
/* c_iflag, c_oflag, c_cflag, c_lflag bits (octal, as Linux writes them) */
#define ICRNL  0000400
#define OPOST  0000001
#define ONLCR  0000004
#define B38400 0000017
#define CS8    0000060
#define CREAD  0000200
#define ISIG   0000001
#define ICANON 0000002
#define ECHO   0000010
#define ECHOE  0000020

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#endif
