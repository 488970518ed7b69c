/* pftrace-check's profiling side: InternedData's function names, frames and callstacks,
 * and the PerfSample packets that use them (see pftrace-check.c for the rules). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/tools/pftrace-check.h"

static bool iid_ok(uint64_t iid)
{
	if (!iid || iid > MAX_IID) {
		fail("interned iid %" PRIu64 " out of range", iid);
		return false;
	}
	return true;
}

/* Makes table[iid] exist (zeroed when new) in a table of *n entries of size sz. */
static void *grow(void *table, size_t *n, uint64_t iid, size_t sz)
{
	if (iid < *n)
		return table;
	size_t old = *n;
	*n = iid * 2 + 16;
	table = realloc(table, *n * sz);
	memset((char *)table + old * sz, 0, (*n - old) * sz);
	return table;
}

void define_string(char ***table, size_t *n, uint64_t iid, struct span name)
{
	if (!iid_ok(iid))
		return;
	*table = grow(*table, n, iid, sizeof(**table));
	free((*table)[iid]);
	(*table)[iid] = malloc((size_t)(name.e - name.p) + 1);
	copy_str((*table)[iid], (size_t)(name.e - name.p) + 1, name);
}

/* Mapping {iid = 1, path_string_ids = 7}: its path components must be defined. */
void prof_mapping(struct prof_tables *q, struct span s)
{
	uint64_t v, iid = 0;
	struct span body;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 1 && wt == 0)
			iid = v;
		else if (num == 7 && wt == 0 && (v >= q->nmpaths || !q->mpaths[v]))
			fail("mapping uses path string %" PRIu64 ", not defined", v);
	}
	if (!iid_ok(iid))
		return;
	q->mappings = grow(q->mappings, &q->nmappings, iid, sizeof(*q->mappings));
	q->mappings[iid] = true;
}

/* Frame {iid = 1, function_name_id = 2, mapping_id = 3, rel_pc = 4}: its name and mapping
 * must be defined, and a frame in a mapping must have its rel_pc. */
void prof_frame(struct prof_tables *q, struct span s)
{
	uint64_t v, iid = 0, fn = 0, mapping = 0;
	struct span body;
	bool has_pc = false;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 1 && wt == 0)
			iid = v;
		else if (num == 2 && wt == 0)
			fn = v;
		else if (num == 3 && wt == 0)
			mapping = v;
		else if (num == 4 && wt == 0)
			has_pc = true;
	}
	if (!iid_ok(iid))
		return;
	if (mapping && (mapping >= q->nmappings || !q->mappings[mapping]))
		fail("frame %" PRIu64 " is in mapping %" PRIu64 ", not defined", iid, mapping);
	if (mapping && !has_pc)
		fail("frame %" PRIu64 " has a mapping and no rel_pc", iid);
	if (!fn || fn >= q->nfnames || !q->fnames[fn]) {
		fail("frame %" PRIu64 " names function name %" PRIu64 ", not defined", iid, fn);
		return;
	}
	q->frames = grow(q->frames, &q->nframes, iid, sizeof(*q->frames));
	q->frames[iid] = fn;
}

/* Callstack {iid = 1, repeated frame_ids = 2}: its frames must be defined. */
void prof_callstack(struct prof_tables *q, struct span s)
{
	uint64_t v, iid = 0;
	struct span body;
	struct callstack c = { 0 };
	size_t cap = 0;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 1 && wt == 0)
			iid = v;
		else if (num == 2 && wt == 0) {
			if (v >= q->nframes || !q->frames[v])
				fail("callstack uses frame %" PRIu64 ", not defined", v);
			if (c.n == cap)
				c.frames = realloc(c.frames, (cap = cap * 2 + 16) * sizeof(*c.frames));
			c.frames[c.n++] = v;
		} else if (num == 2)
			fail("packed frame_ids (proto2 wants one tag per frame)");
	}
	if (!c.n)
		fail("callstack %" PRIu64 " without frames", iid);
	if (!iid_ok(iid) || !c.n) {
		free(c.frames);
		return;
	}
	q->stacks = grow(q->stacks, &q->nstacks, iid, sizeof(*q->stacks));
	free(q->stacks[iid].frames);
	q->stacks[iid] = c;
}

/* PerfSample {cpu = 1, pid = 2, tid = 3, callstack_iid = 4}: on a described thread, with a
 * callstack defined on its sequence. */
void prof_sample(const struct prof_tables *q, struct span s, uint64_t ts)
{
	uint64_t v, cpu = 0, pid = 0, tid = 0, iid = 0;
	struct span body;
	bool has_pid = false, has_tid = false;
	const struct track *t = NULL;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 1 && wt == 0)
			cpu = v;
		else if (num == 2 && wt == 0)
			pid = v, has_pid = true;
		else if (num == 3 && wt == 0)
			tid = v, has_tid = true;
		else if (num == 4 && wt == 0)
			iid = v;
	}
	nsamples++;
	if (!has_pid || !has_tid)
		fail("perf sample without pid and tid");
	for (size_t i = 0; i < ntracks && !t; i++)
		if (tracks[i].thread && tracks[i].pid == pid && tracks[i].tid == tid)
			t = &tracks[i];
	if (!t)
		fail("perf sample of pid %" PRIu64 " tid %" PRIu64 ", no thread track", pid, tid);
	if (!iid || iid >= q->nstacks || !q->stacks[iid].frames) {
		fail("perf sample uses callstack %" PRIu64 ", not defined", iid);
		return;
	}
	if (!opt_samples)
		return;
	const struct callstack *c = &q->stacks[iid];
	printf("%s\t%" PRIu64 "\t", t ? t->name : "?", cpu);
	for (size_t i = 0; i < c->n; i++) {
		uint64_t fn = c->frames[i] < q->nframes ? q->frames[c->frames[i]] : 0;
		printf("%s%s", i ? ";" : "", fn ? q->fnames[fn] : "?");
	}
	printf("\t%" PRIu64 "\n", ts);
}

void prof_clear(struct prof_tables *q)
{
	for (size_t i = 0; i < q->nfnames; i++)
		free(q->fnames[i]);
	free(q->fnames);
	free(q->frames);
	for (size_t i = 0; i < q->nstacks; i++)
		free(q->stacks[i].frames);
	free(q->stacks);
	for (size_t i = 0; i < q->nmpaths; i++)
		free(q->mpaths[i]);
	free(q->mpaths);
	free(q->mappings);
	*q = (struct prof_tables){ 0 };
}
