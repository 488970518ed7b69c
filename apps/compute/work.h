/* The compute app's workload: deterministic, with call counts known from the parameters,
 * so traces of it can be checked exactly. Host-compilable (test/boot uses it to know the
 * expected checksum). Per run of compute_work():
 *   fib            2 * F(FIB_N + 1) - 1 calls (F(16) = 987: 1973 calls for FIB_N 15)
 *   sort_range     2 * SORT_N - 1 calls (SORT_N a power of two), merge_halves SORT_N - 1
 *   table_insert   TABLE_KEYS calls, table_lookup TABLE_KEYS calls, mix 2 * TABLE_KEYS calls
 *   compute_work   1 call */
#ifndef APPS_COMPUTE_WORK_H
#define APPS_COMPUTE_WORK_H

#include <stdint.h>

#define FIB_N 15
#define SORT_N 256
#define TABLE_KEYS 200

uint64_t compute_work(uint64_t seed);

#endif
