/* The trace printer (trace/output.c, out_*.c) against golden texts. test/golden/trace/cases.txt
 * lists each golden with the event stream and options it was made from; the goldens
 * were written by gen-golden.py, an independent model of Linux's printer. Also checks
 * incremental reads and a live (trace_pipe-like) source.
 * `test_output --bench` measures the printer's native speed instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/unit/check.h"
#include "test/unit/test_output.h"
#include "trace/output.h"
#include "trace/env.h"

static const char *golden_dir = "test/golden/trace";

struct stream *env_stream; /* the stream trace_env_symbol/comm answer from */

const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	for (unsigned i = 0; env_stream && i < env_stream->nsyms; i++) {
		if (addr >= env_stream->sym_addr[i] && addr < env_stream->sym_addr[i] + 0x100) {
			*offset = addr - env_stream->sym_addr[i];
			return env_stream->sym_name[i];
		}
	}
	return NULL;
}

const char *trace_env_comm(unsigned tid)
{
	for (unsigned i = 0; env_stream && i < env_stream->ncomms; i++)
		if (env_stream->comm_tid[i] == tid)
			return env_stream->comm_name[i];
	return "<...>";
}

static uint32_t stream_addr(const struct stream *s, const char *word)
{
	if (word[0] >= '0' && word[0] <= '9')
		return (uint32_t)strtoul(word, NULL, 0);
	for (unsigned i = 0; i < s->nsyms; i++)
		if (!strcmp(s->sym_name[i], word))
			return s->sym_addr[i];
	fprintf(stderr, "unknown symbol %s\n", word);
	exit(2);
}

static void unescape(char *dst, const char *src)
{
	while (*src && *src != '\n') {
		if (src[0] == '\\' && src[1] == 'n') {
			*dst++ = '\n';
			src += 2;
		} else {
			*dst++ = *src++;
		}
	}
	*dst = 0;
}

/* One event line: "KIND CPU TSC TID ARGS..." */
static void parse_event(struct stream *s, const char *line, uint64_t *pending_lost)
{
	char kind[8], a[40], b[40], c[8] = "";
	unsigned cpu, tid, n;
	unsigned long long tsc;
	int off = 0;

	sscanf(line, "%7s %u %llu %u %n", kind, &cpu, &tsc, &tid, &off);
	n = s->nev[cpu]++;
	struct out_event *ev = &s->ev[cpu][n];
	enum rec_type type = kind[0] == 'e' ? REC_ENTRY : kind[0] == 'r' ? REC_RETURN :
			     kind[0] == 'f' ? REC_FUNC : kind[0] == 't' ? REC_TEXT : REC_SWITCH;

	ev->rec.w0 = rec_w0(tsc, tid, type);
	ev->ts = tsc;
	ev->lost = pending_lost[cpu];
	pending_lost[cpu] = 0;
	if (type == REC_TEXT) {
		unescape(s->text[cpu][n], line + off);
		ev->text = s->text[cpu][n];
		ev->text_len = (unsigned)strlen(ev->text);
		return;
	}
	sscanf(line + off, "%39s %39s %7s", a, b, c);
	if (type == REC_ENTRY)
		ev->rec.w1 = stream_addr(s, a) | (uint64_t)strtoul(b, NULL, 0) << 32 |
			     (uint64_t)(strcmp(c, "irq") ? 0 : REC_F_IRQ) << 40;
	else if (type == REC_RETURN) {
		ev->rec.w1 = rec_call_w1(stream_addr(s, a), (unsigned)strtoul(c, NULL, 0));
		ev->rec.w2 = strtoull(b, NULL, 0);
	}
	else if (type == REC_FUNC)
		ev->rec.w1 = stream_addr(s, a) | (uint64_t)stream_addr(s, b) << 32;
	else
		ev->rec.w1 = strtoul(a, NULL, 0) | strtoul(b, NULL, 0) << 16;
}

static void parse_line(struct stream *s, const char *line, uint64_t *pending_lost)
{
	char key[16], a[64], b[64];
	int n = sscanf(line, "%15s %63s %63s", key, a, b);

	if (n < 1 || key[0] == '#')
		return;
	if (!strcmp(key, "hz"))
		s->hz = strtoull(a, NULL, 0);
	else if (!strcmp(key, "ncpus"))
		s->ncpus = (unsigned)strtoul(a, NULL, 0);
	else if (!strcmp(key, "entries"))
		s->entries = strtoull(a, NULL, 0);
	else if (!strcmp(key, "written"))
		s->written = strtoull(a, NULL, 0);
	else if (!strcmp(key, "sym")) {
		s->sym_addr[s->nsyms] = (uint32_t)strtoul(a, NULL, 16);
		snprintf(s->sym_name[s->nsyms++], 64, "%s", b);
	} else if (!strcmp(key, "comm")) {
		s->comm_tid[s->ncomms] = (unsigned)strtoul(a, NULL, 0);
		snprintf(s->comm_name[s->ncomms++], 64, "%s", b);
	} else if (!strcmp(key, "lost")) {
		pending_lost[atoi(a)] = b[0] == '?' ? OUT_LOST_UNKNOWN : strtoull(b, NULL, 0);
	} else if (!strcmp(key, "endlost")) {
		unsigned cpu = (unsigned)atoi(a);
		struct out_event *ev = &s->ev[cpu][s->nev[cpu]++];

		ev->lost = strtoull(b, NULL, 0);
	} else {
		parse_event(s, line, pending_lost);
	}
}

static int load_stream(struct stream *s, const char *name)
{
	char path[512], line[512];
	uint64_t pending_lost[OUT_MAX_CPUS] = { 0 };
	FILE *f;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		parse_line(s, line, pending_lost);
	fclose(f);
	return 0;
}

/* ---- an array source; `limit` makes it look live: only that many events exist yet ---- */

/* The printer's source over a stream's arrays: runs point into them, of at most
 * run_max events (0: everything left), so that goldens are printed across run
 * boundaries of every kind. pos counts what the printer reported consumed. */
struct array_src {
	struct stream *s;
	unsigned run_max;
	unsigned pos[OUT_MAX_CPUS];
	unsigned limit[OUT_MAX_CPUS];
};

static unsigned array_fill(void *ctx, unsigned cpu, const struct out_event **evs)
{
	struct array_src *a = ctx;
	unsigned end = a->s->nev[cpu] < a->limit[cpu] ? a->s->nev[cpu] : a->limit[cpu];
	unsigned n = a->pos[cpu] < end ? end - a->pos[cpu] : 0;

	*evs = &a->s->ev[cpu][a->pos[cpu]];
	return a->run_max && n > a->run_max ? a->run_max : n;
}

static void array_consume(void *ctx, unsigned cpu, unsigned n)
{
	struct array_src *a = ctx;

	a->pos[cpu] += n;
}

static void array_init(struct array_src *a, struct stream *s, struct out_source *src)
{
	memset(a, 0, sizeof(*a));
	a->s = s;
	for (unsigned i = 0; i < OUT_MAX_CPUS; i++)
		a->limit[i] = MAX_EVENTS;
	src->fill = array_fill;
	src->consume = array_consume;
	src->ctx = a;
}

/* ---- cases.txt ---- */

struct opt_name {
	const char *name;
	unsigned bit;
};

static const struct opt_name opt_names[] = {
	{ "funcgraph-tail", OUT_OPT_TAIL },
	{ "funcgraph-abstime", OUT_OPT_ABSTIME },
	{ "funcgraph-proc", OUT_OPT_PROC },
	{ "funcgraph-irqs", OUT_OPT_IRQS },
	{ "funcgraph-overhead", OUT_OPT_OVERHEAD },
	{ "funcgraph-duration", OUT_OPT_DURATION },
	{ "funcgraph-cpu", OUT_OPT_CPU },
	{ "context-info", OUT_OPT_CONTEXT },
	{ "print-parent", OUT_OPT_PARENT },
	{ "irq-info", OUT_OPT_IRQ_INFO },
};

static unsigned apply_option(unsigned opts, const char *word)
{
	bool off = !strncmp(word, "no", 2);

	for (size_t i = 0; i < sizeof(opt_names) / sizeof(opt_names[0]); i++) {
		if (strcmp(word + (off ? 2 : 0), opt_names[i].name))
			continue;
		return off ? opts & ~opt_names[i].bit : opts | opt_names[i].bit;
	}
	fprintf(stderr, "unknown option %s\n", word);
	exit(2);
}

static enum out_tracer tracer_of(const char *name)
{
	if (!strcmp(name, "function_graph"))
		return OUT_GRAPH;
	return strcmp(name, "function") ? OUT_NOP : OUT_FUNCTION;
}

/* Fills cfg from a cases.txt line; returns the number of words, *events the stream. */
static int parse_case(char *line, struct out_config *cfg, char **golden, char **events)
{
	char *w[32];
	int n = 0;

	for (char *t = strtok(line, " \t\n"); t && n < 32; t = strtok(NULL, " \t\n"))
		w[n++] = t;
	if (n < 6 || w[0][0] == '#')
		return 0;
	*golden = w[0];
	*events = w[1];
	memset(cfg, 0, sizeof(*cfg));
	cfg->tracer = tracer_of(w[2]);
	cfg->header = !strcmp(w[3], "trace");
	cfg->cpus = strcmp(w[4], "all") ? 1u << atoi(w[4]) : ~0u;
	cfg->ncpus = strcmp(w[5], "-") ? (unsigned)atoi(w[5]) : 0;
	cfg->opts = OUT_OPT_DEFAULT;
	cfg->entries = cfg->written = ~0ull; /* the stream's, unless a case overrides */
	for (int i = 6; i < n; i++) {
		if (!strncmp(w[i], "entries=", 8))
			cfg->entries = strtoull(w[i] + 8, NULL, 0);
		else if (!strncmp(w[i], "written=", 8))
			cfg->written = strtoull(w[i] + 8, NULL, 0);
		else if (!strncmp(w[i], "stopped=", 8))
			cfg->stopped = w[i] + 8;
		else
			cfg->opts = apply_option(cfg->opts, w[i]);
	}
	return n;
}

static char *read_file(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", golden_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

/* Runs the printer to the end, reading `chunk` bytes at a time (0: varying sizes). */
static char *print_all(struct out_printer *p, size_t chunk, size_t *len)
{
	size_t cap = 1 << 20, n = 0, k, i = 0;
	char *out = malloc(cap);

	do {
		size_t want = chunk ? chunk : 1 + (i++ * 7919) % 97;

		if (want > cap - n)
			want = cap - n;
		k = out_read(p, out + n, want);
		n += k;
	} while (k);
	out[n] = 0;
	*len = n;
	return out;
}

/* Where two texts first differ, for the failure message. */
static void report_diff(const char *name, const char *got, const char *want)
{
	size_t i = 0, line = 1;

	while (got[i] && got[i] == want[i])
		line += got[i++] == '\n';
	CHECK_FAIL_("%s differs at line %zu: got \"%.60s\" want \"%.60s\"", name, line, got + i,
		    want + i);
}

static struct stream stream_buf;
static struct out_printer printer;

static void check_golden(char *line)
{
	struct out_config cfg;
	struct out_source src;
	struct array_src arr;
	char *golden, *events, *want, *got;
	size_t want_len, got_len;
	static const size_t chunks[] = { 0, 1, 1 << 16 };
	/* runs of one event (trace_pipe), two and three (an entry at a run's end, its
	 * return in the next), and all events at once */
	static const unsigned runs[] = { 1, 2, 3, 0 };

	if (!parse_case(line, &cfg, &golden, &events))
		return;
	TEST_CASE(golden);
	want = read_file(golden, &want_len);
	if (!want || load_stream(&stream_buf, events)) {
		CHECK_FAIL_("cannot read %s or %s", golden, events);
		TEST_END();
		free(want);
		return;
	}
	env_stream = &stream_buf;
	if (!cfg.ncpus)
		cfg.ncpus = stream_buf.ncpus;
	cfg.clock_hz = stream_buf.hz;
	if (cfg.entries == ~0ull)
		cfg.entries = stream_buf.entries;
	if (cfg.written == ~0ull)
		cfg.written = stream_buf.written;
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
			array_init(&arr, &stream_buf, &src);
			arr.run_max = runs[r];
			out_init(&printer, &cfg, &src);
			got = print_all(&printer, chunks[i], &got_len);
			if (got_len != want_len || memcmp(got, want, want_len))
				report_diff(golden, got, want);
			free(got);
			/* every event of the CPUs printed was reported consumed, once */
			for (unsigned cpu = 0; cpu < stream_buf.ncpus; cpu++)
				CHECK_EQ(arr.pos[cpu], printer.cfg.cpus >> cpu & 1 ?
						       stream_buf.nev[cpu] : 0);
		}
	}
	free(want);
	TEST_END();
}

static void test_goldens(void)
{
	char path[512], line[1024];
	FILE *f;
	int cases = 0;

	snprintf(path, sizeof(path), "%s/cases.txt", golden_dir);
	f = fopen(path, "r");
	if (!f) {
		TEST_CASE("goldens");
		CHECK_FAIL_("cannot open %s", path);
		TEST_END();
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != '#' && line[0] != '\n')
			cases++;
		check_golden(line);
	}
	fclose(f);
	TEST_CASE("goldens: all 64 funcgraph option combinations listed");
	CHECK(cases >= 64 + 10);
	TEST_END();
}

/* ---- behaviour that goldens do not show ---- */

static void setup_graph(struct out_config *cfg, struct array_src *arr, struct out_source *src)
{
	load_stream(&stream_buf, "events-graph.txt");
	env_stream = &stream_buf;
	memset(cfg, 0, sizeof(*cfg));
	cfg->tracer = OUT_GRAPH;
	cfg->opts = OUT_OPT_DEFAULT;
	cfg->cpus = 1;
	cfg->ncpus = 2;
	cfg->clock_hz = stream_buf.hz;
	array_init(arr, &stream_buf, src);
}

/* A live reader sees an entry whose return is not written yet: `func() {`, then `}`. */
static void test_live_no_leaf(void)
{
	struct out_config cfg;
	struct out_source src;
	struct array_src arr;
	char buf[4096];
	size_t n;

	TEST_CASE("live: entry without its return yet prints nested, then a bare }");
	setup_graph(&cfg, &arr, &src);
	arr.limit[0] = 5; /* up to rw_verify_area's entry */
	out_init(&printer, &cfg, &src);
	n = out_read(&printer, buf, sizeof(buf) - 1);
	buf[n] = 0;
	CHECK(strstr(buf, " 0)               |      rw_verify_area() {\n") != NULL);
	CHECK_EQ(arr.pos[0], 5); /* what was printed is reported consumed when out_read ends */
	CHECK_EQ(out_read(&printer, buf, sizeof(buf)), 0);
	arr.limit[0] = 6;
	n = out_read(&printer, buf, sizeof(buf) - 1);
	buf[n] = 0;
	CHECK_STR(buf, " 0)   0.046 us    |      }\n");
	TEST_END();
}

/* Text is produced only as the reader asks, and a split line continues exactly. */
static void test_small_reads(void)
{
	struct out_config cfg;
	struct out_source src;
	struct array_src arr;
	char buf[8];

	TEST_CASE("incremental: a 3-byte read consumes only what it needs");
	setup_graph(&cfg, &arr, &src);
	cfg.header = true;
	out_init(&printer, &cfg, &src);
	CHECK_EQ(out_read(&printer, buf, 3), 3);
	CHECK(!memcmp(buf, "# t", 3));
	CHECK_EQ(arr.pos[0], 0); /* the header alone: no event consumed */
	CHECK(!out_drained(&printer));
	TEST_END();
}

static void test_empty(void)
{
	struct out_config cfg;
	struct out_source src;
	struct array_src arr;
	char buf[1024];
	size_t n;

	TEST_CASE("empty buffer: `trace` prints the header only, trace_pipe nothing");
	setup_graph(&cfg, &arr, &src);
	arr.limit[0] = 0;
	cfg.header = true;
	out_init(&printer, &cfg, &src);
	n = out_read(&printer, buf, sizeof(buf) - 1);
	buf[n] = 0;
	CHECK_STR(buf, "# tracer: function_graph\n#\n"
		       "# CPU  DURATION                  FUNCTION CALLS\n"
		       "# |     |   |                     |   |   |   |\n");
	cfg.header = false;
	out_init(&printer, &cfg, &src);
	CHECK_EQ(out_read(&printer, buf, sizeof(buf)), 0);
	TEST_END();
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--bench"))
		return output_bench();
	if (argc > 1)
		golden_dir = argv[1];
	test_goldens();
	test_live_no_leaf();
	test_small_reads();
	test_empty();
	return test_exit_status();
}
