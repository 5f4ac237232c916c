/*
 * Random bytes: RDRAND (CPUID leaf 1, ECX bit 30) if present, else splitmix64 stirred with
 * the time-stamp counter on every call.
 */
#include <x86.h>
#include <string.h>
#include "core/random.h"

#define CPUID_1_ECX_RDRAND (1U << 30)

static bool rdrand64(uint64_t *v)
{
	uint8_t ok;
	for (int tries = 0; tries < 10; tries++) {
		asm volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15UL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
	return z ^ (z >> 31);
}

void random_bytes(void *buf, size_t n)
{
	static int have_rdrand = -1;
	static uint64_t state;
	uint8_t *p = buf;

	if (have_rdrand < 0) {
		uint32_t ecx;
		cpuid(1, 0, NULL, NULL, &ecx, NULL);
		have_rdrand = (ecx & CPUID_1_ECX_RDRAND) != 0;
	}
	state ^= rdtsc();
	while (n > 0) {
		uint64_t v;
		if (!have_rdrand || !rdrand64(&v))
			v = splitmix64(&state);
		size_t k = MIN(n, sizeof(v));
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}
