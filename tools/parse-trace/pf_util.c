/* Per-thread CPU utilisation counters of the Perfetto export (--cpu-util-hz, as manytrace's
 * cpu_util with its frequency): the time each thread runs on a CPU, as the CPU tracks show
 * it (pf_sched.c), summed per period of 1/hz s aligned on multiples of the period, written
 * when the trace ends as one counter track per thread ("comm-tid cpu_util", percent of one
 * CPU) with a sample at the start of each period from the thread's first to its last.
 * The sums are kept until then (a double per thread and period), since a thread's running
 * time in a period is known only when the period is over on every CPU. Each counter track
 * gets its own sequence of absolute timestamps, so its samples need no incremental state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/perfetto.h"

/* Above the thread tracks' uuids and sequences (one per thread, from 2 up) */
#define UTIL_UUID_BASE (1ULL << 40)
#define UTIL_SEQ_BASE 32768u

struct pf_util_thread {
	int64_t tid;
	int64_t first;		/* period index of busy[0] */
	double *busy;		/* ns run in each period */
	size_t n, cap;
};

static struct pf_util_thread *util_thread(struct perfetto *pf, int64_t tid, int64_t period)
{
	uint32_t idx = umap_get(&pf->util_map, (uint64_t)tid);

	if (idx)
		return &pf->util[idx - 1];
	xgrow((void **)&pf->util, &pf->cap_util, pf->nutil + 1, sizeof(*pf->util));
	struct pf_util_thread *u = &pf->util[pf->nutil++];
	*u = (struct pf_util_thread){ .tid = tid, .first = period };
	umap_put(&pf->util_map, (uint64_t)tid, (uint32_t)pf->nutil);
	return u;
}

/* Makes period k a slot of u->busy (periods before the first are added in front). */
static double *slot(struct pf_util_thread *u, int64_t k)
{
	if (k < u->first) {
		size_t shift = (size_t)(u->first - k);
		xgrow((void **)&u->busy, &u->cap, u->n + shift, sizeof(*u->busy));
		memmove(u->busy + shift, u->busy, u->n * sizeof(*u->busy));
		memset(u->busy, 0, shift * sizeof(*u->busy));
		u->n += shift;
		u->first = k;
	}
	size_t i = (size_t)(k - u->first);
	if (i >= u->n) {
		xgrow((void **)&u->busy, &u->cap, i + 1, sizeof(*u->busy));
		memset(u->busy + u->n, 0, (i + 1 - u->n) * sizeof(*u->busy));
		u->n = i + 1;
	}
	return &u->busy[i];
}

void pf_util_run(struct perfetto *pf, int64_t tid, int64_t from, int64_t to)
{
	int64_t period = pf->util_period;

	if (!period || tid <= 0 || from < 0 || to <= from)
		return;
	struct pf_util_thread *u = util_thread(pf, tid, from / period);
	for (int64_t k = from / period; k * period < to; k++) {
		int64_t b = k * period > from ? k * period : from;
		int64_t e = (k + 1) * period < to ? (k + 1) * period : to;
		*slot(u, k) += (double)(e - b);
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

void pf_util_write(struct perfetto *pf)
{
	struct pbuf *b = &pf->pkt;

	for (size_t i = 0; i < pf->nutil; i++) {
		const struct pf_util_thread *u = &pf->util[i];
		uint64_t uuid = UTIL_UUID_BASE + i;
		descriptor(pf, u, uuid);
		for (size_t k = 0; k < u->n; k++) {
			pb_reset(b);
			pb_uint(b, PKT_TIMESTAMP, (uint64_t)((u->first + (int64_t)k) * pf->util_period));
			pb_uint(b, PKT_SEQUENCE_ID, UTIL_SEQ_BASE + (uint32_t)i);
			size_t m = pb_open(b, PKT_TRACK_EVENT);
			pb_uint(b, TE_TYPE, TE_COUNTER);
			pb_uint(b, TE_TRACK_UUID, uuid);
			pb_double(b, TE_DOUBLE_COUNTER_VALUE, u->busy[k] * 100.0 / (double)pf->util_period);
			pb_close(b, m);
			pf_emit_packet(pf);
		}
	}
}

void pf_util_free(struct perfetto *pf)
{
	for (size_t i = 0; i < pf->nutil; i++)
		free(pf->util[i].busy);
	free(pf->util);
	umap_free(&pf->util_map);
}
