/* trace-cmd's trace.dat (docs/tracedat.md): funcgraph_entry/exit records with calltime and
 * rettime, sched_switch records where the thread running on a CPU changes, sched_wakeup
 * records of wakeup events, the functions as kallsyms and the thread names as saved
 * cmdlines, so `trace-cmd report` prints the call tree and KernelShark opens the file. Fed timeline events (tools/lib/timeline.h); each
 * CPU's pages stream to a temporary file and are copied into place at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tevent.h"
#include "tools/lib/timeline.h"
#include "tools/lib/umap.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/cpurun.h"
#include "tools/parse-trace/emit.h"
#include "tools/parse-trace/pbwrite.h"
#include "tools/parse-trace/tdat_file.h"
#include "tools/parse-trace/threadname.h"
#include "trace/event_format.h"

#define PRIO 120	/* a normal task's priority as Linux prints it */

struct tracedat {
	struct emit *e;
	struct tl_sink sink;
	struct tdat_cpu **cpus;	/* pages are big: allocated per CPU seen */
	size_t ncpus, cap_cpus;	/* CPUs 0..ncpus-1 are in the file */
	struct cpurun run;
	struct symtab *comms;
	struct umap comm_map;	/* tid -> comm id */
	bool failed;
};

struct common {
	uint16_t type;
	uint8_t flags, preempt;
	int32_t pid;
};

static struct tdat_cpu *cpu_of(struct tracedat *td, int cpu)
{
	size_t old = td->cap_cpus;

	if ((size_t)cpu >= old) {
		xgrow((void **)&td->cpus, &td->cap_cpus, (size_t)cpu + 1, sizeof(*td->cpus));
		for (size_t i = old; i < td->cap_cpus; i++)
			td->cpus[i] = NULL;
	}
	if ((size_t)cpu >= td->ncpus)
		td->ncpus = (size_t)cpu + 1;
	if (!td->cpus[cpu])
		td->cpus[cpu] = xcalloc(1, sizeof(struct tdat_cpu));
	return td->cpus[cpu];
}

static void record(struct tracedat *td, int cpu, int64_t ts, const void *p, size_t n)
{
	if (!td->failed && tdat_record(cpu_of(td, cpu), ts, p, n))
		td->failed = true;
}

/* A thread the text does not name is one per CPU, as in the CSV: its pid is the pseudo tid
 * the other exports give it (threadname.h). */
static int32_t pid_of(int64_t tid, int cpu)
{
	return tid >= 0 ? (int32_t)tid : (int32_t)(UNKNOWN_TID_BASE + cpu);
}

static void put_common(uint8_t *p, uint16_t type, int64_t tid, int cpu)
{
	struct common c = { .type = type, .pid = pid_of(tid, cpu) };

	memcpy(p, &c, sizeof(c));
}

static void comm16(uint8_t *dst, const struct tracedat *td, int64_t tid)
{
	uint32_t id = tid >= 0 ? umap_get(&td->comm_map, (uint64_t)tid) : 0;
	const char *s = id ? symtab_name(td->comms, id) : tid == 0 ? "<idle>" : "<...>";

	strncpy((char *)dst, s, 15);
}

/* The thread running on a CPU changed (see docs/tracedat.md for the state it left in). */
/* Linux's prev_state bits (TASK_REPORT) of a state letter; R is 0 */
static int64_t state_bits(char letter)
{
	static const char letters[] = "SDTtXZPI";
	const char *c = letter ? strchr(letters, letter) : NULL;

	return c ? (int64_t)1 << (c - letters) : 0;
}

static void on_switch(void *ctx, int cpu, int64_t ts, int64_t prev, int64_t next, char st)
{
	struct tracedat *td = ctx;
	uint8_t p[64] = { 0 };
	int32_t prio = PRIO, prev_pid = pid_of(prev, cpu), next_pid = pid_of(next, cpu);
	int64_t state = state_bits(cpurun_state(st, next));

	if (prev == CPURUN_NONE)
		return;
	put_common(p, TDAT_ID_SCHED_SWITCH, prev, cpu);
	comm16(p + 8, td, prev);
	memcpy(p + 24, &prev_pid, 4);
	memcpy(p + 28, &prio, 4);
	memcpy(p + 32, &state, 8);
	comm16(p + 40, td, next);
	memcpy(p + 56, &next_pid, 4);
	memcpy(p + 60, &prio, 4);
	record(td, cpu, ts, p, sizeof(p));
}

static void note_cpu(struct tracedat *td, const struct tl_call *c)
{
	cpu_of(td, c->cpu);
	cpurun_event(&td->run, c, on_switch, td);
}

static void on_begin(void *ctx, const struct tl_call *c)
{
	struct tracedat *td = ctx;
	uint8_t p[20];
	uint64_t func = tdat_func_addr(c->func);
	int32_t depth = c->depth;

	note_cpu(td, c);
	put_common(p, TDAT_ID_FUNCGRAPH_ENTRY, c->tid, c->cpu);
	memcpy(p + 8, &func, 8);
	memcpy(p + 16, &depth, 4);
	record(td, c->cpu, c->ts_ns, p, sizeof(p));
}

/* calltime and rettime carry the exact duration, whatever the record times became */
static void on_end(void *ctx, const struct tl_call *c)
{
	struct tracedat *td = ctx;
	uint8_t p[40] = { 0 };
	uint64_t func = tdat_func_addr(c->func), call = (uint64_t)c->begin_ns,
		 ret = (uint64_t)c->ts_ns;
	int32_t depth = c->depth;

	if (!c->func)
		return;		/* a return with no entry and no name: nothing to print */
	note_cpu(td, c);
	put_common(p, TDAT_ID_FUNCGRAPH_EXIT, c->tid, c->cpu);
	memcpy(p + 8, &func, 8);
	memcpy(p + 16, &depth, 4);
	memcpy(p + 24, &call, 8);
	memcpy(p + 32, &ret, 8);
	record(td, c->cpu, c->ts_ns, p, sizeof(p));
}

/* A sched_wakeup event as Linux records it (the waker is the record's pid). */
static bool wakeup(struct tracedat *td, const struct tl_call *c, const char *text, size_t n)
{
	struct tevent ev;
	int64_t pid, cpu;
	uint8_t p[36] = { 0 };

	if (c->synthetic || !tevent_parse(text, n, &ev) || ev.id != EV_SCHED_WAKEUP ||
	    !tevent_int(&ev, "pid", &pid) || pid <= 0 || pid > INT32_MAX)
		return false;
	int32_t pid32 = (int32_t)pid, prio = PRIO, target = tevent_int(&ev, "target_cpu", &cpu) &&
			cpu >= 0 && cpu <= INT32_MAX ? (int32_t)cpu : c->cpu;
	const char *comm;
	size_t cn;
	put_common(p, TDAT_ID_SCHED_WAKEUP, c->tid, c->cpu);
	if (tevent_field(&ev, "comm", &comm, &cn))	/* the wakee may have no line yet */
		memcpy(p + 8, comm, cn < 15 ? cn : 15);
	else
		comm16(p + 8, td, pid);
	memcpy(p + 24, &pid32, 4);
	memcpy(p + 28, &prio, 4);
	memcpy(p + 32, &target, 4);
	record(td, c->cpu, c->ts_ns, p, sizeof(p));
	return true;
}

/* A marker is an ftrace print event, as trace_marker writes it; a wakeup event is a
 * sched_wakeup record. */
static void on_marker(void *ctx, const struct tl_call *c, const char *text, size_t n)
{
	struct tracedat *td = ctx;
	uint8_t p[TDAT_MAX_PAYLOAD] = { 0 };
	size_t max = sizeof(p) - 16 - 1;
	uint64_t ip = TDAT_MARKER_IP;

	if (n > max)
		n = max;
	note_cpu(td, c);
	if (wakeup(td, c, text, n))
		return;
	put_common(p, TDAT_ID_PRINT, c->tid, c->cpu);
	memcpy(p + 8, &ip, 8);
	memcpy(p + 16, text, n);
	record(td, c->cpu, c->ts_ns, p, (16 + n + 1 + 3) & ~(size_t)3);
}

static void on_thread(void *ctx, int64_t tid, const char *comm, size_t n)
{
	struct tracedat *td = ctx;

	if (tid >= 0 && n && !umap_get(&td->comm_map, (uint64_t)tid))
		umap_put(&td->comm_map, (uint64_t)tid, symtab_intern(td->comms, comm, n));
}

static void on_switch_event(void *ctx, int cpu, int64_t ts, int64_t prev_tid,
			    int64_t next_tid, char prev_state)
{
	struct tracedat *td = ctx;

	if (cpu < 0)
		return;
	cpu_of(td, cpu);
	cpurun_switch(&td->run, cpu, ts, prev_tid, next_tid, prev_state, on_switch, td);
}

static void on_lost(void *ctx, int cpu, int64_t count)
{
	struct tracedat *td = ctx;

	if (cpu >= 0 && !td->failed && tdat_lost(cpu_of(td, cpu), count))
		td->failed = true;
}

static void on_input_end(void *ctx)
{
	(void)ctx;
}

static void tracedat_row(struct emit *e, const struct tp_row *r)
{
	(void)e, (void)r;	/* calls arrive as timeline events */
}

/* saved cmdlines: "tid comm" for every thread that has a name */
static void cmdlines(const struct tracedat *td, struct pbuf *b)
{
	char line[48];

	for (size_t i = 0; i < td->comm_map.cap; i++) {
		const struct umap_slot *s = &td->comm_map.s[i];
		if (!s->val)
			continue;
		int n = snprintf(line, sizeof(line), "%llu ", (unsigned long long)s->key);
		pb_raw(b, line, (size_t)n);
		pb_raw(b, symtab_name(td->comms, s->val), symtab_len(td->comms, s->val));
		pb_raw(b, "\n", 1);
	}
}

static void tracedat_end(struct emit *e)
{
	struct tracedat *td = e->priv;
	struct pbuf names = { 0 };

	for (size_t i = 0; i < td->ncpus && !td->failed; i++)
		if (td->cpus[i] && tdat_finish(td->cpus[i]))
			td->failed = true;
	cmdlines(td, &names);
	if (td->ncpus && !td->failed &&
	    tdat_write_file(e->out, e->st, (const char *)names.p, names.n, td->cpus, td->ncpus))
		td->failed = true;
	if (td->failed)
		e->out->failed = true;
	for (size_t i = 0; i < td->ncpus; i++) {
		if (td->cpus[i] && td->cpus[i]->tmp)
			fclose(td->cpus[i]->tmp);
		free(td->cpus[i]);
	}
	pb_free(&names);
	free(td->cpus);
	cpurun_free(&td->run);
	symtab_free(td->comms);
	umap_free(&td->comm_map);
	free(td);
	e->priv = NULL;
}

const struct tl_sink *emit_tracedat_init(struct emit *e)
{
	struct tracedat *td = xcalloc(1, sizeof(*td));

	td->e = e;
	td->comms = symtab_new();
	umap_init(&td->comm_map);
	td->sink = (struct tl_sink){ .ctx = td, .thread = on_thread, .begin = on_begin,
				     .end = on_end, .marker = on_marker,
				     .sched_switch = on_switch_event, .lost = on_lost,
				     .input_end = on_input_end };
	e->priv = td;
	e->row = tracedat_row;
	e->end = tracedat_end;
	return &td->sink;
}
