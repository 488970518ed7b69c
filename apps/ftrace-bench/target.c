#include "apps/ftrace-bench/bench.h"

__attribute__((noipa)) int bench_traced(int x)
{
	return x * 3 + 1;
}

__attribute__((noipa)) int bench_parent(int x)
{
	return bench_traced(x) + 1;
}

__attribute__((noipa)) int bench_calls(int (*fn)(int), int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += fn(i);
	return sum;
}
