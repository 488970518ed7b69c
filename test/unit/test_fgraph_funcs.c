/* Functions for test_fgraph, compiled with -pg -mfentry -mrecord-mcount -mnop-mcount: each
 * starts with a patchable 5-byte NOP listed in __mcount_loc. noipa keeps gcc from
 * inlining, cloning or folding the calls, so the call tree is the one written here. */
#include <stdint.h>
#include "test/unit/test_fgraph_funcs.h"

#define TRACED __attribute__((noipa))

TRACED int fg_leaf(int x)
{
	return x * 3 + 1;
}

TRACED int fg_mid(int n)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += fg_leaf(i);
	return s;
}

TRACED int fg_top(int n)
{
	return fg_mid(n) + fg_leaf(n);
}

/* A sibling call: compiles to `jmp fg_leaf`, so fg_leaf runs on fg_tail's frame. */
TRACED int fg_tail(int x)
{
	return fg_leaf(x + 1);
}

TRACED int fg_recurse(int n)
{
	int r = n ? fg_recurse(n - 1) : fg_leaf(0);

	__asm__ volatile("" : "+r"(r)); /* not a tail call, and no loop made of it */
	return r + 1;
}

/* Six register arguments and a two-register result: the trampolines must keep them. */
TRACED struct fg_pair fg_args(long a, long b, long c, long d, long e, long f)
{
	struct fg_pair p = { a + 2 * b + 3 * c, 4 * d + 5 * e + 6 * f };

	return p;
}

static uint64_t fg_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Takes at least `ticks` TSC ticks, then calls fg_leaf. */
TRACED int fg_slow(uint64_t ticks)
{
	uint64_t t0 = fg_rdtsc();

	while (fg_rdtsc() - t0 < ticks)
		;
	return fg_leaf(1);
}

/* Hands the test the stack slot of its own return address, as an unwinder finds it. */
TRACED int fg_show_slot(void (*fn)(uint64_t *slot))
{
	fn((uint64_t *)__builtin_frame_address(0) + 1);
	return 1;
}

/* Takes at least `ticks` TSC ticks and calls nothing traced. */
TRACED int fg_spin(uint64_t ticks)
{
	uint64_t t0 = fg_rdtsc();

	while (fg_rdtsc() - t0 < ticks)
		;
	return 1;
}

/* Calls back into the (untraced) test, e.g. to switch tasks in the middle of a call. */
TRACED int fg_callback(void (*fn)(void), int x)
{
	fn();
	return fg_leaf(x);
}
