/*
 * Address spaces: the x86-64 four-level page tables, the walker that finds one address's
 * entry (pt_walk) and the iterator over a range (vm_iter) that every operation on them
 * uses: map, unmap, lookup, change permissions, copy, tear down; later fork, and the
 * monitor's and gdb's views.
 */
#ifndef SPARROW_KERN_MM_VM_H
#define SPARROW_KERN_MM_VM_H

#include <types.h>
#include <memlayout.h>

struct page;

/*
 * A virtual address selects one entry in each of four tables, 512 entries of 8 bytes
 * each (Intel SDM volume 3, 4.5):
 *
 *   63      48 47     39 38     30 29     21 20     12 11          0
 *  +----------+---------+---------+---------+---------+-------------+
 *  | sign ext.| PML4    | PDPT    | PD      | PT      | page offset |
 *  +----------+---------+---------+---------+---------+-------------+
 *               level 4   level 3   level 2   level 1
 *
 * An entry holds the physical address of the next table (or of the page) and permission
 * bits. A level-2 entry with PTE_PS maps a 2 MiB page directly, a level-3 one a 1 GiB page.
 * An access is allowed only if every level allows it: W and U must be set at all four,
 * and NX at any level forbids execution.
 */
typedef uint64_t pte_t;

#define PTE_P   0x001 /* present */
#define PTE_W   0x002 /* writable */
#define PTE_U   0x004 /* user-accessible */
#define PTE_PWT 0x008 /* write-through caching */
#define PTE_PCD 0x010 /* caching disabled (device memory) */
#define PTE_A   0x020 /* accessed: set by the CPU */
#define PTE_D   0x040 /* dirty: set by the CPU on a write (leaf entries) */
#define PTE_PS  0x080 /* page size: this level-2/3 entry maps a 2 MiB/1 GiB page */
#define PTE_G   0x100 /* global: kept in the TLB across CR3 loads (with CR4.PGE) */
/* Bits 9-11 are ignored by the CPU and free for the kernel. */
#define PTE_NOREF 0x200       /* the mapping holds no reference on its frame (see vm_map) */
#define PTE_COW   0x400       /* copy-on-write (lab 4): shared read-only until written */
#define PTE_NX    (1UL << 63) /* no execute (with EFER.NXE) */

#define PTE_ADDR_MASK 0x000FFFFFFFFFF000UL /* physical address bits 12-51 */
/* The bits vm_protect() changes. */
#define PTE_PERM_MASK (PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_G | PTE_NX | PTE_COW)

#define PT_LEVELS       4
#define PT_ENTRIES      512
#define LEVEL_SHIFT(l)  (PGSHIFT + 9 * ((l)-1))                     /* 12, 21, 30, 39 */
#define LEVEL_SIZE(l)   (1UL << LEVEL_SHIFT(l))                     /* what one entry maps */
#define PT_INDEX(va, l) (((uintptr_t)(va) >> LEVEL_SHIFT(l)) & 511) /* va's entry */

/* The physical address in a level-`level` entry: a table's, or a (huge) page's. */
static inline physaddr_t pte_addr(pte_t pte, int level)
{
	if (level > 1 && (pte & PTE_PS))
		return pte & PTE_ADDR_MASK & ~(LEVEL_SIZE(level) - 1);
	return pte & PTE_ADDR_MASK;
}

/* A leaf maps memory; any other present entry points to the next table. */
static inline bool pte_is_leaf(pte_t pte, int level)
{
	return level == 1 || (pte & PTE_PS);
}

/*
 * The walker. Starting at the top-level table pml4, descend toward va through present
 * table entries until reaching the entry at level `stop` (1 = the 4 KiB page-table entry).
 * Returns the entry where the walk ended and its level in *level:
 *   - the entry at level `stop`, present or not;
 *   - above `stop`, a present huge-page entry (PTE_PS) that maps va;
 *   - above `stop`, an entry that is not present, if alloc is false.
 * With alloc true, a missing table on the way is allocated (zeroed) and linked in, so the
 * walk always reaches `stop` (unless a huge page is in the way); NULL when there is no
 * memory for a table.
 */
pte_t *pt_walk(pte_t *pml4, uintptr_t va, int stop, bool alloc, int *level);

/*
 * Iterate over the present entries that map [start, last] (last inclusive, so a range may
 * end at the top of the address space):
 *
 *	struct vm_iter it;
 *	for (vm_iter_start(&it, pml4, start, last, 1); vm_iter_next(&it);)
 *		... *it.pte is a present leaf mapping it.va (level it.level) ...
 *
 * With stop = 1 every present leaf is visited (4 KiB pages, and 2 MiB / 1 GiB pages once
 * each). With stop > 1 the iterator visits the present entries of level `stop`, table
 * pointers included (and huge leaves above that level), which is what teardown needs.
 * Each step moves along one table, descending only into present tables, so an absent
 * subtree is skipped in one step at whatever level it starts, and visiting the n present
 * pages of a range costs about n steps: walking the 128 TiB user half of an empty address
 * space takes a few hundred. Do not remove the table the current entry lives in (or one
 * above it) while iterating; changing or clearing the current entry is fine.
 */
struct vm_iter {
	pte_t *pml4;
	uintptr_t va;   /* the first address the current entry maps (aligned to its size) */
	uintptr_t last; /* the last address to visit */
	int stop;       /* the level the walk descends to */
	pte_t *pte;     /* the current entry */
	int level;      /* its level */
	pte_t *table[PT_LEVELS + 1]; /* table[l]: the level-l table on the way to pte */
	bool started, done;
};

void vm_iter_start(struct vm_iter *it, pte_t *pml4, uintptr_t start, uintptr_t last, int stop);
bool vm_iter_next(struct vm_iter *it);

/* Map [va, va + size) to physical [pa, pa + size) with permissions perm (PTE_W, PTE_U,
 * PTE_NX, ...). The mapping holds no reference on the frames (PTE_NOREF): for memory the
 * frame allocator does not hand out or that lives forever (the kernel image, the direct
 * map, devices). Uses 2 MiB pages where va, pa and the size allow. Returns 0, -ENOMEM
 * (some of the range may then be mapped), or -EEXIST if part of the range is mapped. */
int vm_map(pte_t *pml4, uintptr_t va, physaddr_t pa, size_t size, pte_t perm);

/* Map the frame pp at the page va with permissions perm, taking a reference on pp. A page
 * already mapped at va is unmapped first (dropping its reference). Returns 0 or -ENOMEM. */
int vm_insert(pte_t *pml4, struct page *pp, uintptr_t va, pte_t perm);

/* Remove every mapping in [va, va + size), dropping the references they held (frames
 * whose count drops to 0 are freed), and flush the TLB. Huge pages must lie wholly inside
 * the range. */
void vm_unmap(pte_t *pml4, uintptr_t va, size_t size);

/* After vm_unmap of [va, va + size): free the page tables (at every level) that cover part
 * of the range and have no entry left, so an address space that shrinks gives its tables
 * back. Flushes the TLB if pml4 is loaded. */
void vm_prune(pte_t *pml4, uintptr_t va, size_t size);

/* Drop every TLB entry of pml4's user half if pml4 is loaded: one CR3 reload, cheaper than
 * a vm_flush per page once many pages changed (fork). */
void vm_flush_all(pte_t *pml4);

/* The present leaf entry mapping va, with its level in *level (may be NULL); NULL if va is
 * not mapped. */
pte_t *vm_lookup(pte_t *pml4, uintptr_t va, int *level);

/* The physical address va maps to, or -1 if it is not mapped. */
physaddr_t vm_translate(pte_t *pml4, uintptr_t va);

/* Set the permissions of every mapping in [va, va + size) to perm (the PTE_PERM_MASK
 * bits); unmapped pages are skipped. Returns 0. */
int vm_protect(pte_t *pml4, uintptr_t va, size_t size, pte_t perm);

/* A new address space: an empty user half and the kernel half shared with kern_pml4.
 * NULL when out of memory. */
pte_t *vm_create(void);
/* Free an address space made by vm_create: every user mapping (dropping references),
 * every user page table, and the top-level table. Must not be the loaded one. */
void vm_destroy(pte_t *pml4);

/* After changing pml4's entry for va: drop the stale TLB entry if the change can be seen
 * now (pml4 is loaded, or va is in the kernel half every address space shares). */
void vm_flush(pte_t *pml4, uintptr_t va);

#endif
