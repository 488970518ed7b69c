/* profile-bench: what sampling costs the compute workload (apps/compute/work.h), in one
 * run: the same ROUNDS calls of compute_work() with profile_sample off, at 99 Hz and at
 * 10 kHz, interleaved REPS times (so a slow stretch of the host hits every mode alike);
 * prints each mode's median time and its ratio to off, the samples taken and lost, and the
 * ring bytes per sample (per_cpu/cpu0/stats), once with stacks new and once known. The
 * tracer is nop: only the sampler writes. */
#include <stdlib.h>
#include "kernel/api.h"
#include "apps/compute/work.h"
#include "trace/tracefs.h"

#define ROUNDS 1000
#define REPS 9
#define MODES 3

static const char *const mode_hz[MODES] = { "0", "99", "10000" };

/* The number after `key` in file (0 if none). */
static uint64_t file_number(const char *file, const char *key)
{
	struct tracefs_file *f;
	char buf[2048];
	long n;

	if (tracefs_open(file, TRACEFS_READ, &f))
		return 0;
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	tracefs_close(f);
	buf[n > 0 ? n : 0] = 0;
	const char *p = strstr(buf, key);
	return p ? strtoul(p + strlen(key), NULL, 10) : 0;
}

static void set_mode(unsigned m)
{
	if (m == 0) {
		trace_control("events/profile/profile_sample/enable", "0");
	} else {
		trace_control("profile_frequency", mode_hz[m]);
		trace_control("events/profile/profile_sample/enable", "1");
	}
	sleep_ms(25); /* every CPU's timer follows within a tick */
}

static uint64_t run_work(void)
{
	uint64_t t0 = plat_tsc(), sum = 0;

	for (unsigned r = 0; r < ROUNDS; r++)
		sum += compute_work(r % 4 + 1);
	if (sum == 42)
		printf("profile-bench: unlikely\n");
	return plat_tsc() - t0;
}

static uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Ring bytes and samples of CPU 0 over `runs` runs at 10 kHz, and the stacks they added
 * to the table (their definitions are in the bytes). */
static void bytes_per_sample(const char *what, unsigned runs)
{
	uint64_t b0, s0, k0, b1, s1, k1;

	trace_control("profile_frequency", "10000");
	b0 = file_number("per_cpu/cpu0/stats", "bytes: ");
	s0 = file_number("profile_stats", "cpu 0 samples ");
	k0 = file_number("profile_stats", "stacks ");
	trace_control("events/profile/profile_sample/enable", "1");
	sleep_ms(25); /* every CPU's timer follows within a tick */
	for (unsigned r = 0; r < runs; r++)
		run_work();
	trace_control("events/profile/profile_sample/enable", "0");
	b1 = file_number("per_cpu/cpu0/stats", "bytes: ");
	s1 = file_number("profile_stats", "cpu 0 samples ");
	k1 = file_number("profile_stats", "stacks ");
	if (s1 > s0)
		printf("profile-bench: ring bytes per sample, %s: %lu.%02lu (%lu samples, %lu bytes, "
		       "%lu new stacks on both CPUs)\n", what, (b1 - b0) / (s1 - s0),
		       (b1 - b0) * 100 / (s1 - s0) % 100, s1 - s0, b1 - b0, k1 - k0);
}

int app_main(void)
{
	uint64_t t[MODES][REPS], med[MODES], s0, l0;

	if (trace_control("tracing_on", "0") || trace_control("current_tracer", "nop") ||
	    trace_control("trace", "") || trace_control("tracing_on", "1"))
		return 1;
	bytes_per_sample("first run (stacks new)", 1);
	bytes_per_sample("next 5 runs", 5);
	bytes_per_sample("after them (stacks known)", 1);
	trace_control("trace", "");
	s0 = file_number("profile_stats", "cpu 0 samples ");
	l0 = file_number("profile_stats", "lost ");
	for (unsigned r = 0; r < REPS; r++)
		for (unsigned m = 0; m < MODES; m++) {
			unsigned mode = (m + r) % MODES; /* rotate the order too */

			set_mode(mode);
			t[mode][r] = run_work();
		}
	set_mode(0);
	for (unsigned m = 0; m < MODES; m++) {
		uint64_t us;

		med[m] = median(t[m], REPS);
		us = med[m] * 1000000 / tsc_hz();
		printf("profile-bench: %5s Hz: %lu us per %u rounds, %lu.%04lu x off\n", mode_hz[m],
		       us, ROUNDS, med[m] / med[0], med[m] * 10000 / med[0] % 10000);
	}
	printf("profile-bench: cpu 0: %lu samples taken, %lu lost\n",
	       file_number("profile_stats", "cpu 0 samples ") - s0,
	       file_number("profile_stats", "lost ") - l0);
	return 0;
}
