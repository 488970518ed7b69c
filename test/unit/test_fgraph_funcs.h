/* The traced functions of test_fgraph (test_fgraph_funcs.c). */
#ifndef TEST_UNIT_TEST_FGRAPH_FUNCS_H
#define TEST_UNIT_TEST_FGRAPH_FUNCS_H

#include <stdint.h>

struct fg_pair {
	long lo, hi;
};

int fg_leaf(int x);
int fg_mid(int n);
int fg_top(int n);
int fg_tail(int x);
int fg_recurse(int n);
struct fg_pair fg_args(long a, long b, long c, long d, long e, long f);
int fg_slow(uint64_t ticks);
int fg_callback(void (*fn)(void), int x);
int fg_show_slot(void (*fn)(uint64_t *slot));
int fg_spin(uint64_t ticks);

#endif
