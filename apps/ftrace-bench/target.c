#include "apps/ftrace-bench/bench.h"

__attribute__((noipa)) int bench_traced(int x)
{
	return x * 3 + 1;
}

__attribute__((noipa)) int bench_parent(int x)
{
	return bench_traced(x) + 1;
}
