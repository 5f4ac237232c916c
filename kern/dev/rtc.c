/*
 * The CMOS real-time clock (MC146818): the date and time in registers behind ports 0x70
 * (select) and 0x71 (data), in binary or BCD as status register B says. Read between
 * updates (a read during one may mix two seconds), twice until two reads agree.
 */
#include <x86.h>
#include "dev/rtc.h"

#define CMOS_SELECT  0x70
#define CMOS_DATA    0x71
#define RTC_STATUS_A 0x0A /* bit 7: an update is under way */
#define RTC_STATUS_B 0x0B /* bit 2: binary (else BCD); bit 1: 24-hour (else 12 + PM bit) */

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_SELECT, reg);
	return inb(CMOS_DATA);
}

struct rtc_time {
	uint8_t sec, min, hour, day, mon, year, century;
};

static void read_once(struct rtc_time *t)
{
	while (cmos(RTC_STATUS_A) & 0x80)
		cpu_relax();
	t->sec = cmos(0x00);
	t->min = cmos(0x02);
	t->hour = cmos(0x04);
	t->day = cmos(0x07);
	t->mon = cmos(0x08);
	t->year = cmos(0x09);
	t->century = cmos(0x32);
}

static unsigned bin(uint8_t v, bool bcd)
{
	return bcd ? (v >> 4) * 10u + (v & 0x0f) : v;
}

/* Days from 1970-01-01 to the date (the proleptic Gregorian calendar). */
static uint64_t days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	/* Count from March, so February's leap day is the year's last. */
	y -= m <= 2;
	unsigned era = y / 400, yoe = y % 400;
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t rtc_read(void)
{
	struct rtc_time a, b;
	read_once(&b);
	for (int tries = 0; tries < 10; tries++) {
		a = b;
		read_once(&b);
		if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day &&
		    a.mon == b.mon && a.year == b.year)
			break;
	}
	uint8_t status = cmos(RTC_STATUS_B);
	bool bcd = !(status & 0x04);
	unsigned hour = bin(a.hour & 0x7f, bcd);
	if (!(status & 0x02) && (a.hour & 0x80))
		hour = (hour % 12) + 12; /* 12-hour clock, PM */
	unsigned century = a.century ? bin(a.century, bcd) : 20;
	unsigned year = century * 100 + bin(a.year, bcd);
	uint64_t days = days_since_epoch(year, bin(a.mon, bcd), bin(a.day, bcd));
	return days * 86400 + hour * 3600 + bin(a.min, bcd) * 60 + bin(a.sec, bcd);
}
