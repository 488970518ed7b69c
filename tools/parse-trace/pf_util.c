/* Per-thread CPU utilisation counters of the Perfetto export (--cpu-util-hz, as manytrace's
 * cpu_util with its frequency): the time each thread runs on a CPU, as the CPU tracks show
 * it (pf_sched.c), summed per period of 1/hz s aligned on multiples of the period, written
 * when the trace ends as one counter track per thread ("comm-tid cpu_util", percent of one
 * CPU) with a sample at the start of each period it ran in (one for a run of periods with
 * the same value), and a 0 where it stops running for a whole period (a counter holds its
 * value until the next sample; none after the trace's end, which would stretch the
 * timeline). The sums are kept until then (per thread, runs of periods), since a thread's
 * running time in a period is known only when the period is over on every CPU. Each
 * counter track gets its own sequence of absolute timestamps, so its samples need no
 * incremental state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/perfetto.h"

/* Entries kept in all (24 bytes each), a bound for broken input; the counters stop there
 * (said on stderr). Each interval a thread runs makes at most three. */
#define UTIL_MAX_ENTRIES (4u << 20)

/* Above the thread tracks' uuids and sequences (one per thread, from 2 up) */
#define UTIL_UUID_BASE (1ULL << 40)
#define UTIL_SEQ_BASE 32768u

/* Periods k0..k1, each with busy ns of running: a thread that runs through many periods
 * takes one entry, not one per period. */
struct util_run {
	int64_t k0, k1;
	double busy;
};

struct pf_util_thread {
	int64_t tid;
	struct util_run *r;	/* in time order */
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

static void push(struct perfetto *pf, struct pf_util_thread *u, int64_t k0, int64_t k1,
		 double busy)
{
	if (pf->util_entries >= UTIL_MAX_ENTRIES) {
		pf->util_cut = true;
		return;
	}
	pf->util_entries++;
	xgrow((void **)&u->r, &u->cap, u->n + 1, sizeof(*u->r));
	u->r[u->n++] = (struct util_run){ k0, k1, busy };
}

/* Adds ns to each of periods k0..k1. A thread's intervals come in time order (it runs on
 * one CPU at a time), so only the last entry can hold k0: then k0 == k1, the period where
 * one interval ended and this one begins. */
static void add(struct perfetto *pf, struct pf_util_thread *u, int64_t k0, int64_t k1, double ns)
{
	struct util_run *last = u->n ? &u->r[u->n - 1] : NULL;

	if (last && last->k1 >= k0) {
		if (k0 != k1 || last->k1 != k0) {
			pf->clamped++;	/* times that go back: left out */
			return;
		}
		if (last->k0 < last->k1) {	/* split the run off its last period */
			last->k1--;
			push(pf, u, k0, k0, last->busy);
			if (pf->util_cut)
				return;
			last = &u->r[u->n - 1];
		}
		last->busy += ns;
	} else if (last && last->k1 + 1 == k0 && last->busy == ns) {
		last->k1 = k1;
	} else {
		push(pf, u, k0, k1, ns);
	}
}

void pf_util_run(struct perfetto *pf, int64_t tid, int64_t from, int64_t to)
{
	int64_t period = pf->util_period;

	if (!period || tid <= 0 || from < 0 || to <= from || pf->util_cut)
		return;
	struct pf_util_thread *u = util_thread(pf, tid);
	int64_t kf = from / period, kt = (to - 1) / period;
	if (kf == kt) {
		add(pf, u, kf, kf, (double)(to - from));
		return;
	}
	add(pf, u, kf, kf, (double)((kf + 1) * period - from));
	if (kt > kf + 1)
		add(pf, u, kf + 1, kt - 1, (double)period);
	add(pf, u, kt, kt, (double)(to - kt * period));
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
	if (pf->util_cut && !pf->e->quiet)
		fprintf(stderr, "parse-trace: CPU utilisation counters stop after %u entries\n",
			UTIL_MAX_ENTRIES);
	for (size_t i = 0; i < pf->nutil; i++) {
		const struct pf_util_thread *u = &pf->util[i];
		uint64_t uuid = UTIL_UUID_BASE + i;
		descriptor(pf, u, uuid);
		for (size_t j = 0; j < u->n; j++) {	/* a value holds over its run */
			sample(pf, i, uuid, u->r[j].k0, u->r[j].busy);
			int64_t next = u->r[j].k1 + 1;	/* idle from then, if within the trace */
			if (j + 1 < u->n ? u->r[j + 1].k0 > next : next * pf->util_period <= end)
				sample(pf, i, uuid, next, 0);
		}
	}
}

void pf_util_free(struct perfetto *pf)
{
	for (size_t i = 0; i < pf->nutil; i++)
		free(pf->util[i].r);
	free(pf->util);
	umap_free(&pf->util_map);
}
