/* Parser of the guest's raw_header text. Every line is `key value...`; the symbol and
 * thread tables are a count line followed by that many lines. Unknown keys are skipped,
 * so a newer guest can add lines; numbers are checked for range and syntax. */
#include "tools/lib/rawhdr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/codec_format.h"
#include "trace/output.h"
#include "tools/lib/xalloc.h"

struct hp {			/* parsing position */
	char *line, *next;	/* the current line (NUL-terminated in place), the rest */
	char *end;
	unsigned lineno;
	char *err;
	size_t errlen;
};

static int fail(struct hp *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "line %u: ", p->lineno);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Moves to the next line; false at the end of the text. */
static bool next_line(struct hp *p)
{
	char *nl;

	if (p->next >= p->end)
		return false;
	p->line = p->next;
	nl = memchr(p->line, '\n', (size_t)(p->end - p->line));
	if (!nl)
		nl = p->end;	/* the text's copy has a NUL after its end */
	*nl = 0;
	p->next = nl + 1;
	p->lineno++;
	return true;
}

/* The next space-separated word of *s, NUL-terminated in place; NULL if none. */
static char *word(char **s)
{
	char *w = *s + strspn(*s, " \t\r"), *e;

	if (!*w)
		return NULL;
	e = w + strcspn(w, " \t\r");
	if (*e)
		*e++ = 0;
	*s = e;
	return w;
}

/* A number in base (0: C syntax), the whole word, at most max. */
static bool number(const char *w, int base, uint64_t max, uint64_t *v)
{
	char *e;

	if (!w || !*w || *w == '-' || *w == '+')
		return false;
	errno = 0;
	*v = strtoull(w, &e, base);
	return !errno && !*e && *v <= max;
}

static int num_field(struct hp *p, char **s, int base, uint64_t max, uint64_t *v, const char *what)
{
	char *w = word(s);

	if (!number(w, base, max, v))
		return fail(p, "bad %s '%s'", what, w ? w : "");
	return 0;
}

/* The OUT_OPT_* bit of a trace_options name, 0 if it has none (overwrite, markers...). */
static unsigned opt_bit(const char *name)
{
	static const struct { const char *name; unsigned bit; } bits[] = {
		{ "print-parent", OUT_OPT_PARENT }, { "context-info", OUT_OPT_CONTEXT },
		{ "irq-info", OUT_OPT_IRQ_INFO }, { "funcgraph-cpu", OUT_OPT_CPU },
		{ "funcgraph-overhead", OUT_OPT_OVERHEAD }, { "funcgraph-proc", OUT_OPT_PROC },
		{ "funcgraph-duration", OUT_OPT_DURATION }, { "funcgraph-abstime", OUT_OPT_ABSTIME },
		{ "funcgraph-irqs", OUT_OPT_IRQS }, { "funcgraph-tail", OUT_OPT_TAIL },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (!strcmp(name, bits[i].name))
			return bits[i].bit;
	return 0;
}

/* "trace_options print-parent nocontext-info ...": options not named keep their default. */
static void parse_options(struct rawhdr *h, char *s)
{
	char *w;

	while ((w = word(&s))) {
		bool on = strncmp(w, "no", 2) != 0;
		unsigned bit = opt_bit(on ? w : w + 2);

		if (!bit && !on)
			bit = opt_bit(w);	/* a name that starts with "no" */
		h->opts = on ? h->opts | bit : h->opts & ~bit;
	}
}

/* "cpu N lost L overrun O seq S [lost_at_clear A overrun_at_clear B]" (the last two
 * pairs are optional: older guests did not send them, and counted lost and overrun since
 * the clear) */
static int parse_cpu(struct hp *p, struct rawhdr *h, char *s)
{
	uint64_t n;
	struct rawhdr_cpu c = { 0 };
	const char *k1, *k2, *k3, *k4;

	if (num_field(p, &s, 10, RAWHDR_MAX_CPUS - 1, &n, "cpu number"))
		return -1;
	k1 = word(&s);
	if (!k1 || strcmp(k1, "lost") || num_field(p, &s, 10, UINT64_MAX, &c.lost, "lost"))
		return k1 && !strcmp(k1, "lost") ? -1 : fail(p, "expected 'lost'");
	k2 = word(&s);
	if (!k2 || strcmp(k2, "overrun") || num_field(p, &s, 10, UINT64_MAX, &c.overrun, "overrun"))
		return k2 && !strcmp(k2, "overrun") ? -1 : fail(p, "expected 'overrun'");
	k3 = word(&s);
	if (!k3 || strcmp(k3, "seq") || num_field(p, &s, 10, UINT64_MAX, &c.seq, "seq"))
		return k3 && !strcmp(k3, "seq") ? -1 : fail(p, "expected 'seq'");
	if ((k4 = word(&s))) {
		const char *k5;

		if (strcmp(k4, "lost_at_clear"))
			return fail(p, "expected 'lost_at_clear'");
		if (num_field(p, &s, 10, c.lost, &c.lost_at_clear, "lost_at_clear"))
			return -1;
		k5 = word(&s);
		if (!k5 || strcmp(k5, "overrun_at_clear"))
			return fail(p, "expected 'overrun_at_clear'");
		if (num_field(p, &s, 10, c.overrun, &c.overrun_at_clear, "overrun_at_clear"))
			return -1;
	}
	h->cpu[n] = c;
	return 0;
}

/* "<hex addr> <size> <name>" lines */
static int parse_syms(struct hp *p, struct rawhdr *h, uint64_t n)
{
	if (h->syms)
		return fail(p, "a second symbol table");
	h->syms = xcalloc(n ? n : 1, sizeof(*h->syms));
	for (h->nsyms = 0; h->nsyms < n; h->nsyms++) {
		struct rawhdr_sym *y = &h->syms[h->nsyms];
		char *s;

		if (!next_line(p))
			return fail(p, "%llu symbols announced, %zu present", (unsigned long long)n,
				    h->nsyms);
		s = p->line;
		if (num_field(p, &s, 16, UINT64_MAX, &y->addr, "symbol address") ||
		    num_field(p, &s, 0, UINT64_MAX, &y->size, "symbol size"))
			return -1;
		if (!(y->name = word(&s)))
			return fail(p, "symbol without a name");
		if (h->nsyms && y->addr < h->syms[h->nsyms - 1].addr)
			return fail(p, "symbols not sorted by address");
	}
	return 0;
}

static int cmp_thread_ptr(const void *a, const void *b)
{
	const struct rawhdr_thread *x = *(const struct rawhdr_thread *const *)a;
	const struct rawhdr_thread *y = *(const struct rawhdr_thread *const *)b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	/* the same creation time: the one listed later (the guest's newest) last */
	return x < y ? -1 : x > y;
}

/* by_tid and tid_start: every thread of a tid together, oldest first. */
static void index_threads(struct rawhdr *h)
{
	size_t n = h->nthreads;
	uint32_t count[RAWHDR_MAX_THREADS] = { 0 };

	h->by_tid = xcalloc(n ? n : 1, sizeof(*h->by_tid));
	h->tid_start = xcalloc(RAWHDR_MAX_THREADS + 1, sizeof(*h->tid_start));
	for (size_t i = 0; i < n; i++)
		count[h->threads[i].tid]++;
	for (unsigned t = 0; t < RAWHDR_MAX_THREADS; t++)
		h->tid_start[t + 1] = h->tid_start[t] + count[t];
	/* sorting pointers into threads[] keeps the listing order as the tie-break */
	{
		const struct rawhdr_thread **ptr = xcalloc(n ? n : 1, sizeof(*ptr));

		for (size_t i = 0; i < n; i++)
			ptr[i] = &h->threads[i];
		qsort(ptr, n, sizeof(*ptr), cmp_thread_ptr);
		for (size_t i = 0; i < n; i++)
			h->by_tid[i] = *ptr[i];
		free(ptr);
	}
}

/* "<tid> <created_tsc> <exited_tsc or -> <name>" lines; the name may hold spaces. */
static int parse_threads(struct hp *p, struct rawhdr *h, uint64_t n)
{
	if (h->threads)
		return fail(p, "a second thread table");
	h->threads = xcalloc(n ? n : 1, sizeof(*h->threads));
	for (h->nthreads = 0; h->nthreads < n; h->nthreads++) {
		struct rawhdr_thread *t = &h->threads[h->nthreads];
		uint64_t tid;
		char *s, *w;

		if (!next_line(p))
			return fail(p, "%llu threads announced, %zu present", (unsigned long long)n,
				    h->nthreads);
		s = p->line;
		if (num_field(p, &s, 10, RAWHDR_MAX_THREADS - 1, &tid, "tid") ||
		    num_field(p, &s, 10, UINT64_MAX, &t->created, "creation time"))
			return -1;
		t->tid = (unsigned)tid;
		w = word(&s);
		if (w && !strcmp(w, "-"))
			t->exited = UINT64_MAX;
		else if (!number(w, 10, UINT64_MAX, &t->exited))
			return fail(p, "bad exit time '%s'", w ? w : "");
		s += strspn(s, " \t");
		t->name = s;
	}
	index_threads(h);
	return 0;
}

/* "ID DEPTH PC..." lines, ids increasing. */
static int parse_stacks(struct hp *p, struct rawhdr *h, uint64_t n)
{
	if (h->stacks)
		return fail(p, "a second stack table");
	h->stacks = xcalloc(n ? n : 1, sizeof(*h->stacks));
	for (h->nstacks = 0; h->nstacks < n; h->nstacks++) {
		struct rawhdr_stack *k = &h->stacks[h->nstacks];
		uint64_t id, depth, pc;
		char *s;

		if (!next_line(p))
			return fail(p, "%llu stacks announced, %zu present", (unsigned long long)n,
				    h->nstacks);
		s = p->line;
		if (num_field(p, &s, 10, UINT32_MAX, &id, "stack id") ||
		    num_field(p, &s, 10, RAWHDR_MAX_FRAMES, &depth, "stack depth"))
			return -1;
		if (!depth || (h->nstacks && id <= h->stacks[h->nstacks - 1].id))
			return fail(p, "stack ids not increasing, or an empty stack");
		k->id = (uint32_t)id;
		k->n = (uint32_t)depth;
		k->pcs = xcalloc(depth, sizeof(*k->pcs));
		for (uint64_t i = 0; i < depth; i++) {
			if (num_field(p, &s, 16, UINT32_MAX, &pc, "stack frame")) {
				free(k->pcs);
				k->pcs = NULL;
				return -1;
			}
			k->pcs[i] = (uint32_t)pc;
		}
	}
	return 0;
}

/* "profile_cpu C samples N lost M" */
static int parse_profile_cpu(struct hp *p, struct rawhdr *h, char *s)
{
	uint64_t cpu;
	char *k;

	if (num_field(p, &s, 10, RAWHDR_MAX_CPUS - 1, &cpu, "profile cpu"))
		return -1;
	k = word(&s);
	if (!k || strcmp(k, "samples") ||
	    num_field(p, &s, 10, UINT64_MAX, &h->samples[cpu], "samples"))
		return fail(p, "expected 'samples N'");
	k = word(&s);
	if (!k || strcmp(k, "lost") ||
	    num_field(p, &s, 10, UINT64_MAX, &h->samples_lost[cpu], "lost samples"))
		return fail(p, "expected 'lost N'");
	return 0;
}

/* One `key value` line. */
static int parse_line(struct hp *p, struct rawhdr *h)
{
	char *s = p->line, *key = word(&s);
	uint64_t v;

	if (!key)
		return 0;
	if (!strcmp(key, "tracer")) {
		char *w = word(&s);

		if (!w || strlen(w) >= sizeof(h->tracer))
			return fail(p, "bad tracer");
		strcpy(h->tracer, w);
		return 0;
	}
	if (!strcmp(key, "untraced")) {
		for (int i = 0; i < 3; i++)
			if (num_field(p, &s, 10, UINT64_MAX, &h->untraced[i], "untraced count"))
				return -1;
		return 0;
	}
	if (!strcmp(key, "stopped")) {
		h->stopped = s + strspn(s, " \t");
		return 0;
	}
	if (!strcmp(key, "trace_options")) {
		parse_options(h, s);
		return 0;
	}
	if (!strcmp(key, "cpu"))
		return parse_cpu(p, h, s);
	if (!strcmp(key, "symbols"))
		return num_field(p, &s, 10, RAWHDR_MAX_SYMS, &v, "symbol count") ||
		       parse_syms(p, h, v);
	if (!strcmp(key, "threads"))
		return num_field(p, &s, 10, RAWHDR_MAX_THREAD_LINES, &v, "thread count") ||
		       parse_threads(p, h, v);
	if (!strcmp(key, "stacks"))
		return num_field(p, &s, 10, RAWHDR_MAX_STACKS, &v, "stack count") ||
		       parse_stacks(p, h, v);
	if (!strcmp(key, "profile_hz"))
		return num_field(p, &s, 10, UINT32_MAX, &h->profile_hz, "profile_hz");
	if (!strcmp(key, "profile_cpu"))
		return parse_profile_cpu(p, h, s);
	if (!strcmp(key, "tsc_hz"))
		return num_field(p, &s, 10, UINT64_MAX, &h->tsc_hz, "tsc_hz");
	if (!strcmp(key, "tsc_boot"))
		return num_field(p, &s, 10, UINT64_MAX, &h->tsc_boot, "tsc_boot");
	if (!strcmp(key, "text_base"))
		return num_field(p, &s, 16, UINT32_MAX, &h->text_base, "text_base");
	if (!strcmp(key, "buffer_bytes"))
		return num_field(p, &s, 10, UINT64_MAX, &h->buffer_bytes, "buffer_bytes");
	if (!strcmp(key, "block_bytes"))
		return num_field(p, &s, 10, UINT64_MAX, &h->block_bytes, "block_bytes");
	if (!strcmp(key, "codec_version")) {
		/* The slot format's version: this reader decodes with the codec it was built
		 * with (trace/codec_format.h). */
		if (num_field(p, &s, 10, UINT32_MAX, &v, "codec_version"))
			return -1;
		if (v < CODEC_VERSION_OLDEST || v > CODEC_VERSION)
			return fail(p, "slot format (codec) version %llu, this reader knows %d to %d",
				    (unsigned long long)v, CODEC_VERSION_OLDEST, CODEC_VERSION);
		return 0;
	}
	if (!strcmp(key, "cpus")) {
		if (num_field(p, &s, 10, RAWHDR_MAX_CPUS, &v, "cpus"))
			return -1;
		if (!v)
			return fail(p, "no CPUs");
		h->cpus = (unsigned)v;
	}
	return 0;
}

int rawhdr_parse(struct rawhdr *h, const char *text, size_t len, char *err, size_t errlen)
{
	struct hp p = { .err = err, .errlen = errlen };
	char *s;
	uint64_t v;

	memset(h, 0, sizeof(*h));
	h->opts = OUT_OPT_DEFAULT;
	h->text = xmalloc(len + 1);
	memcpy(h->text, text, len);
	h->text[len] = 0;
	p.next = h->text;
	p.end = h->text + len;
	if (!next_line(&p))
		return fail(&p, "empty header");
	s = p.line;
	if (!(s = word(&p.line)) || strcmp(s, "glass-raw") ||
	    num_field(&p, &p.line, 10, UINT32_MAX, &v, "version"))
		return fail(&p, "not a glass raw header (first line 'glass-raw 1')");
	if (v != 1)
		return fail(&p, "raw header version %llu, this reader knows 1", (unsigned long long)v);
	h->version = (unsigned)v;
	while (next_line(&p))
		if (parse_line(&p, h))
			return -1;
	if (!h->cpus)
		return fail(&p, "no 'cpus' line");
	if (!h->tsc_hz)
		return fail(&p, "no 'tsc_hz' line");
	return 0;
}

void rawhdr_free(struct rawhdr *h)
{
	free(h->syms);
	free(h->threads);
	free(h->by_tid);
	free(h->tid_start);
	for (size_t i = 0; i < h->nstacks; i++)
		free(h->stacks[i].pcs);
	free(h->stacks);
	free(h->text);
	memset(h, 0, sizeof(*h));
}

const char *rawhdr_symbol(const struct rawhdr *h, uint64_t addr, uint64_t *off)
{
	size_t lo = 0, hi = h->nsyms;

	while (lo < hi) {	/* the last symbol starting at or below addr, as ksym_lookup */
		size_t mid = lo + (hi - lo) / 2;

		if (h->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - h->syms[lo - 1].addr >= h->syms[lo - 1].size)
		return NULL;
	*off = addr - h->syms[lo - 1].addr;
	return h->syms[lo - 1].name;
}

const char *rawhdr_comm_at(const struct rawhdr *h, unsigned tid, uint64_t ts)
{
	uint32_t lo, hi;

	if (tid >= RAWHDR_MAX_THREADS || !h->tid_start)
		return NULL;
	lo = h->tid_start[tid];
	hi = h->tid_start[tid + 1];
	if (lo == hi)
		return NULL;
	/* the newest thread created at or before ts: binary search in [lo, hi) */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (h->by_tid[mid].created <= ts)
			lo = mid;
		else
			hi = mid;
	}
	return h->by_tid[lo].name;
}

const char *rawhdr_comm(const struct rawhdr *h, unsigned tid)
{
	return rawhdr_comm_at(h, tid, UINT64_MAX);
}

const uint32_t *rawhdr_stack(const struct rawhdr *h, uint32_t id, unsigned *n)
{
	size_t lo = 0, hi = h->nstacks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->stacks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == h->nstacks || h->stacks[lo].id != id)
		return NULL;
	*n = h->stacks[lo].n;
	return h->stacks[lo].pcs;
}
