/* The function host-trace-bench calls, built twice: plain (BENCH_FN=bench_fn_plain) and
 * with the kernel's -pg flags (BENCH_FN=bench_fn_pg), which give it a patchable NOP. The
 * plain build also has BENCH_FN_TSC: the same with one TSC read, what the clock costs each
 * hook of a function_graph call. */
#include <stdint.h>

__attribute__((noipa)) int BENCH_FN(int x)
{
	return x + 1;
}

#ifdef BENCH_FN_TSC
__attribute__((noipa)) int BENCH_FN_TSC(int x)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return x + 1 + (int)(lo ^ hi);
}
#endif
