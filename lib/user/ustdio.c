/*
 * User-side printf: lib/printfmt.c formats into a small buffer that is written to the file
 * descriptor when it fills, at each newline, and at the end of each call.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct outbuf {
	int fd;
	int n;
	int total;
	char buf[256];
};

static void flush(struct outbuf *o)
{
	const char *p = o->buf;
	while (o->n > 0) {
		ssize_t w = write(o->fd, p, (size_t)o->n);
		if (w <= 0)
			break;
		p += w;
		o->n -= (int)w;
	}
	o->n = 0;
}

static void putch(int c, void *arg)
{
	struct outbuf *o = arg;
	o->buf[o->n++] = (char)c;
	o->total++;
	if (o->n == (int)sizeof(o->buf) || c == '\n')
		flush(o);
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct outbuf o = { .fd = fd };
	vprintfmt(putch, &o, fmt, ap);
	flush(&o);
	return o.total;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vdprintf(1, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}

int putchar(int c)
{
	char ch = (char)c;
	return write(1, &ch, 1) == 1 ? c : -1;
}
