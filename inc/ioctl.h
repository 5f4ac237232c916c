/*
 * User programs: ioctl, and the two terminal requests Sparrow's console answers (every
 * other file says ENOTTY). isatty (in <unistd.h>) is built on TCGETS.
 */
#ifndef SPARROW_INC_IOCTL_H
#define SPARROW_INC_IOCTL_H

#include <types.h>

#define TCGETS     0x5401 /* fill a struct termios (Linux: 60 bytes); fails unless a terminal */
#define TIOCGWINSZ 0x5413 /* fill a struct winsize */

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#endif
