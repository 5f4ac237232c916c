/*
 * musl-malloc: musl's malloc over brk and mmap: many small blocks, some larger than its mmap
 * threshold, calloc's zeroes, realloc keeping contents, all freed and allocated again.
 * Prints plain "musl-malloc:" lines (musl programs cannot use Sparrow's verdict()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMALL 2000
#define BIG   (4 << 20) /* far above musl's mmap threshold */

static int failures;

static void result(int ok, const char *what)
{
	printf("musl-malloc: %s %s\n", ok ? "OK" : "FAIL", what);
	failures += !ok;
}

static unsigned char fill(size_t block, size_t i)
{
	return (unsigned char)(block * 31 + i);
}

int main(void)
{
	static unsigned char *blocks[SMALL];
	int bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t b = 0; b < SMALL; b++) {
		size_t n = 1 + b % 700;
		blocks[b] = malloc(n);
		if (!blocks[b]) {
			bad++;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			blocks[b][i] = fill(b, i);
	}
	for (size_t b = 0; b < SMALL; b++)
		for (size_t i = 0; blocks[b] && i < 1 + b % 700; i++)
			bad += blocks[b][i] != fill(b, i);
	result(bad == 0, "2000 small blocks of 1 to 700 bytes keep their contents");
	for (size_t b = 0; b < SMALL; b += 2)
		free(blocks[b]);
	for (size_t b = 0; b < SMALL; b += 2)
		bad += (blocks[b] = malloc(64)) == NULL;
	for (size_t b = 1; b < SMALL; b += 2)
		for (size_t i = 0; i < 1 + b % 700; i++)
			bad += blocks[b][i] != fill(b, i);
	result(bad == 0, "freeing every other one and allocating again leaves the rest intact");

	unsigned char *big = malloc(BIG);
	if (big) {
		for (size_t i = 0; i < BIG; i += 4096)
			big[i] = (unsigned char)(i >> 12);
		for (size_t i = 0; i < BIG; i += 4096)
			bad += big[i] != (unsigned char)(i >> 12);
	}
	result(big && bad == 0, "a 4 MiB block (mmap) can be written and read");
	free(big);

	unsigned *z = calloc(100000, sizeof(unsigned));
	int nonzero = 0;
	for (size_t i = 0; z && i < 100000; i++)
		nonzero += z[i] != 0;
	result(z && nonzero == 0, "calloc gives 400 KB of zeroes");
	free(z);

	char *s = malloc(16);
	strcpy(s, "realloc me");
	int kept = 1;
	for (size_t n = 32; s && n <= BIG; n *= 4) {
		s = realloc(s, n);
		kept = kept && s && strcmp(s, "realloc me") == 0;
		if (s)
			s[n - 1] = 'x';
	}
	s = s ? realloc(s, 11) : NULL;
	result(kept && s && strcmp(s, "realloc me") == 0,
	       "realloc keeps the contents growing from 16 bytes to 4 MiB and back");
	free(s);

	for (size_t b = 0; b < SMALL; b++)
		free(blocks[b]);
	int again = 1;
	for (int round = 0; round < 20 && again; round++) {
		void *p = malloc(BIG / 2), *q = malloc(1000);
		again = p && q;
		free(p);
		free(q);
	}
	result(again, "after freeing everything, 20 rounds of malloc and free still work");
	printf("musl-malloc: %s\n", failures ? "FAIL" : "all OK");
	return failures != 0;
}
