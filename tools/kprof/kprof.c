/*
 * kprof: a QEMU TCG plugin that counts how many times each guest instruction runs, for
 * tools/kprof/kprof.py, which maps the addresses to the kernel's functions. Built for the
 * host: `gcc -shared -fPIC -O2 -o kprof.so kprof.c`; used as
 * `qemu-system-x86_64 -plugin ./kprof.so,out=FILE[,user=on] ...`.
 *
 * Debian's QEMU ships no plugin header (qemu-plugin.h), so the few declarations of QEMU 7.2's
 * plugin API (version 1) this file uses are written out below; QEMU resolves them when it
 * loads the plugin.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- QEMU's plugin API, as include/qemu/qemu-plugin.h of QEMU 7.2 declares it. --- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t; /* not looked at here */
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_outs(const char *string);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;
/* --- end of the API --- */

#define KERNEL_HALF 0xffff800000000000UL

/* One counter per guest instruction address. Counters never move once made (QEMU's
 * generated code adds to them directly); the hash table of pointers to them may grow. */
struct counter {
	uint64_t vaddr;
	uint64_t count;
};

#define CHUNK 65536
static struct counter *chunk;
static size_t chunk_used = CHUNK;
static struct counter **table;
static size_t table_size, ncounters;
static const char *out_path = "kprof.out";
static int count_user;

static size_t slot_of(uint64_t vaddr, size_t size)
{
	return (size_t)((vaddr * 0x9E3779B97F4A7C15UL) >> 20) & (size - 1);
}

static void grow_table(void)
{
	size_t size = table_size ? table_size * 2 : 1 << 16;
	struct counter **t = calloc(size, sizeof(*t));
	if (!t) {
		perror("kprof");
		exit(1);
	}
	for (size_t i = 0; i < table_size; i++) {
		if (!table[i])
			continue;
		size_t s = slot_of(table[i]->vaddr, size);
		while (t[s])
			s = (s + 1) & (size - 1);
		t[s] = table[i];
	}
	free(table);
	table = t;
	table_size = size;
}

static struct counter *counter_for(uint64_t vaddr)
{
	if (2 * (ncounters + 1) > table_size)
		grow_table();
	size_t s = slot_of(vaddr, table_size);
	while (table[s]) {
		if (table[s]->vaddr == vaddr)
			return table[s];
		s = (s + 1) & (table_size - 1);
	}
	if (chunk_used == CHUNK) {
		chunk = calloc(CHUNK, sizeof(*chunk));
		if (!chunk) {
			perror("kprof");
			exit(1);
		}
		chunk_used = 0;
	}
	struct counter *c = &chunk[chunk_used++];
	c->vaddr = vaddr;
	table[s] = c;
	ncounters++;
	return c;
}

/* A block is being translated: each of its instructions adds 1 to its counter when run. */
static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	size_t n = qemu_plugin_tb_n_insns(tb);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		if (va < KERNEL_HALF && !count_user)
			continue;
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
		                                           &counter_for(va)->count, 1);
	}
}

/* QEMU exits: write "address count" lines, in hex and decimal. */
static void at_exit(qemu_plugin_id_t id, void *userdata)
{
	(void)id, (void)userdata;
	FILE *f = fopen(out_path, "w");
	if (!f) {
		perror(out_path);
		return;
	}
	for (size_t i = 0; i < table_size; i++)
		if (table[i] && table[i]->count)
			fprintf(f, "%016lx %lu\n", (unsigned long)table[i]->vaddr,
			        (unsigned long)table[i]->count);
	fclose(f);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0) {
			out_path = argv[i] + 4;
		} else if (strcmp(argv[i], "user=on") == 0) {
			count_user = 1;
		} else {
			qemu_plugin_outs("kprof: arguments are out=FILE and user=on\n");
			return -1;
		}
	}
	grow_table();
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
