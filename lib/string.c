/*
 * Memory and string routines with standard C meanings, for the kernel and user programs.
 * Written byte by byte for clarity, except memset and memcpy, which copy a page on every
 * page fault and fork and so move 8 bytes at a time (docs/bench.md).
 */
#include <types.h>
#include <string.h>

/* Limits of unsigned long and long (LP64), for the overflow checks in strtoul/strtol. */
#define ULONG_MAX (~0UL)
#define LONG_MAX  ((long)(ULONG_MAX >> 1))
#define LONG_MIN  (-LONG_MAX - 1)

/* A 64-bit word that may alias any other type, as memset's and memcpy's bytes do; uword_t
 * may also be unaligned (for memcpy's source). */
typedef uint64_t __attribute__((may_alias)) word_t;
typedef uint64_t __attribute__((may_alias, aligned(1))) uword_t;

/* Bytes up to an 8-byte boundary of the destination, 8-byte words (four per loop, to spend
 * fewer instructions on the loop itself), then the last bytes. x86 allows the unaligned
 * loads this makes of a source that is not aligned like the destination. */
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = (unsigned char)c * 0x0101010101010101UL;

	for (; n > 0 && (uintptr_t)d % 8 != 0; n--)
		*d++ = (unsigned char)c;
	for (; n >= 32; n -= 32, d += 32) {
		((word_t *)d)[0] = w;
		((word_t *)d)[1] = w;
		((word_t *)d)[2] = w;
		((word_t *)d)[3] = w;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(word_t *)d = w;
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

/* The regions must not overlap; use memmove when they might. */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (; n > 0 && (uintptr_t)d % 8 != 0; n--)
		*d++ = *s++;
	for (; n >= 32; n -= 32, d += 32, s += 32) {
		word_t a = ((const uword_t *)s)[0], b = ((const uword_t *)s)[1];
		word_t c = ((const uword_t *)s)[2], e = ((const uword_t *)s)[3];
		((word_t *)d)[0] = a;
		((word_t *)d)[1] = b;
		((word_t *)d)[2] = c;
		((word_t *)d)[3] = e;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(word_t *)d = *(const uword_t *)s;
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

/*
 * Copy n bytes between regions that may overlap. When dst is above src a forward copy
 * would overwrite source bytes before reading them, so copy from the end instead.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d <= (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dst;
}

/* Bytes compare as unsigned char, as C requires, so 0x80 sorts after 0x7f. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

/* Like strlen, but never looks at more than maxlen bytes (s need not be terminated). */
size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n] != '\0')
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b || *a == '\0')
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

/*
 * Copy at most n bytes of src and pad the rest of dst with NULs. Beware: if src has n or
 * more characters, dst is NOT terminated. strlcpy is usually what you want instead.
 */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

/*
 * Copy src into the size-byte buffer dst, truncating if need be; dst is always terminated
 * when size > 0. Returns strlen(src), so a result >= size means the copy was truncated.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* The terminating NUL counts as part of the string, so strchr(s, '\0') finds the end. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

/* First occurrence of needle in haystack; an empty needle matches at the very start. */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack != '\0'; haystack++) {
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	}
	return n == 0 ? (char *)haystack : NULL;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of c as a digit in bases up to 36, or 36 (too big for any base) if it is none. */
static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

/*
 * The shared part of strtoul and strtol: skip white space, read an optional sign and base
 * prefix, then the digits. Returns the magnitude and sets *neg; sets *overflow if the
 * digits do not fit in an unsigned long. As in C, *endptr is set to just past the last
 * digit, or to s itself when there are no digits at all (" -x" parses nothing).
 */
static unsigned long parse_magnitude(const char *s, char **endptr, int base, bool *neg,
                                     bool *overflow)
{
	const char *p = s, *digits;
	unsigned long val = 0;

	*neg = false;
	*overflow = false;
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';

	/* "0x" is a prefix only if a hex digit follows; in "0xg" just the "0" is the number. */
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}

	digits = p;
	if (base >= 2 && base <= 36) {
		for (; digit_value(*p) < base; p++) {
			unsigned long d = digit_value(*p);
			/* val * base + d > ULONG_MAX, rearranged so it cannot overflow itself. */
			if (val > (ULONG_MAX - d) / base)
				*overflow = true;
			else
				val = val * base + d;
		}
	}
	if (endptr != NULL)
		*endptr = (char *)(p == digits ? s : p);
	return val;
}

/* Too-large values give ULONG_MAX; a '-' sign negates the result, as in C. */
unsigned long strtoul(const char *s, char **endptr, int base)
{
	bool neg, overflow;
	unsigned long val = parse_magnitude(s, endptr, base, &neg, &overflow);

	if (overflow)
		return ULONG_MAX;
	return neg ? -val : val;
}

/* Out-of-range values saturate at LONG_MIN or LONG_MAX, as in C. */
long strtol(const char *s, char **endptr, int base)
{
	bool neg, overflow;
	unsigned long val = parse_magnitude(s, endptr, base, &neg, &overflow);

	/* -LONG_MIN does not fit in a long, but it saturates to exactly LONG_MIN anyway. */
	if (overflow || val > (unsigned long)LONG_MAX)
		return neg ? LONG_MIN : LONG_MAX;
	return neg ? -(long)val : (long)val;
}
