/* CPU tracks of the Perfetto export, as generic kernel task state events (TracePacket
 * field 117): RUNNING opens a slice of the thread on the CPU's track, another state closes
 * it. The text path knows which thread runs on a CPU from its lines (the proc column, or
 * the thread a context-switch block switched to) and from sched_switch events; a block
 * takes the time of the CPU's next line (tools/lib/tswitch.c, cpurun.c). Only a sched_switch
 * event says in which state a thread left the CPU; otherwise it is inferred (cpurun_state),
 * and a thread that shows up on another CPU left the first one runnable.
 * The idle task and unknown threads get no slices; an idle CPU shows as a gap. */
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/cpurun.h"
#include "tools/parse-trace/perfetto.h"

struct pf_cpu *pf_cpu(struct perfetto *pf, int cpu)
{
	size_t old = pf->ncpus;

	if ((size_t)cpu >= old) {
		xgrow((void **)&pf->cpus, &pf->ncpus, (size_t)cpu + 1, sizeof(*pf->cpus));
		for (size_t i = old; i < pf->ncpus; i++)
			pf->cpus[i] = (struct pf_cpu){ .running = -2 };
	}
	return &pf->cpus[cpu];
}

static void task_state(struct perfetto *pf, int64_t ts, int cpu, int64_t tid, int state)
{
	const char *comm = pf_comm(pf, tid);
	struct pbuf *b = &pf->pkt;

	pf_global_packet(pf, ts);
	size_t m = pb_open(b, PKT_TASK_STATE);
	pb_uint(b, 1, (uint64_t)cpu);
	if (comm)
		pb_bytes(b, 2, comm, strlen(comm));
	pb_uint(b, 3, (uint64_t)tid);
	pb_uint(b, 4, (uint64_t)state);
	pb_close(b, m);
	pf_emit_packet(pf);
}

/* Closes tid's slice wherever it is open. */
static void leave_cpu(struct perfetto *pf, int64_t ts, int64_t tid, int state)
{
	uint32_t c = umap_get(&pf->tid_cpu, (uint64_t)tid);

	if (!c || pf->cpus[c - 1].running != tid)
		return;
	pf_util_run(pf, tid, pf->cpus[c - 1].since, ts);
	task_state(pf, ts, (int)c - 1, tid, state);
	pf->cpus[c - 1].running = -2;
}

/* Linux's state letters (TASK_REPORT) as TaskStateEnum */
static int task_state_of(char letter)
{
	switch (letter) {
	case 'S': return TASK_INTERRUPTIBLE_SLEEP;
	case 'D': case 'I': return TASK_UNINTERRUPTIBLE_SLEEP;
	case 'T': case 't': return TASK_STOPPED;
	case 'X': case 'Z': return TASK_DEAD;
	default: return TASK_RUNNABLE;
	}
}

/* The idle task and unknown threads get no slice: the CPU shows as a gap. */
static void on_switch(void *ctx, int cpu_nr, int64_t ts, int64_t prev, int64_t next,
		      char state)
{
	struct perfetto *pf = ctx;
	struct pf_cpu *cpu = pf_cpu(pf, cpu_nr);

	(void)prev;	/* the slice open on the CPU says who that was */
	if (cpu->running > 0)
		leave_cpu(pf, ts, cpu->running, task_state_of(cpurun_state(state, next)));
	cpu->running = -2;
	if (next <= 0)
		return;
	leave_cpu(pf, ts, next, TASK_RUNNABLE);	/* it migrated */
	task_state(pf, ts, cpu_nr, next, TASK_RUNNING);
	cpu->running = next;
	cpu->since = ts;
	umap_put(&pf->tid_cpu, (uint64_t)next, (uint32_t)cpu_nr + 1);
}

void pf_sched_note(struct perfetto *pf, const struct tl_call *c)
{
	pf_cpu(pf, c->cpu);
	cpurun_event(&pf->run, c, on_switch, pf);
}

void pf_sched_switch(struct perfetto *pf, int cpu, int64_t ts, int64_t prev, int64_t next,
		     char state)
{
	pf_cpu(pf, cpu);
	cpurun_switch(&pf->run, cpu, ts, prev, next, state, on_switch, pf);
}

void pf_sched_end(struct perfetto *pf, int64_t end)
{
	for (size_t i = 0; i < pf->ncpus; i++)
		if (pf->cpus[i].running > 0)
			pf_util_run(pf, pf->cpus[i].running, pf->cpus[i].since, end);
}
