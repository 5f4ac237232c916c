/*
 * Host test for lib/string.c: runs each of Sparrow's memory and string routines beside the
 * host C library's on the same inputs and demands the same results. Built and run by
 * tests/host/run.sh.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sparrow's declarations, under the sp_ names that run.sh gave the lib object. */
#define memset  sp_memset
#define memcpy  sp_memcpy
#define memmove sp_memmove
#define memcmp  sp_memcmp
#define strlen  sp_strlen
#define strnlen sp_strnlen
#define strcmp  sp_strcmp
#define strncmp sp_strncmp
#define strcpy  sp_strcpy
#define strncpy sp_strncpy
#define strlcpy sp_strlcpy
#define strchr  sp_strchr
#define strrchr sp_strrchr
#define strstr  sp_strstr
#define strtoul sp_strtoul
#define strtol  sp_strtol
#include "../../inc/string.h"
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strcpy
#undef strncpy
#undef strlcpy
#undef strchr
#undef strrchr
#undef strstr
#undef strtoul
#undef strtol

static int checks, failures;

/* Count one check; print what went wrong if it failed. */
static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failures++;
	printf("string: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * s as a C string literal body, with unprintable bytes escaped so that failure messages stay
 * readable text. Returns one of a few static buffers, so a message can show several strings.
 */
static const char *esc(const char *s)
{
	static char bufs[4][128];
	static int next;
	char *buf = bufs[next++ % 4];
	size_t used = 0;

	for (; *s != '\0' && used + 5 < sizeof(bufs[0]); s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			used += snprintf(buf + used, sizeof(bufs[0]) - used, "\\x%02x", c);
		else
			buf[used++] = (char)c;
	}
	buf[used] = '\0';
	return buf;
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* A recognisable, non-repeating byte pattern (including bytes above 0x7f). */
static void fill(unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(seed + i * 37);
}

/* Every destination alignment, every length up to 100 (the byte, word and 32-byte paths and
 * their tails), and for memcpy every source alignment too. */
static void test_memset_memcpy(void)
{
	static const int values[] = { 0, 0x5a, 0xff, -1, 0x1ab /* only the low byte counts */ };
	unsigned char a[128], b[128], src[128];

	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n + off <= 100; n++) {
			for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
				fill(a, sizeof(a), 1);
				fill(b, sizeof(b), 1);
				void *r = sp_memset(a + off, values[v], n);
				memset(b + off, values[v], n);
				check(r == a + off && memcmp(a, b, sizeof(a)) == 0,
				      "memset(buf+%zu, %#x, %zu) wrote the wrong bytes", off,
				      values[v], n);
			}
			for (size_t so = 0; so < 8; so++) {
				fill(src, sizeof(src), 7);
				fill(a, sizeof(a), 1);
				fill(b, sizeof(b), 1);
				void *r = sp_memcpy(a + off, src + so, n);
				memcpy(b + off, src + so, n);
				check(r == a + off && memcmp(a, b, sizeof(a)) == 0,
				      "memcpy(buf+%zu, src+%zu, %zu) wrote the wrong bytes", off,
				      so, n);
			}
		}
	}
}

/* Overlapping moves in both directions: every source and destination offset up to 16. */
static void test_memmove(void)
{
	unsigned char a[64], b[64];

	for (size_t src = 0; src <= 16; src++) {
		for (size_t dst = 0; dst <= 16; dst++) {
			for (size_t n = 0; n <= 32; n++) {
				fill(a, sizeof(a), 3);
				fill(b, sizeof(b), 3);
				void *r = sp_memmove(a + dst, a + src, n);
				memmove(b + dst, b + src, n);
				check(r == a + dst && memcmp(a, b, sizeof(a)) == 0,
				      "memmove(buf+%zu, buf+%zu, %zu) (%s) wrote the wrong bytes",
				      dst, src, n, dst > src ? "backwards overlap" : "forwards");
			}
		}
	}
}

static void test_memcmp(void)
{
	static const struct {
		const char *a, *b;
		size_t n;
	} cases[] = {
		{ "abc", "abc", 3 },     { "abc", "abd", 3 },   { "abd", "abc", 3 },
		{ "abc", "abd", 2 },     { "", "", 0 },         { "a\x80", "a\x7f", 2 },
		{ "a\x7f", "a\x80", 2 }, { "\xff", "\x01", 1 }, { "x\0a", "x\0b", 3 },
		{ "hello", "help!", 5 }, { "same", "same", 4 }, { "zzz", "aaa", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sp_memcmp(cases[i].a, cases[i].b, cases[i].n);
		int want = memcmp(cases[i].a, cases[i].b, cases[i].n);
		check(sign(got) == sign(want), "memcmp(\"%s\", \"%s\", %zu) = %d, want sign of %d",
		      esc(cases[i].a), esc(cases[i].b), cases[i].n, got, want);
	}
}

static const char *const words[] = {
	"",      "a",           "ab",   "abc",  "abd",      "abcd", "b",
	"hello", "hello world", "\x80", "\x7f", "\xff\x01", "zz",   "Hello",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* strlen, strnlen, strcmp and strncmp over every pair of words. */
static void test_compare(void)
{
	for (size_t i = 0; i < NWORDS; i++) {
		const char *a = words[i];
		check(sp_strlen(a) == strlen(a), "strlen(\"%s\") = %zu, want %zu", esc(a),
		      sp_strlen(a), strlen(a));
		for (size_t max = 0; max < 14; max++) {
			check(sp_strnlen(a, max) == strnlen(a, max),
			      "strnlen(\"%s\", %zu) = %zu, want %zu", esc(a), max,
			      sp_strnlen(a, max), strnlen(a, max));
		}
		for (size_t j = 0; j < NWORDS; j++) {
			const char *b = words[j];
			check(sign(sp_strcmp(a, b)) == sign(strcmp(a, b)),
			      "strcmp(\"%s\", \"%s\") = %d, want sign of %d", esc(a), esc(b),
			      sp_strcmp(a, b), strcmp(a, b));
			for (size_t n = 0; n < 8; n++) {
				check(sign(sp_strncmp(a, b, n)) == sign(strncmp(a, b, n)),
				      "strncmp(\"%s\", \"%s\", %zu) = %d, want sign of %d", esc(a),
				      esc(b), n, sp_strncmp(a, b, n), strncmp(a, b, n));
			}
		}
	}
	/* strnlen must not read past maxlen: this array has no terminator. */
	static const char unterminated[4] = { 'a', 'b', 'c', 'd' };
	check(sp_strnlen(unterminated, 4) == 4, "strnlen of 4 unterminated bytes is not 4");
}

/* strcpy, strncpy (with its padding and missing terminator) and strlcpy. */
static void test_copy(void)
{
	char a[32], b[32];

	for (size_t i = 0; i < NWORDS; i++) {
		const char *s = words[i];
		memset(a, 'X', sizeof(a));
		memset(b, 'X', sizeof(b));
		char *r = sp_strcpy(a, s);
		strcpy(b, s);
		check(r == a && memcmp(a, b, sizeof(a)) == 0, "strcpy(buf, \"%s\") wrote wrongly",
		      esc(s));

		for (size_t n = 0; n < 16; n++) {
			memset(a, 'X', sizeof(a));
			memset(b, 'X', sizeof(b));
			r = sp_strncpy(a, s, n);
			strncpy(b, s, n);
			check(r == a && memcmp(a, b, sizeof(a)) == 0,
			      "strncpy(buf, \"%s\", %zu) wrote wrongly", esc(s), n);
		}
	}

	/*
	 * The host libc may predate strlcpy, so these say what it must do: copy at most
	 * size-1 bytes, always terminate (if size > 0), return strlen(src).
	 */
	for (size_t i = 0; i < NWORDS; i++) {
		const char *s = words[i];
		size_t len = strlen(s);
		for (size_t size = 0; size < 16; size++) {
			size_t copied = len < size ? len : (size > 0 ? size - 1 : 0);
			memset(a, 'X', sizeof(a));
			memset(b, 'X', sizeof(b));
			memcpy(b, s, copied);
			if (size > 0)
				b[copied] = '\0';
			size_t ret = sp_strlcpy(a, s, size);
			check(ret == len && memcmp(a, b, sizeof(a)) == 0,
			      "strlcpy(buf, \"%s\", %zu) returned %zu (want %zu) or wrote wrongly",
			      esc(s), size, ret, len);
		}
	}
}

/* strchr, strrchr and strstr, comparing the offsets found (or both not found). */
static void test_search(void)
{
	static const int chars[] = { 'a', 'b', 'l', 'o', 'z', ' ', '\0', 0x80, 'a' + 0x100 };
	static const char *const needles[] = { "",   "a",   "ab",    "abc",
		                               "lo", "o w", "world", "hello world!",
		                               "ll", "bd",  "\x80",  "ld" };

	for (size_t i = 0; i < NWORDS; i++) {
		const char *s = words[i];
		for (size_t c = 0; c < sizeof(chars) / sizeof(chars[0]); c++) {
			check(sp_strchr(s, chars[c]) == strchr(s, chars[c]),
			      "strchr(\"%s\", %#x) found the wrong place", esc(s), chars[c]);
			check(sp_strrchr(s, chars[c]) == strrchr(s, chars[c]),
			      "strrchr(\"%s\", %#x) found the wrong place", esc(s), chars[c]);
		}
		for (size_t n = 0; n < sizeof(needles) / sizeof(needles[0]); n++) {
			check(sp_strstr(s, needles[n]) == strstr(s, needles[n]),
			      "strstr(\"%s\", \"%s\") found the wrong place", esc(s),
			      esc(needles[n]));
		}
	}
	check(sp_strstr("aaab", "aab") == strstr("aaab", "aab"),
	      "strstr(\"aaab\", \"aab\") missed a match after a partial one");
	check(sp_strrchr("abcabc", 'b') == strrchr("abcabc", 'b'),
	      "strrchr(\"abcabc\", 'b') did not find the last 'b'");
}

static const char *const numbers[] = {
	"0",
	"42",
	"  42",
	"\t\n\v\f\r +42",
	"-42",
	"+-42",
	"0x1f",
	"0X1F",
	"0x",
	"0xg",
	"-0x10",
	"017",
	"08",
	"019",
	"ff",
	"FF",
	"z",
	"Zz",
	"",
	"   ",
	"+",
	"-",
	"123abc",
	"1e3",
	"0b101",
	"101",
	"9223372036854775807",
	"9223372036854775808",
	"-9223372036854775808",
	"-9223372036854775809",
	"18446744073709551615",
	"18446744073709551616",
	"-18446744073709551615",
	"99999999999999999999999",
	"-99999999999999999999999",
	"0x7fffffffffffffff",
	"0xffffffffffffffff",
	"0x10000000000000000",
	"777777777777777777777",
	"1777777777777777777777",
	"2000000000000000000000",
	"-1",
	"00000000000000000000000000042",
};

/* strtoul and strtol in every base they accept: value and where parsing stopped. */
static void test_strto(void)
{
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		const char *s = numbers[i];
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
			int base = bases[b];
			char *got_end, *want_end;

			unsigned long gu = sp_strtoul(s, &got_end, base);
			unsigned long wu = strtoul(s, &want_end, base);
			check(gu == wu && got_end == want_end,
			      "strtoul(\"%s\", &end, %d) = %lu with end at +%td, want %lu at +%td",
			      esc(s), base, gu, got_end - s, wu, want_end - s);

			long gl = sp_strtol(s, &got_end, base);
			long wl = strtol(s, &want_end, base);
			check(gl == wl && got_end == want_end,
			      "strtol(\"%s\", &end, %d) = %ld with end at +%td, want %ld at +%td",
			      esc(s), base, gl, got_end - s, wl, want_end - s);

			/* endptr may be NULL. */
			check(sp_strtol(s, NULL, base) == wl, "strtol(\"%s\", NULL, %d) != %ld",
			      esc(s), base, wl);
		}
	}
}

int main(void)
{
	test_memset_memcpy();
	test_memmove();
	test_memcmp();
	test_compare();
	test_copy();
	test_search();
	test_strto();

	printf("test_string: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
