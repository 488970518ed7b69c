/* Prints what the compute app must print for N CPUs, from the same workload source. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "apps/compute/work.h"

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	uint64_t total = 0;

	for (unsigned c = 0; c < n; c++) {
		uint64_t r = compute_work(c + 1);
		printf("compute: cpu %u checksum %016" PRIx64 "\n", c, r);
		total += r;
	}
	printf("compute: total checksum %016" PRIx64 "\n", total);
	return 0;
}
