/*
 * Host tests for the kernel heap (kern/mm/kmalloc.c), built with ASan/UBSan by
 * tests/host/run_mm.sh. The kernel's page allocator is replaced by aligned_alloc with a
 * page budget, and panic() by a longjmp, so each misuse the heap must catch can be checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096

/* The heap's interface (kern/mm/kmalloc.h, which needs the kernel's own headers). */
struct kmalloc_stats {
	size_t objects, bytes, pages;
};
void *kmalloc(size_t size);
void kfree(void *ptr);
void kmalloc_stats(struct kmalloc_stats *st);
void kmalloc_print(void);

static int checks, failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			failures++;                                            \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                              \
	} while (0)

/* ---- what the kernel would provide ------------------------------------------------- */

/* kern/mm/page.h's debug switch (the kernel option poison=1): on, so the poison checks run. */
_Bool page_poison = 1;

#define MAX_PAGES 4096
static void *live[MAX_PAGES]; /* pages handed out and not yet freed */
static long budget = -1;      /* pages kpage_alloc may still hand out; -1: no limit */
static int npages_live;

void *kpage_alloc(int flags)
{
	(void)flags;
	if (budget == 0 || npages_live == MAX_PAGES)
		return NULL;
	void *p = aligned_alloc(PAGE, PAGE);
	if (!p)
		abort();
	memset(p, 0xA5, PAGE); /* not zeroed: kmalloc must not rely on it */
	for (int i = 0; i < MAX_PAGES; i++) {
		if (!live[i]) {
			live[i] = p;
			break;
		}
	}
	npages_live++;
	if (budget > 0)
		budget--;
	return p;
}

void kpage_free(void *p)
{
	for (int i = 0; i < MAX_PAGES; i++) {
		if (live[i] == p) {
			live[i] = NULL;
			npages_live--;
			if (budget >= 0)
				budget++;
			free(p);
			return;
		}
	}
	printf("FAIL: kpage_free(%p): not a page kpage_alloc handed out\n", p);
	failures++;
}

static jmp_buf panic_jmp;
static int expect_panic;
static char panic_msg[256];

void _panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (expect_panic) {
		expect_panic = 0;
		longjmp(panic_jmp, 1);
	}
	printf("FAIL: unexpected panic at %s:%d: %s\n", file, line, panic_msg);
	exit(1);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* Run stmt, which must panic with a message containing `want`. */
#define EXPECT_PANIC(stmt, want)                                                               \
	do {                                                                                   \
		checks++;                                                                      \
		panic_msg[0] = '\0';                                                           \
		if (setjmp(panic_jmp) == 0) {                                                  \
			expect_panic = 1;                                                      \
			stmt;                                                                  \
			expect_panic = 0;                                                      \
			failures++;                                                            \
			printf("FAIL %s:%d: %s did not panic\n", __FILE__, __LINE__, #stmt);   \
		} else if (!strstr(panic_msg, want)) {                                         \
			failures++;                                                            \
			printf("FAIL %s:%d: %s panicked with '%s', expected '%s'\n", __FILE__, \
			       __LINE__, #stmt, panic_msg, want);                              \
		}                                                                              \
	} while (0)

/* ---- tests ------------------------------------------------------------------------- */

static void test_sizes(void)
{
	static const size_t sizes[] = { 1,   2,    15,   16,   17,   31,   32,  33,
		                        64,  100,  128,  129,  255,  256,  511, 512,
		                        513, 1000, 1024, 1025, 2048, 4095, 4096 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]), PER = 5 };
	unsigned char *p[N][PER];
	struct kmalloc_stats st;

	for (int i = 0; i < N; i++) {
		for (int j = 0; j < PER; j++) {
			p[i][j] = kmalloc(sizes[i]);
			CHECK(p[i][j] != NULL);
			CHECK((uintptr_t)p[i][j] % 16 == 0);
			memset(p[i][j], i * PER + j, sizes[i]);
		}
	}
	kmalloc_stats(&st);
	CHECK(st.objects == N * PER);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < PER; j++)
			for (size_t k = 0; k < sizes[i]; k++)
				if (p[i][j][k] != (unsigned char)(i * PER + j)) {
					CHECK(!"objects overlap");
					goto out;
				}
out:
	for (int i = 0; i < N; i++)
		for (int j = 0; j < PER; j++)
			kfree(p[i][j]);
	kmalloc_stats(&st);
	CHECK(st.objects == 0 && st.bytes == 0 && st.pages == 0);
	CHECK(npages_live == 0);
}

static void test_limits(void)
{
	CHECK(kmalloc(0) == NULL);
	CHECK(kmalloc(4097) == NULL);
	CHECK(kmalloc((size_t)-1) == NULL);
	kfree(NULL);
	CHECK(npages_live == 0);
}

/* A freed object is handed out again first (its slab stays at the front). */
static void test_reuse(void)
{
	void *a = kmalloc(40), *b = kmalloc(40);
	CHECK(a && b && a != b);
	kfree(a);
	CHECK(kmalloc(48) == a); /* same class: 64 bytes */
	kfree(a);
	kfree(b);
	CHECK(npages_live == 0);
}

/* Random allocations and frees checked against a shadow copy of every object. */
static void test_random(void)
{
	enum { SLOTS = 2000, STEPS = 200000 };
	static unsigned char *obj[SLOTS];
	static size_t size[SLOTS];
	static unsigned char fill[SLOTS];
	unsigned seed = 12345;
	int bad = 0;

	for (int step = 0; step < STEPS; step++) {
		seed = seed * 1103515245 + 12345;
		int s = (seed >> 8) % SLOTS;
		if (obj[s]) {
			for (size_t k = 0; k < size[s]; k++)
				bad |= obj[s][k] != fill[s];
			kfree(obj[s]);
			obj[s] = NULL;
		} else {
			seed = seed * 1103515245 + 12345;
			size[s] = 1 + (seed >> 8) % ((seed & 1) ? 128 : 4096);
			obj[s] = kmalloc(size[s]);
			if (!obj[s]) {
				CHECK(!"kmalloc failed with memory to spare");
				return;
			}
			fill[s] = (unsigned char)step;
			memset(obj[s], fill[s], size[s]);
		}
	}
	CHECK(!bad);
	for (int s = 0; s < SLOTS; s++)
		kfree(obj[s]);
	CHECK(npages_live == 0);
}

/* With no pages left, kmalloc returns NULL (never panics); freeing gives everything back. */
static void test_out_of_memory(void)
{
	static void *p[100000];
	int n = 0, again = 0;

	budget = 10;
	while (n < 100000 && (p[n] = kmalloc(100)) != NULL)
		n++;
	CHECK(n == 10 * ((PAGE - 48) / 128));
	CHECK(kmalloc(2000) == NULL);
	CHECK(kmalloc(16) == NULL);
	for (int i = 0; i < n; i++)
		kfree(p[i]);
	CHECK(budget == 10 && npages_live == 0);
	while (again < 100000 && (p[again] = kmalloc(100)) != NULL)
		again++;
	CHECK(again == n);
	for (int i = 0; i < again; i++)
		kfree(p[i]);
	budget = -1;
}

static void test_misuse(void)
{
	char *a = kmalloc(32), *keep = kmalloc(32);

	kfree(a);
	EXPECT_PANIC(kfree(a), "freed twice");
	EXPECT_PANIC(kfree(keep + 8), "not the start of a kmalloc object");
	char *page = aligned_alloc(PAGE, PAGE);
	memset(page, 0, PAGE);
	EXPECT_PANIC(kfree(page + 64), "not returned by kmalloc");
	free(page);

	/* Use after free: a write into a freed object is caught when it is handed out again.
	 * A neighbour stays allocated so the slab (and its page) stays in the heap. */
	char *n1 = kmalloc(200), *b = kmalloc(200);
	kfree(b);
	b[100] = 1;
	EXPECT_PANIC(kmalloc(200), "written after it was freed");
	char *n2 = kmalloc(1000), *c = kmalloc(1000);
	kfree(c);
	memset(c, 0, 16); /* the free-list link and its magic */
	EXPECT_PANIC(kmalloc(1000), "overwritten after it was freed");
	/* Those two slabs are damaged on purpose: leave them alone. */
	(void)n1, (void)n2;
	kfree(keep);
}

int main(void)
{
	test_limits();
	test_sizes();
	test_reuse();
	test_random();
	test_out_of_memory();
	test_misuse();
	printf("test_kmalloc: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
