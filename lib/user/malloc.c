/*
 * The heap: malloc, free, calloc, realloc. Blocks under 64 KiB come from size classes
 * (powers of two, 16 bytes to 64 KiB) carved out of 64 KiB chunks of the program break;
 * larger blocks get a mapping of their own. Freed memory goes back to the kernel.
 */
#include <types.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <mman.h>

/*
 * The heap is a row of chunks starting at heap_base (aligned to CHUNK_SIZE) and ending at
 * the break. Each chunk in use holds blocks of one size class only, so the class of a block
 * follows from its address: small blocks need no header. A chunk hands out its blocks in
 * address order the first time ("fresh"), then reuses freed ones from a list threaded
 * through the blocks themselves.
 *
 * When the last block of a chunk is freed, the chunk becomes free for any class, and free
 * chunks at the top of the heap go back to the kernel by lowering the break (one is kept,
 * so that a loop of malloc and free does not call brk every time). A large block is one
 * mapping, with a header saying its length, and free unmaps it.
 */
#define CHUNK_SHIFT 16
#define CHUNK_SIZE  (1UL << CHUNK_SHIFT) /* 64 KiB */
#define MAX_CHUNKS  1024                 /* the break-based heap: 64 MiB at most */
#define MIN_SHIFT   4                    /* the smallest class: 16 bytes */
#define NCLASSES    (CHUNK_SHIFT - MIN_SHIFT + 1)
#define LARGE_MIN   CHUNK_SIZE /* requests this big and bigger are mapped */
#define PAGE_SIZE   4096
#define SIZE_MAX    ((size_t)-1)

#define CHUNK_FREE    (-1) /* in the heap, holding no blocks */
#define CHUNK_FOREIGN (-2) /* not ours: someone else's sbrk moved the break meanwhile */

struct chunk {
	int class;                 /* a size class (0: 16 bytes), CHUNK_FREE or CHUNK_FOREIGN */
	uint32_t used;             /* blocks handed out and not freed */
	uint32_t fresh;            /* bytes from the chunk's start handed out at least once */
	void *free;                /* freed blocks, each holding a pointer to the next */
	struct chunk *prev, *next; /* in with_room[class] while it has a block to spare */
};

static struct chunk chunks[MAX_CHUNKS];
static int nchunks;                       /* chunks between heap_base and the break */
static uintptr_t heap_base;               /* chunk 0's address; 0 until the first malloc */
static struct chunk *with_room[NCLASSES]; /* per class: chunks with a block to spare */

/* The header in front of a large block. */
struct large {
	size_t len;   /* of the whole mapping */
	size_t magic; /* LARGE_MAGIC while allocated, so free can spot a bad pointer */
};
#define LARGE_MAGIC 0x6c61726765626c6bUL

static size_t class_size(int class)
{
	return (size_t)1 << (class + MIN_SHIFT);
}

/* The smallest class whose blocks hold n bytes (n < LARGE_MIN). */
static int size_class(size_t n)
{
	int class = 0;

	while (class_size(class) < n)
		class ++;
	return class;
}

static uintptr_t chunk_addr(const struct chunk *c)
{
	return heap_base + ((uintptr_t)(c - chunks) << CHUNK_SHIFT);
}

static bool chunk_full(const struct chunk *c)
{
	return c->free == NULL && c->fresh == CHUNK_SIZE;
}

static void room_add(struct chunk *c)
{
	c->prev = NULL;
	c->next = with_room[c->class];
	if (c->next)
		c->next->prev = c;
	with_room[c->class] = c;
}

static void room_remove(struct chunk *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		with_room[c->class] = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

static void __attribute__((noreturn)) bad_pointer(const char *fn, void *p)
{
	dprintf(STDERR_FILENO, "%s: invalid pointer %p (not from malloc, or freed already)\n", fn,
	        p);
	abort();
}

/* A new chunk at the top of the heap, from the break; NULL if the kernel has no memory. */
static struct chunk *heap_grow(void)
{
	uintptr_t brk_now = (uintptr_t)sbrk(0);

	if (heap_base == 0)
		heap_base = ROUNDUP(brk_now, CHUNK_SIZE);
	uintptr_t end = heap_base + ((uintptr_t)nchunks << CHUNK_SHIFT);
	while (end < brk_now && nchunks < MAX_CHUNKS) {
		chunks[nchunks++].class = CHUNK_FOREIGN;
		end += CHUNK_SIZE;
	}
	if (nchunks == MAX_CHUNKS || sbrk((intptr_t)(end + CHUNK_SIZE - brk_now)) == (void *)-1)
		return NULL;
	struct chunk *c = &chunks[nchunks++];
	c->class = CHUNK_FREE;
	return c;
}

/* Lower the break past the free chunks at the top of the heap, all but one. */
static void heap_trim(void)
{
	while (nchunks >= 2 && chunks[nchunks - 1].class == CHUNK_FREE &&
	       chunks[nchunks - 2].class == CHUNK_FREE) {
		uintptr_t end = heap_base + ((uintptr_t)nchunks << CHUNK_SHIFT);
		if ((uintptr_t)sbrk(0) != end || sbrk(-(intptr_t)CHUNK_SIZE) == (void *)-1)
			return;
		nchunks--;
	}
}

static bool in_heap(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	return heap_base != 0 && a >= heap_base &&
	       a < heap_base + ((uintptr_t)nchunks << CHUNK_SHIFT);
}

static void *small_alloc(size_t n)
{
	int class = size_class(n);
	struct chunk *c = with_room[class];

	if (c == NULL) {
		for (int i = 0; i < nchunks && !c; i++)
			if (chunks[i].class == CHUNK_FREE)
				c = &chunks[i];
		if (c == NULL && (c = heap_grow()) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		c->class = class;
		c->used = c->fresh = 0;
		c->free = NULL;
		room_add(c);
	}
	void *p = c->free;
	if (p) {
		c->free = *(void **)p;
	} else {
		p = (void *)(chunk_addr(c) + c->fresh);
		c->fresh += class_size(class);
	}
	c->used++;
	if (chunk_full(c))
		room_remove(c);
	return p;
}

static void small_free(void *p)
{
	struct chunk *c = &chunks[((uintptr_t)p - heap_base) >> CHUNK_SHIFT];
	uintptr_t off = (uintptr_t)p - chunk_addr(c);

	if (c->class < 0 || off % class_size(c->class) != 0 || off >= c->fresh || c->used == 0)
		bad_pointer("free", p);
	bool was_full = chunk_full(c);
	*(void **)p = c->free;
	c->free = p;
	c->used--;
	if (c->used == 0) {
		if (!was_full)
			room_remove(c);
		c->class = CHUNK_FREE;
		heap_trim();
	} else if (was_full) {
		room_add(c);
	}
}

static void *large_alloc(size_t n)
{
	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	size_t len = ROUNDUP(n + sizeof(struct large), PAGE_SIZE);
	struct large *h =
	        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED)
		return NULL;
	h->len = len;
	h->magic = LARGE_MAGIC;
	return h + 1;
}

static struct large *large_header(void *p, const char *fn)
{
	struct large *h = (struct large *)p - 1;

	if ((uintptr_t)p % PAGE_SIZE != sizeof(*h) || h->magic != LARGE_MAGIC)
		bad_pointer(fn, p);
	return h;
}

/* How many bytes the block at p can hold. */
static size_t block_size(void *p, const char *fn)
{
	if (in_heap(p))
		return class_size(chunks[((uintptr_t)p - heap_base) >> CHUNK_SHIFT].class);
	return large_header(p, fn)->len - sizeof(struct large);
}

void *malloc(size_t n)
{
	return n >= LARGE_MIN ? large_alloc(n) : small_alloc(n);
}

void free(void *p)
{
	if (p == NULL)
		return;
	if (in_heap(p)) {
		small_free(p);
	} else {
		struct large *h = large_header(p, "free");
		h->magic = 0;
		munmap(h, h->len);
	}
}

void *calloc(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

/* Keep the block when n fits and would not waste more than half of it; else move it. */
void *realloc(void *p, size_t n)
{
	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	size_t have = block_size(p, "realloc");
	if (n <= have && (n > have / 2 || have == class_size(0)))
		return p;
	void *q = malloc(n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, MIN(n, have));
	free(p);
	return q;
}
