/*
 * QEMU's fw_cfg interface (read a named file passed with -fw_cfg name=...,string=...) and
 * power-off (ACPI S5 on the chipset's power-management block, then isa-debug-exit).
 */
#include <x86.h>
#include <string.h>
#include "dev/qemu.h"
#include "core/printk.h"

#define FWCFG_PORT_SEL  0x510 /* 16-bit selector */
#define FWCFG_PORT_DATA 0x511 /* byte-wide data */
#define FWCFG_SIGNATURE 0x0000
#define FWCFG_FILE_DIR  0x0019
#define FWCFG_NAME_LEN  56

#define ACPI_PM1A_CNT_Q35  0x604  /* ICH9 (q35): PM base 0x600, + PM1a_CNT */
#define ACPI_PM1A_CNT_PIIX 0xB004 /* PIIX4 (pc): PM base 0xB000 as SeaBIOS sets it */
#define ACPI_SLP_S5        0x2000 /* SLP_EN with SLP_TYP 0, which QEMU's DSDT calls S5 */
#define DEBUG_EXIT_PORT    0xF4   /* -device isa-debug-exit,iobase=0xf4 */

static void fwcfg_read(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n--)
		*p++ = inb(FWCFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int fwcfg_read_file(const char *name, char *buf, size_t size)
{
	char sig[4];
	uint8_t count[4];

	outw(FWCFG_PORT_SEL, FWCFG_SIGNATURE);
	fwcfg_read(sig, 4);
	if (memcmp(sig, "QEMU", 4) != 0)
		return -1;

	outw(FWCFG_PORT_SEL, FWCFG_FILE_DIR);
	fwcfg_read(count, 4);
	for (uint32_t i = 0; i < be32(count); i++) {
		/* Each directory entry: be32 size, be16 selector, be16 reserved, name[56]. */
		uint8_t ent[8];
		char fname[FWCFG_NAME_LEN];
		fwcfg_read(ent, 8);
		fwcfg_read(fname, FWCFG_NAME_LEN);
		fname[FWCFG_NAME_LEN - 1] = '\0';
		if (strcmp(fname, name) != 0)
			continue;
		uint32_t len = be32(ent);
		uint16_t sel = (uint16_t)(ent[4] << 8 | ent[5]);
		if (size == 0)
			return -1;
		if (len > size - 1)
			len = size - 1;
		outw(FWCFG_PORT_SEL, sel);
		fwcfg_read(buf, len);
		buf[len] = '\0';
		return (int)len;
	}
	return -1;
}

void (*poweroff_hook)(void);

void qemu_poweroff(void)
{
	if (poweroff_hook) {
		void (*hook)(void) = poweroff_hook;
		poweroff_hook = NULL; /* once, even if it panics */
		hook();
	}
	printk("Sparrow: powering off.\n");
	qemu_poweroff_or_halt();
}

void qemu_poweroff_or_halt(void)
{
	outw(ACPI_PM1A_CNT_PIIX, ACPI_SLP_S5);
	outw(ACPI_PM1A_CNT_Q35, ACPI_SLP_S5);
	/* QEMU acts on the ACPI request a little later, in its main loop: give it time before
	 * the fallback, which would end QEMU at once (with exit status 1). */
	uint64_t start = rdtsc();
	while (rdtsc() - start < 200000000UL)
		cpu_relax();
	outb(DEBUG_EXIT_PORT, 0);
	for (;;) {
		cli();
		hlt();
	}
}
