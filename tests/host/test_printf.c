/*
 * Host test for lib/printfmt.c: formats many thousands of format/value pairs with Sparrow's
 * snprintf and with the host C library's, and demands byte-for-byte identical output and
 * return values. Built and run by tests/host/run.sh.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sparrow's declarations, under the sp_ names that run.sh gave the lib object. */
#define snprintf  sp_snprintf
#define vsnprintf sp_vsnprintf
#include "../../inc/stdio.h"
#undef snprintf
#undef vsnprintf

/* Enough for every output below; truncation is tested separately with small sizes. */
#define BIG 256
/* A broken conversion fails thousands of checks; show only the first few. */
#define MAX_SHOWN 50

static int checks, failures;

/* Copy len bytes of s into dst as a C string literal body, escaping the unprintable. */
static void quote(char *dst, size_t size, const char *s, int len)
{
	size_t used = 0;

	for (int i = 0; i < len && used + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			used += snprintf(dst + used, size - used, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			used += snprintf(dst + used, size - used, "\\x%02x", c);
		else
			dst[used++] = (char)c;
	}
	dst[used] = '\0';
}

/* How many bytes of an n-byte buffer hold output, given snprintf returned ret. */
static int shown_len(size_t n, int ret)
{
	if (n == 0 || ret < 0)
		return 0;
	return (size_t)ret < n - 1 ? ret : (int)(n - 1);
}

static void report(size_t n, const char *what, const char *fmt, const char *got, int got_ret,
                   const char *want, int want_ret)
{
	char g[4 * BIG], w[4 * BIG], size[32] = "";

	failures++;
	if (failures > MAX_SHOWN)
		return;
	quote(g, sizeof(g), got, shown_len(n, got_ret));
	quote(w, sizeof(w), want, shown_len(n, want_ret));
	if (n != BIG)
		snprintf(size, sizeof(size), " into %zu bytes", n);
	printf("printf: format \"%s\" with %s%s: got \"%s\" (returned %d) want \"%s\" (returned "
	       "%d)\n",
	       fmt, what, size, g, got_ret, w, want_ret);
}

/*
 * Format the arguments with both vsnprintfs into n-byte buffers and compare the return
 * values and all n bytes. Ours writes into a heap block of exactly n bytes, so
 * AddressSanitizer stops the test on any write past the end. what describes the arguments.
 */
static void compare_n(size_t n, const char *what, const char *fmt, ...)
{
	char want[BIG];
	char *got = n > 0 ? malloc(n) : NULL;
	va_list ap, ap2;

	memset(want, 0x5a, sizeof(want));
	if (got != NULL)
		memset(got, 0x5a, n);
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int want_ret = vsnprintf(n > 0 ? want : NULL, n, fmt, ap);
	int got_ret = sp_vsnprintf(got, n, fmt, ap2);
	va_end(ap2);
	va_end(ap);

	checks++;
	if (got_ret != want_ret || (n > 0 && memcmp(got, want, n) != 0))
		report(n, what, fmt, got, got_ret, want, want_ret);
	free(got);
}

/* Compare one format against the host; the arguments' C text is the failure description. */
#define CHECK(fmt, ...)         compare_n(BIG, #__VA_ARGS__, fmt, __VA_ARGS__)
#define CHECK_N(n, fmt, ...)    compare_n(n, #__VA_ARGS__, fmt, __VA_ARGS__)
#define CHECK_LITERAL(fmt)      compare_n(BIG, "no arguments", fmt)
#define CHECK_LITERAL_N(n, fmt) compare_n(n, "no arguments", fmt)

/* Where the host differs (or C leaves it undefined), check against a fixed expectation. */
static void expect(const char *want, const char *what, const char *fmt, ...)
{
	char got[BIG];
	va_list ap;

	va_start(ap, fmt);
	int got_ret = sp_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	checks++;
	if (got_ret != (int)strlen(want) || strcmp(got, want) != 0)
		report(BIG, what, fmt, got, got_ret, want, (int)strlen(want));
}

/* Integer edge values; each is converted to the type the length modifier names. */
static const long long int_values[] = {
	0,        1,        -1,       7,         8,
	42,       255,      256,      -128,      -129,
	300,      65535,    70000,    INT_MAX,   INT_MIN,
	UINT_MAX, LONG_MAX, LONG_MIN, LLONG_MIN, 0x123456789abcdefLL,
};

static const char *const int_widths[] = { "", "1", "6", "25" };
static const char *const int_precisions[] = { "", ".", ".0", ".1", ".4", ".22" };
static const char *const int_lengths[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };

/* Pass v to both formatters as the exact type that conv with length modifier len reads. */
static void compare_int(const char *fmt, char conv, const char *len, long long v)
{
	char what[64];
	int is_signed = conv == 'd' || conv == 'i';

	if (len[0] == '\0' || len[0] == 'h') {
		/* hh and h arguments are passed promoted to int, like any char or short. */
		snprintf(what, sizeof(what), is_signed ? "%d" : "%u", (int)v);
		if (is_signed)
			compare_n(BIG, what, fmt, (int)v);
		else
			compare_n(BIG, what, fmt, (unsigned int)v);
	} else if (strcmp(len, "ll") == 0) {
		snprintf(what, sizeof(what), is_signed ? "%lld" : "%llu", v);
		if (is_signed)
			compare_n(BIG, what, fmt, v);
		else
			compare_n(BIG, what, fmt, (unsigned long long)v);
	} else if (strcmp(len, "j") == 0) {
		snprintf(what, sizeof(what), is_signed ? "%jd" : "%ju", (intmax_t)v);
		if (is_signed)
			compare_n(BIG, what, fmt, (intmax_t)v);
		else
			compare_n(BIG, what, fmt, (uintmax_t)v);
	} else {
		/* l, z (size_t / ssize_t) and t (ptrdiff_t) are all long-sized on x86-64. */
		snprintf(what, sizeof(what), is_signed ? "%ld" : "%lu", (long)v);
		if (is_signed)
			compare_n(BIG, what, fmt, (long)v);
		else
			compare_n(BIG, what, fmt, (unsigned long)v);
	}
}

/*
 * Every integer conversion with every combination of the flags C defines for it, crossed
 * with widths, precisions, length modifiers and edge values. '#' is left out for d and i,
 * where C leaves it undefined; '+' and ' ' on unsigned conversions must be ignored.
 */
static void test_integers(void)
{
	const char *convs = "diuoxX";
	const char *flag_chars = "-0+ #";

	for (const char *c = convs; *c != '\0'; c++) {
		int nflags = (*c == 'd' || *c == 'i') ? 4 : 5;
		for (int mask = 0; mask < (1 << nflags); mask++) {
			char flags[8] = "";
			for (int f = 0, k = 0; f < nflags; f++) {
				if (mask & (1 << f))
					flags[k++] = flag_chars[f];
			}
			for (size_t w = 0; w < ARRAY_SIZE(int_widths); w++) {
				for (size_t p = 0; p < ARRAY_SIZE(int_precisions); p++) {
					for (size_t l = 0; l < ARRAY_SIZE(int_lengths); l++) {
						char fmt[32];
						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags,
						         int_widths[w], int_precisions[p],
						         int_lengths[l], *c);
						for (size_t v = 0; v < ARRAY_SIZE(int_values); v++)
							compare_int(fmt, *c, int_lengths[l],
							            int_values[v]);
					}
				}
			}
		}
	}

	/* The extremes, spelled out so a failure names them. */
	CHECK("%d %d", INT_MIN, INT_MAX);
	CHECK("%ld %ld", LONG_MIN, LONG_MAX);
	CHECK("%lld %lld", LLONG_MIN, LLONG_MAX);
	CHECK("%lu %lx %lo %lX", ULONG_MAX, ULONG_MAX, ULONG_MAX, ULONG_MAX);
	CHECK("%llu %llx %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	CHECK("%zu %zx %zd", (size_t)SIZE_MAX, (size_t)12345, (ssize_t)-12345);
	CHECK("%hhd %hhu %hhx %hho", 128, 511, -1, 256 + 8);
	CHECK("%hd %hu %hx %ho", 32768, 131071, -1, 65536 + 8);
	/* Flags in an unusual order or repeated mean the same thing. */
	CHECK("[%0-8d] [%-08d] [%+ d] [% +d] [%--5d] [%00005d]", 42, 42, 42, 42, 42, 42);
	CHECK("[%#-08x] [%-#08o] [%0#8X]", 255, 8, 255);
}

static const char *const str_values[] = { "", "a", "hello", "hello, world", NULL };
static const char *const str_widths[] = { "", "1", "3", "6", "12" };
static const char *const str_precisions[] = { "", ".", ".0", ".2", ".5", ".6", ".30" };

/* %s with widths and precisions, including NULL (glibc prints "(null)", or "" if cut). */
static void test_strings(void)
{
	for (int left = 0; left < 2; left++) {
		for (size_t w = 0; w < ARRAY_SIZE(str_widths); w++) {
			for (size_t p = 0; p < ARRAY_SIZE(str_precisions); p++) {
				char fmt[32];
				snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", left ? "-" : "",
				         str_widths[w], str_precisions[p]);
				for (size_t s = 0; s < ARRAY_SIZE(str_values); s++) {
					char what[32];
					const char *v = str_values[s];
					snprintf(what, sizeof(what), v ? "\"%s\"" : "NULL", v);
					compare_n(BIG, what, fmt, v);
				}
			}
		}
	}

	/* With a precision the string need not be terminated; ASan checks we stop in time. */
	static const char unterminated[3] = { 'a', 'b', 'c' };
	CHECK("[%.3s] [%.2s] [%-5.3s]", unterminated, unterminated, unterminated);
	CHECK("%s", (char *)NULL);
	CHECK("%s and %s", "one", "two");
}

/* %c, including NUL and bytes above 0x7f. */
static void test_chars(void)
{
	static const int chars[] = { 'A', ' ', '%', 0, 0x7f, 0xe9, -1 };
	static const char *const fmts[] = { "[%c]", "[%1c]", "[%4c]", "[%-4c]", "[%-1c]" };

	for (size_t f = 0; f < ARRAY_SIZE(fmts); f++) {
		for (size_t c = 0; c < ARRAY_SIZE(chars); c++) {
			char what[16];
			snprintf(what, sizeof(what), "%d", chars[c]);
			compare_n(BIG, what, fmts[f], chars[c]);
		}
	}
	CHECK("%c%c%c", 'a', 'b', 'c');
}

/* %p follows glibc: "0x" and lowercase hex, "(nil)" for NULL. */
static void test_pointers(void)
{
	static const char *const fmts[] = {
		"[%p]",     "[%20p]",  "[%-20p]", "[%4p]",   "[%+p]",     "[% p]",
		"[%-+20p]", "[%020p]", "[%.0p]",  "[%.20p]", "[%25.20p]", "[%-3p]",
	};
	void *ptrs[] = { NULL, (void *)1, (void *)0xdeadbeef, &checks, (void *)ULONG_MAX };
	const char *names[] = { "NULL", "1", "0xdeadbeef", "&checks", "ULONG_MAX" };

	for (size_t f = 0; f < ARRAY_SIZE(fmts); f++) {
		for (size_t p = 0; p < ARRAY_SIZE(ptrs); p++)
			compare_n(BIG, names[p], fmts[f], ptrs[p]);
	}
}

/* '*' takes the width or precision from an int argument; negative ones are special. */
static void test_star(void)
{
	CHECK("[%*d]", 5, 42);
	CHECK("[%*d]", -5, 42); /* negative width: left-justify */
	CHECK("[%*d]", 0, 42);
	CHECK("[%-*d]", 5, 42);
	CHECK("[%-*d]", -5, 42);
	CHECK("[%0*d]", 5, -42);
	CHECK("[%0*d]", -5, -42); /* '-' from the width beats '0' */
	CHECK("[%.*d]", 4, 7);
	CHECK("[%.*d]", 0, 0);
	CHECK("[%.*d]", -1, 0); /* negative precision: as if none */
	CHECK("[%.*d]", -3, 7);
	CHECK("[%*.*d]", 8, 3, -7);
	CHECK("[%*.*d]", -8, 3, -7);
	CHECK("[%*.*d]", 8, -3, -7);
	CHECK("[%0*.*d]", 8, -3, -7); /* no precision again, so '0' pads */
	CHECK("[%*.*x]", 10, 6, 0xbeef);
	CHECK("[%#*.*o]", 10, 6, 8);
	CHECK("[%*s]", 8, "abc");
	CHECK("[%*s]", -8, "abc");
	CHECK("[%.*s]", 2, "abc");
	CHECK("[%.*s]", -2, "abc");
	CHECK("[%.*s]", 0, "abc");
	CHECK("[%*.*s]", 6, 2, "abc");
	CHECK("[%*c]", 3, 'x');
	CHECK("[%*c]", -3, 'x');
	CHECK("[%*p]", 20, (void *)0x1000);
	CHECK("[%*p]", -20, (void *)0x1000);
	CHECK("[%*ld] [%.*lld]", 22, LONG_MIN, 21, LLONG_MIN);
	CHECK("[%*d|%*d|%*d]", 1, 1, 2, 2, 3, 3);
}

/* Several conversions in one format: each must take exactly its own arguments. */
static void test_sequences(void)
{
	CHECK_LITERAL("");
	CHECK_LITERAL("plain text, no conversions");
	CHECK_LITERAL("100%% sure, %%d is not a conversion here");
	CHECK("%d %s %c %x %o %p %%", -1, "str", 'c', 0xabc, 0755, (void *)0x10);
	CHECK("%o %d %o %s", 8, 9, 10, "after octal");
	CHECK("%hhd %hd %d %ld %lld %zd", 1, 2, 3, 4L, 5LL, (ssize_t)6);
	CHECK("%lld %d %llx %d", LLONG_MIN, 1, ULLONG_MAX, 2);
	CHECK("%s=%#x (%u%%)", "ratio", 0x40, 64);
	CHECK("%5s|%-5s|%05d|%-5d|%5o", "r", "l", 3, 3, 3);
}

/* Unknown conversions are printed as written (glibc differs), and take no argument. */
static void test_unknown(void)
{
	expect("%q", "no arguments", "%q");
	expect("a%qb", "no arguments", "a%qb");
	expect("[%-5q] 7", "7", "[%-5q] %d", 7);
	expect("%lq 7", "7", "%lq %d", 7);
	expect("%y%w 3", "3", "%y%w %d", 3);
	expect("100%", "no arguments", "100%"); /* a lone '%' at the end */
	expect("x%-5", "no arguments", "x%-5");
}

/*
 * snprintf with small buffers: every size from 0 (nothing written, buf may be NULL) to
 * one past what is needed. The return value is always the untruncated length.
 */
static void test_truncation(void)
{
	for (size_t n = 0; n <= 16; n++) {
		CHECK_LITERAL_N(n, "");
		CHECK_LITERAL_N(n, "hello");
		CHECK_N(n, "%d", 12345);
		CHECK_N(n, "%d", INT_MIN);
		CHECK_N(n, "%s|%s", "abc", "defgh");
		CHECK_N(n, "[%-8x]", 0xbeef);
		CHECK_N(n, "%c%c", 'a', 0);
		CHECK_N(n, "%s", (char *)NULL);
		CHECK_N(n, "%p", (void *)0xfeed);
	}
}

static char collected[BIG];
static int collected_len;

static void collect(int ch, void *arg)
{
	int *calls = arg;

	(*calls)++;
	if (collected_len < BIG)
		collected[collected_len++] = (char)ch;
}

/* printfmt itself: it must return exactly the number of characters it handed to putch. */
static void test_printfmt(void)
{
	static const char want[] = "a\0b   42 ok";
	int calls = 0;

	collected_len = 0;
	int ret = printfmt(collect, &calls, "a%cb%5d %s", 0, 42, "ok");
	checks++;
	if (ret != calls || calls != (int)sizeof(want) - 1 || memcmp(collected, want, calls) != 0)
		report(BIG, "0, 42, \"ok\" (printfmt)", "a%cb%5d %s", collected, calls, want,
		       (int)sizeof(want) - 1);
}

int main(void)
{
	test_integers();
	test_strings();
	test_chars();
	test_pointers();
	test_star();
	test_sequences();
	test_unknown();
	test_truncation();
	test_printfmt();

	if (failures > MAX_SHOWN)
		printf("printf: ... %d more failures not shown\n", failures - MAX_SHOWN);
	printf("test_printf: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
