/*
 * fputest: every process has its own x87 and SSE registers. Four workers, each with its
 * own rounding mode and x87 precision, run the same floating-point computation over and
 * over for more than 20 clock ticks of CPU time, so the timer switches between them many
 * times in the middle of it; every result must equal the one their parent computed alone
 * before forking, bit for bit. Each worker also checks that all sixteen xmm registers and
 * the eight x87 registers keep their values while it sleeps and the others compute.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define NWORKERS   4
#define ROUND_LEN  20000 /* iterations of compute() in one round */
#define WORK_TICKS 25    /* each worker computes for this much user time */
#define MAX_TICKS  1500  /* ... and gives up after this much time has passed */

#define FCW_DEFAULT   0x037f /* after fninit: exceptions masked, 64-bit precision, nearest */
#define MXCSR_DEFAULT 0x1f80 /* exceptions masked, round to nearest */

/* A result of compute(), as bits: a double and an 80-bit long double. */
struct result {
	uint64_t d;
	uint64_t x_mantissa;
	uint16_t x_exponent;
};

static struct result ref[NWORKERS]; /* computed by the parent, before forking */

static uint16_t get_fcw(void)
{
	uint16_t fcw;
	asm volatile("fnstcw %0" : "=m"(fcw));
	return fcw;
}

/* MXCSR's control bits, without the exception flags (bits 0-5) that any computation may
 * set. */
static uint32_t get_mxcsr(void)
{
	uint32_t mxcsr;
	asm volatile("stmxcsr %0" : "=m"(mxcsr));
	return mxcsr & ~0x3fu;
}

/* Worker w's control words: rounding mode w (nearest, down, up, toward zero) for both
 * units, and x87 precision 64 bits (even w) or 53 bits (odd w). */
static uint16_t worker_fcw(int w)
{
	return (uint16_t)(0x007f | (w % 2 ? 2 : 3) << 8 | (w & 3) << 10);
}

static uint32_t worker_mxcsr(int w)
{
	return MXCSR_DEFAULT | (uint32_t)(w & 3) << 13;
}

static void __attribute__((noinline)) set_control(uint16_t fcw, uint32_t mxcsr)
{
	asm volatile("fldcw %0" : : "m"(fcw) : "memory");
	asm volatile("ldmxcsr %0" : : "m"(mxcsr) : "memory");
}

/* A computation whose every step depends on the previous ones, holding several values
 * in xmm registers and two on the x87 stack across the loop. */
static void __attribute__((noinline)) compute(int seed, long n, struct result *r)
{
	double a = 1.0, b = 0.0, c = seed + 0.5, s = 0.0;
	long double x = 0.0L, y = 1.0L;

	for (long k = 1; k <= n; k++) {
		double t = 1.0 / (double)(k + seed);
		a = a * 0.9999 + t;
		b += t * t;
		c = c * 0.999 + a * b;
		s += (k & 1) ? t : -t;
		long double u = 1.0L / ((long double)k * (long double)k + seed);
		x += u;
		y = y * 0.99999L + u * x;
	}
	double d = a + b + c + s;
	long double z = x + y;
	memset(r, 0, sizeof(*r));
	memcpy(&r->d, &d, sizeof(r->d));
	memcpy(&r->x_mantissa, &z, 8);
	memcpy(&r->x_exponent, (char *)&z + 8, 2);
}

static bool same(const struct result *a, const struct result *b)
{
	return a->d == b->d && a->x_mantissa == b->x_mantissa && a->x_exponent == b->x_exponent;
}

/*
 * Load distinct values (from seed) into xmm0-15 and st0-7, sleep in the kernel for a tick
 * or two while other processes run, and check that every register still holds its value.
 */
static bool registers_survive_sleep(uint64_t seed)
{
	uint64_t in[16][2] __attribute__((aligned(16)));
	uint64_t out[16][2] __attribute__((aligned(16)));
	long double xin[8], xout[8];
	struct timespec ts = { 0, 1000000000L / CLK_TCK };
	long ret;

	for (int i = 0; i < 16; i++) {
		in[i][0] = seed << 32 | (uint64_t)i;
		in[i][1] = ~in[i][0];
	}
	for (int i = 0; i < 8; i++)
		xin[i] = (long double)(seed * 100 + (uint64_t)i) / 3.0L;
	memset(out, 0, sizeof(out));
	memset(xout, 0, sizeof(xout));
	asm volatile("movdqa 0(%[in]), %%xmm0\n\t"
	             "movdqa 16(%[in]), %%xmm1\n\t"
	             "movdqa 32(%[in]), %%xmm2\n\t"
	             "movdqa 48(%[in]), %%xmm3\n\t"
	             "movdqa 64(%[in]), %%xmm4\n\t"
	             "movdqa 80(%[in]), %%xmm5\n\t"
	             "movdqa 96(%[in]), %%xmm6\n\t"
	             "movdqa 112(%[in]), %%xmm7\n\t"
	             "movdqa 128(%[in]), %%xmm8\n\t"
	             "movdqa 144(%[in]), %%xmm9\n\t"
	             "movdqa 160(%[in]), %%xmm10\n\t"
	             "movdqa 176(%[in]), %%xmm11\n\t"
	             "movdqa 192(%[in]), %%xmm12\n\t"
	             "movdqa 208(%[in]), %%xmm13\n\t"
	             "movdqa 224(%[in]), %%xmm14\n\t"
	             "movdqa 240(%[in]), %%xmm15\n\t"
	             "fldt 0(%[xin])\n\t"
	             "fldt 16(%[xin])\n\t"
	             "fldt 32(%[xin])\n\t"
	             "fldt 48(%[xin])\n\t"
	             "fldt 64(%[xin])\n\t"
	             "fldt 80(%[xin])\n\t"
	             "fldt 96(%[xin])\n\t"
	             "fldt 112(%[xin])\n\t"
	             "syscall\n\t"
	             "fstpt 112(%[xout])\n\t"
	             "fstpt 96(%[xout])\n\t"
	             "fstpt 80(%[xout])\n\t"
	             "fstpt 64(%[xout])\n\t"
	             "fstpt 48(%[xout])\n\t"
	             "fstpt 32(%[xout])\n\t"
	             "fstpt 16(%[xout])\n\t"
	             "fstpt 0(%[xout])\n\t"
	             "movdqa %%xmm0, 0(%[out])\n\t"
	             "movdqa %%xmm1, 16(%[out])\n\t"
	             "movdqa %%xmm2, 32(%[out])\n\t"
	             "movdqa %%xmm3, 48(%[out])\n\t"
	             "movdqa %%xmm4, 64(%[out])\n\t"
	             "movdqa %%xmm5, 80(%[out])\n\t"
	             "movdqa %%xmm6, 96(%[out])\n\t"
	             "movdqa %%xmm7, 112(%[out])\n\t"
	             "movdqa %%xmm8, 128(%[out])\n\t"
	             "movdqa %%xmm9, 144(%[out])\n\t"
	             "movdqa %%xmm10, 160(%[out])\n\t"
	             "movdqa %%xmm11, 176(%[out])\n\t"
	             "movdqa %%xmm12, 192(%[out])\n\t"
	             "movdqa %%xmm13, 208(%[out])\n\t"
	             "movdqa %%xmm14, 224(%[out])\n\t"
	             "movdqa %%xmm15, 240(%[out])"
	             : "=a"(ret)
	             : "a"((long)SYS_nanosleep), "D"(&ts),
	               "S"(0L), [in] "r"(in), [out] "r"(out), [xin] "r"(xin), [xout] "r"(xout)
	             : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
	               "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
	               "xmm15", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)",
	               "st(7)");
	if (ret != 0)
		return false;
	if (memcmp(in, out, sizeof(in)) != 0)
		return false;
	for (int i = 0; i < 8; i++)
		if (memcmp(&xin[i], &xout[i], 10) != 0)
			return false;
	return true;
}

/* Worker w: its own control words, the same computation round after round. */
static void __attribute__((noreturn)) worker(int w)
{
	struct result r, bad = { 0, 0, 0 };
	struct tms t;
	long rounds = 0, wrong = 0, start = ticks_now();
	bool regs = true;

	check_failures = 0;
	set_control(worker_fcw(w), worker_mxcsr(w));
	do {
		compute(w, ROUND_LEN, &r);
		rounds++;
		if (!same(&r, &ref[w]) && wrong++ == 0)
			bad = r;
		/* Now and then sleep with live registers while the others compute. */
		if (rounds % 4 == 1)
			regs &= registers_survive_sleep((uint64_t)(w + 1) << 16 | (uint64_t)rounds);
		times(&t);
	} while (t.tms_utime < WORK_TICKS && ticks_now() - start < MAX_TICKS);
	bool control = get_fcw() == worker_fcw(w) && get_mxcsr() == worker_mxcsr(w);

	check(wrong == 0 && t.tms_utime >= WORK_TICKS,
	      "worker %d: %ld rounds in %ld user ticks, %ld wrong", w, rounds, (long)t.tms_utime,
	      wrong);
	if (wrong)
		printf("fputest: worker %d: got %016lx %04x%016lx, want %016lx %04x%016lx\n", w,
		       bad.d, bad.x_exponent, bad.x_mantissa, ref[w].d, ref[w].x_exponent,
		       ref[w].x_mantissa);
	check(regs, "worker %d: xmm0-15 and st0-7 kept their values across sleeps", w);
	check(control, "worker %d: its control words stayed fcw %#x mxcsr %#x (now %#x, %#x)", w,
	      worker_fcw(w), worker_mxcsr(w), get_fcw(), get_mxcsr());
	exit(check_failures ? 1 : 0);
}

int main(void)
{
	check_prefix = "fputest";
	int status;

	check(get_fcw() == FCW_DEFAULT && get_mxcsr() == MXCSR_DEFAULT,
	      "the program starts with the default fcw %#x and mxcsr %#x (it has %#x, %#x)",
	      FCW_DEFAULT, MXCSR_DEFAULT, get_fcw(), get_mxcsr());

	/* A child starts with its parent's control words. */
	set_control(worker_fcw(3), worker_mxcsr(3));
	pid_t pid = fork();
	if (pid == 0)
		exit(get_fcw() == worker_fcw(3) && get_mxcsr() == worker_mxcsr(3) ? 0 : 1);
	set_control(FCW_DEFAULT, MXCSR_DEFAULT);
	pid_t r = waitpid(pid, &status, 0);
	check(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "a child inherits its parent's fcw and mxcsr (status %#x)", status);

	/* The reference results, computed while nothing else runs. */
	for (int w = 0; w < NWORKERS; w++) {
		set_control(worker_fcw(w), worker_mxcsr(w));
		compute(w, ROUND_LEN, &ref[w]);
	}
	set_control(FCW_DEFAULT, MXCSR_DEFAULT);
	printf("fputest: reference results %016lx %016lx %016lx %016lx\n", ref[0].d, ref[1].d,
	       ref[2].d, ref[3].d);

	pid_t workers[NWORKERS];
	for (int w = 0; w < NWORKERS; w++) {
		workers[w] = fork();
		if (workers[w] == 0)
			worker(w);
		if (workers[w] < 0)
			check(false, "fork failed, errno %d", errno);
	}
	int ok = 0;
	for (int w = 0; w < NWORKERS; w++) {
		if (workers[w] < 0)
			continue;
		r = waitpid(workers[w], &status, 0);
		ok += r == workers[w] && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	check(ok == NWORKERS, "%d of %d workers passed", ok, NWORKERS);

	struct result again;
	compute(0, ROUND_LEN, &again);
	check(get_fcw() == FCW_DEFAULT && get_mxcsr() == MXCSR_DEFAULT && same(&again, &ref[0]),
	      "the parent's own FPU state survived its children");
	verdict("fputest: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
