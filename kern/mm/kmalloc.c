/*
 * The kernel heap. Requests up to 1 KiB come from slabs: a page holding a header (struct
 * slab) and then objects of one size class (16, 32, ... 1024 bytes). Each class keeps a
 * list of its slabs that have a free object. Larger requests get a page of their own.
 * kfree() tells the two apart by the pointer: a slab object never starts on a page
 * boundary, a whole page always does. Depends only on kpage_alloc/kpage_free, so
 * tests/host/test_kmalloc.c can run it on the host.
 */
#include <string.h>
#include <memlayout.h>
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "core/panic.h"
#include "core/printk.h"

#define MIN_SHIFT  4 /* the smallest class holds 16-byte objects */
#define NCLASSES   7 /* 16, 32, 64, 128, 256, 512, 1024 */
#define SLAB_MAX   (1 << (MIN_SHIFT + NCLASSES - 1))
#define SLAB_MAGIC 0x51AB51AB51AB51ABUL /* at the start of every slab page */
#define FREE_MAGIC 0xF4EEF4EEF4EEF4EEUL /* in every free object, after its link */
#define OBJ_POISON 0xDD                 /* the rest of a free object, with page_poison */

/* A free object starts with these two words (so the smallest class is 16 bytes). */
struct free_obj {
	struct free_obj *next;
	uint64_t magic; /* FREE_MAGIC */
};

/* The header at the start of a slab page; the objects follow at OBJ_START. */
struct slab {
	uint64_t magic;           /* SLAB_MAGIC: kfree checks it */
	struct slab *next, *prev; /* in partial[class]: slabs with a free object */
	struct free_obj *free;    /* this slab's free objects */
	uint16_t class;           /* objects are 16 << class bytes */
	uint16_t inuse;           /* objects handed out */
	uint16_t nobjs;           /* objects in the slab */
};

#define OBJ_START ROUNDUP(sizeof(struct slab), 16)

static struct slab *partial[NCLASSES];
static size_t nslabs, nbig, objects, bytes;

static size_t class_size(int class)
{
	return (size_t)1 << (MIN_SHIFT + class);
}

static char *slab_obj(struct slab *s, int i)
{
	return (char *)s + OBJ_START + (size_t)i * class_size(s->class);
}

static void partial_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->class];
	if (s->next)
		s->next->prev = s;
	partial[s->class] = s;
}

static void partial_remove(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->class] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* Put obj on its slab's free list, poisoned with page_poison (kern/mm/page.h). */
static void obj_release(struct slab *s, struct free_obj *obj)
{
	if (page_poison)
		memset(obj + 1, OBJ_POISON, class_size(s->class) - sizeof(*obj));
	obj->magic = FREE_MAGIC;
	obj->next = s->free;
	s->free = obj;
}

/* A new slab of class c with every object free; NULL when out of memory. */
static struct slab *slab_new(int c)
{
	struct slab *s = kpage_alloc(ALLOC_HEAP);

	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->class = (uint16_t)c;
	s->inuse = 0;
	s->nobjs = (uint16_t)((PGSIZE - OBJ_START) / class_size(c));
	s->free = NULL;
	for (int i = s->nobjs - 1; i >= 0; i--)
		obj_release(s, (struct free_obj *)slab_obj(s, i));
	partial_push(s);
	nslabs++;
	return s;
}

/* A free object about to be handed out: panic if it was written after it was freed. */
static void check_free_obj(struct slab *s, struct free_obj *obj)
{
	const uint8_t *p = (const uint8_t *)(obj + 1);

	if (obj->magic != FREE_MAGIC)
		panic("kmalloc: free object %p was overwritten after it was freed", (void *)obj);
	for (size_t i = 0; page_poison && i < class_size(s->class) - sizeof(*obj); i++)
		if (p[i] != OBJ_POISON)
			panic("kmalloc: object %p was written after it was freed (byte %lu)",
			      (void *)obj, i + sizeof(*obj));
}

void *kmalloc(size_t size)
{
	if (size == 0 || size > KMALLOC_MAX)
		return NULL;
	if (size > SLAB_MAX) {
		void *p = kpage_alloc(ALLOC_HEAP);
		if (p) {
			nbig++;
			objects++;
			bytes += PGSIZE;
		}
		return p;
	}
	int c = 0;
	while (class_size(c) < size)
		c++;
	struct slab *s = partial[c];
	if (!s && !(s = slab_new(c)))
		return NULL;
	struct free_obj *obj = s->free;
	check_free_obj(s, obj);
	s->free = obj->next;
	obj->magic = 0;
	s->inuse++;
	if (!s->free)
		partial_remove(s);
	objects++;
	bytes += class_size(c);
	return obj;
}

void kfree(void *ptr)
{
	if (!ptr)
		return;
	if ((uintptr_t)ptr % PGSIZE == 0) {
		kpage_free(ptr);
		nbig--;
		objects--;
		bytes -= PGSIZE;
		return;
	}
	struct slab *s = (struct slab *)ROUNDDOWN((uintptr_t)ptr, PGSIZE);
	if (s->magic != SLAB_MAGIC)
		panic("kfree: %p was not returned by kmalloc", ptr);
	size_t off = (size_t)((char *)ptr - slab_obj(s, 0));
	if ((char *)ptr < slab_obj(s, 0) || off % class_size(s->class) != 0 ||
	    off / class_size(s->class) >= s->nobjs)
		panic("kfree: %p is not the start of a kmalloc object", ptr);
	struct free_obj *obj = ptr;
	if (obj->magic == FREE_MAGIC)
		for (struct free_obj *f = s->free; f; f = f->next)
			if (f == obj)
				panic("kfree: %p freed twice", ptr);
	bool was_full = s->free == NULL;
	obj_release(s, obj);
	s->inuse--;
	objects--;
	bytes -= class_size(s->class);
	if (was_full)
		partial_push(s);
	if (s->inuse == 0) {
		/* Give the page back, so the heap shrinks when objects go. */
		partial_remove(s);
		s->magic = 0;
		kpage_free(s);
		nslabs--;
	}
}

void kmalloc_stats(struct kmalloc_stats *st)
{
	st->objects = objects;
	st->bytes = bytes;
	st->pages = nslabs + nbig;
}

void kmalloc_print(void)
{
	printk("Kernel heap: %lu objects (%lu bytes) in %lu pages (%lu slabs, %lu whole pages)\n",
	       objects, bytes, nslabs + nbig, nslabs, nbig);
	for (int c = 0; c < NCLASSES; c++) {
		size_t n = 0, free = 0;
		for (struct slab *s = partial[c]; s; s = s->next) {
			n++;
			free += s->nobjs - s->inuse;
		}
		if (n)
			printk("  %4lu-byte objects: %lu slabs with free space, %lu free objects\n",
			       class_size(c), n, free);
	}
}
