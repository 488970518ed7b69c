/* compute: the same deterministic workload (work.h) on every CPU, one thread each, seeded
 * by the CPU index; prints each checksum and their sum. */
#include "kernel/api.h"
#include "apps/compute/work.h"

struct job {
	unsigned cpu;
	uint64_t result;
};

static void compute_worker(void *arg)
{
	struct job *j = arg;
	j->result = compute_work(j->cpu + 1);
}

int app_main(void)
{
	unsigned n = cpu_count();
	struct job jobs[PLAT_MAX_CPUS];
	struct thread *threads[PLAT_MAX_CPUS];
	uint64_t total = 0;
	char name[16];

	for (unsigned c = 0; c < n; c++) {
		jobs[c] = (struct job){ .cpu = c };
		snprintf(name, sizeof(name), "compute/%u", c);
		threads[c] = thread_create(name, compute_worker, &jobs[c], (int)c);
		if (!threads[c]) {
			printf("compute: cannot create a thread\n");
			return 1;
		}
	}
	for (unsigned c = 0; c < n; c++) {
		thread_join(threads[c]);
		printf("compute: cpu %u checksum %016lx\n", c, jobs[c].result);
		total += jobs[c].result;
	}
	printf("compute: total checksum %016lx\n", total);
	return 0;
}
