/* Per-thread CPU utilisation counters of the Perfetto export (--cpu-util-hz, as manytrace's
 * cpu_util with its frequency): the time each thread runs on a CPU, as the CPU tracks show
 * it (pf_sched.c), summed per period of 1/hz s aligned on multiples of the period, written
 * when the trace ends as one counter track per thread ("comm-tid cpu_util", percent of one
 * CPU) with a sample at the start of each period it ran in, and a 0 where it stops running
 * for a whole period (a counter holds its value until the next sample; none after the
 * trace's end, which would stretch the timeline). The sums are kept
 * until then (per thread, the periods it ran in), since a thread's running time in a
 * period is known only when the period is over on every CPU. Each counter track
 * gets its own sequence of absolute timestamps, so its samples need no incremental state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/perfetto.h"

/* Above the thread tracks' uuids and sequences (one per thread, from 2 up) */
#define UTIL_UUID_BASE (1ULL << 40)
#define UTIL_SEQ_BASE 32768u

struct util_period {
	int64_t k;		/* the period [k * period, (k + 1) * period) */
	double busy;		/* ns run in it */
};

struct pf_util_thread {
	int64_t tid;
	struct util_period *p;	/* the periods it ran in, in time order */
	size_t n, cap;
};

static struct pf_util_thread *util_thread(struct perfetto *pf, int64_t tid)
{
	uint32_t idx = umap_get(&pf->util_map, (uint64_t)tid);

	if (idx)
		return &pf->util[idx - 1];
	xgrow((void **)&pf->util, &pf->cap_util, pf->nutil + 1, sizeof(*pf->util));
	struct pf_util_thread *u = &pf->util[pf->nutil++];
	*u = (struct pf_util_thread){ .tid = tid };
	umap_put(&pf->util_map, (uint64_t)tid, (uint32_t)pf->nutil);
	return u;
}

/* A thread's running intervals come in time order (it runs on one CPU at a time): period k
 * is the last one kept or a later one; an earlier one (times clamped) is looked for. */
static void add(struct pf_util_thread *u, int64_t k, double ns)
{
	size_t i = u->n;

	while (i > 0 && u->p[i - 1].k > k)
		i--;
	if (i > 0 && u->p[i - 1].k == k) {
		u->p[i - 1].busy += ns;
		return;
	}
	xgrow((void **)&u->p, &u->cap, u->n + 1, sizeof(*u->p));
	memmove(u->p + i + 1, u->p + i, (u->n - i) * sizeof(*u->p));
	u->p[i] = (struct util_period){ k, ns };
	u->n++;
}

void pf_util_run(struct perfetto *pf, int64_t tid, int64_t from, int64_t to)
{
	int64_t period = pf->util_period;

	if (!period || tid <= 0 || from < 0 || to <= from)
		return;
	struct pf_util_thread *u = util_thread(pf, tid);
	for (int64_t k = from / period; k * period < to; k++) {
		int64_t b = k * period > from ? k * period : from;
		int64_t e = (k + 1) * period < to ? (k + 1) * period : to;
		add(u, k, (double)(e - b));
	}
}

static void descriptor(struct perfetto *pf, const struct pf_util_thread *u, uint64_t uuid)
{
	struct pbuf *b = &pf->pkt;
	const char *comm = pf_comm(pf, u->tid);
	char name[160];

	snprintf(name, sizeof(name), "%.100s-%lld cpu_util", comm ? comm : "tid",
		 (long long)u->tid);
	pb_reset(b);
	pb_uint(b, PKT_SEQUENCE_ID, PF_GLOBAL_SEQ);
	size_t td = pb_open(b, PKT_TRACK_DESCRIPTOR);
	pb_uint(b, 1, uuid);
	pb_bytes(b, 2, name, strlen(name));
	pb_uint(b, 5, PF_PROCESS_UUID);
	size_t cd = pb_open(b, TD_COUNTER);
	pb_bytes(b, CD_UNIT_NAME, "%", 1);
	pb_close(b, cd);
	pb_close(b, td);
	pf_emit_packet(pf);
}

/* A counter value holds until the next sample: an idle stretch needs one 0 at its start. */
static void sample(struct perfetto *pf, size_t i, uint64_t uuid, int64_t k, double busy)
{
	struct pbuf *b = &pf->pkt;

	pb_reset(b);
	pb_uint(b, PKT_TIMESTAMP, (uint64_t)(k * pf->util_period));
	pb_uint(b, PKT_SEQUENCE_ID, UTIL_SEQ_BASE + (uint32_t)i);
	size_t m = pb_open(b, PKT_TRACK_EVENT);
	pb_uint(b, TE_TYPE, TE_COUNTER);
	pb_uint(b, TE_TRACK_UUID, uuid);
	pb_double(b, TE_DOUBLE_COUNTER_VALUE, busy * 100.0 / (double)pf->util_period);
	pb_close(b, m);
	pf_emit_packet(pf);
}

void pf_util_write(struct perfetto *pf, int64_t end)
{
	for (size_t i = 0; i < pf->nutil; i++) {
		const struct pf_util_thread *u = &pf->util[i];
		uint64_t uuid = UTIL_UUID_BASE + i;
		descriptor(pf, u, uuid);
		for (size_t j = 0; j < u->n; j++) {
			sample(pf, i, uuid, u->p[j].k, u->p[j].busy);
			int64_t next = u->p[j].k + 1;	/* idle from then, if within the trace */
			if (j + 1 < u->n ? u->p[j + 1].k > next : next * pf->util_period <= end)
				sample(pf, i, uuid, next, 0);
		}
	}
}

void pf_util_free(struct perfetto *pf)
{
	for (size_t i = 0; i < pf->nutil; i++)
		free(pf->util[i].p);
	free(pf->util);
	umap_free(&pf->util_map);
}
