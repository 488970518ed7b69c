/* glass record: drains a running guest's ring buffers through /ftrace/trace_pipe_raw into
 * a capture file (docs/raw-transport.md, docs/capture-format.md). Each request says, with
 * from=, the next frame it wants of each CPU: that acknowledges every frame before it, so
 * the guest frees a block only once it is in the file. A broken connection is retried
 * with the same from=: resent frames (seq below what we have) are dropped, so the capture
 * has each frame once and no gap the guest did not report.
 *
 * --cpu: one stream per chosen CPU, concurrently, each over that CPU's own
 * per_cpu/cpuN/trace_pipe_raw (as trace-cmd record -M records only the CPUs of its mask,
 * one reader per CPU). The other CPUs are neither read, nor claimed, nor acknowledged: what
 * they hold stays in the guest for another reader (another glass record --cpu, at the same
 * time if wanted). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tools/glass/capwrite.h"
#include "tools/glass/glass.h"
#include "tools/glass/http.h"
#include "tools/glass/record_flow.h"
#include "tools/lib/capture.h"
#include "tools/lib/captext.h"
#include "tools/lib/xalloc.h"

#define RETRY_SECONDS 10	/* the guest is gone when it cannot be reached this long */

struct rec_opts {
	const char *out, *host, *port;
	double duration;	/* seconds, 0: until stopped */
	uint32_t cpus;		/* --cpu mask, 0: all */
	bool quiet;
	bool append;		/* --append: resume the capture file */
	bool until_off;		/* --until-off: end once tracing is off and all is drained */
	bool no_block;		/* --no-block: leave the guest's flow control as it is */
};

struct recorder {
	struct rec_opts o;
	struct http_conn conn;	/* for the raw header */
	pthread_mutex_t lock;	/* the file, and the counts every stream adds to */
	struct capwrite *w;
	struct rawhdr hdr;
	bool flow_set, flow_was_on;	/* we turned flow control on; it was on before */
	/* seq wanted next; 0: none received yet. Each CPU's belongs to one stream. */
	uint64_t next[RAWHDR_MAX_CPUS];
	/* counts (frames and bytes: each CPU's by its stream) */
	uint64_t frames[RAWHDR_MAX_CPUS], bytes[RAWHDR_MAX_CPUS];
	uint64_t dups, retries, total_bytes, file_bytes;
	double start, last_progress;
};

/* One connection draining all CPUs (cpu -1: /ftrace/trace_pipe_raw) or one. */
struct stream {
	struct recorder *r;
	int cpu;
	struct http_conn conn;
	/* the frame being assembled from the body */
	unsigned char fh[CAP_FRAME_HDR];
	size_t have;
	struct cap_frame f;
	unsigned char *payload;
	const char *bad;	/* a frame the guest should not have sent */
	/* what an error answer says */
	struct http_text errtext;
	int status;		/* drain()'s */
	uint64_t took;		/* frames taken from the current answer */
	bool saw_off;		/* --until-off: tracing was off before the current request */
	bool had_trace;		/* --until-off: tracing was seen on, or frames came: there is a
				 * recording whose end to wait for */
	pthread_t thread;
};

static volatile int stop_flag;	/* SIGINT, SIGTERM or the end of --duration */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fputs("usage: glass record [-o FILE] [--host H] [--port P] [--duration S] [--cpu N]...\n"
	      "                    [--until-off] [--no-block] [-a] [-q]\n"
	      "Drains a running guest's trace buffers (/ftrace/trace_pipe_raw) into a capture\n"
	      "file, acknowledging what it has, until Ctrl-C, SIGTERM, --duration or the guest\n"
	      "goes away; then prints frames, bytes, events, lost and overrun per CPU.\n"
	      "  -o, --output FILE  the capture file (default glass.cap; a .zst name compresses)\n"
	      "      --host H       the guest's trace server (default 127.0.0.1)\n"
	      "      --port P       its port (default 9090)\n"
	      "      --duration S   stop after S seconds (decimals allowed)\n"
	      "      --cpu N        record CPU N only (repeatable: one stream per CPU); the\n"
	      "                     others are not read or acknowledged: they stay in the guest\n"
	      "      --until-off    end once tracing is off and everything is in the file\n"
	      "      --no-block     do not turn the guest's flow control on: when this reader\n"
	      "                     falls behind, the guest drops events instead of waiting\n"
	      "  -a, --append       resume FILE (plain) where a killed recording left it: from\n"
	      "                     the seq after its last whole frame of each CPU\n"
	      "  -q, --quiet        no progress line, no summary\n"
	      "  -h, --help         this text\n", f);
}

struct grow {
	char *p;
	size_t len, cap;
	bool too_long;
};

static int grow_body(void *ctx, const unsigned char *p, size_t n)
{
	struct grow *g = ctx;

	if (g->len + n > CAP_HEADER_MAX) {
		g->too_long = true;
		return 1;
	}
	xgrow((void **)&g->p, &g->cap, g->len + n + 1, 1);
	memcpy(g->p + g->len, p, n);
	g->len += n;
	return 0;
}

/* GET /ftrace/raw_header into g (and parsed into h if given); quiet: no message. */
static int fetch_header(struct recorder *r, struct grow *g, struct rawhdr *h, bool quiet)
{
	char err[256];
	int status;

	*g = (struct grow){ 0 };
	status = http_get(&r->conn, "/ftrace/raw_header", grow_body, g, err, sizeof(err));
	if (status < 0 || status != 200 || g->too_long) {
		if (!quiet)
			fprintf(stderr, "glass record: /ftrace/raw_header: %s\n",
			status < 0 ? err : g->too_long ? "header too long" : "not served (an old guest?)");
		return -1;
	}
	if (h && rawhdr_parse(h, g->p ? g->p : "", g->len, err, sizeof(err))) {
		rawhdr_free(h);
		if (!quiet)
			fprintf(stderr, "glass record: /ftrace/raw_header: %s\n", err);
		return -1;
	}
	return 0;
}

/* A complete frame: into the file unless we have it already (a resend). */
static int take_frame(struct stream *s)
{
	struct recorder *r = s->r;
	unsigned cpu = s->f.cpu;
	int err;

	if (s->f.seq < r->next[cpu]) {
		pthread_mutex_lock(&r->lock);
		r->dups++;
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	pthread_mutex_lock(&r->lock);
	err = capwrite_frame(r->w, s->fh, s->payload, s->f.len);
	if (!err)
		r->total_bytes += s->f.len + CAP_FRAME_HDR;
	pthread_mutex_unlock(&r->lock);
	if (err)
		return -1;
	r->next[cpu] = s->f.seq + 1;
	s->took++;
	s->had_trace = true;
	r->frames[cpu]++;
	r->bytes[cpu] += s->f.len;
	return 0;
}

/* The body of trace_pipe_raw: frames, cut anywhere by the network. */
static int frames_body(void *ctx, const unsigned char *p, size_t n)
{
	struct stream *r = ctx;

	if (r->conn.status != 200)
		return http_text_body(&r->errtext, p, n);
	while (n) {
		size_t want = r->have < CAP_FRAME_HDR ? CAP_FRAME_HDR - r->have :
							 CAP_FRAME_HDR + r->f.len - r->have;
		size_t k = n < want ? n : want;

		if (r->have < CAP_FRAME_HDR)
			memcpy(r->fh + r->have, p, k);
		else
			memcpy(r->payload + r->have - CAP_FRAME_HDR, p, k);
		r->have += k;
		p += k;
		n -= k;
		if (r->have == CAP_FRAME_HDR) {
			if ((r->bad = cap_frame_get(r->fh, &r->f)) ||
			    (r->f.cpu >= r->r->hdr.cpus &&
			     (r->bad = "frame of a CPU the header does not have")) ||
			    (r->cpu >= 0 && r->f.cpu != (unsigned)r->cpu &&
			     (r->bad = "frame of another CPU on a per-CPU file")))
				return 1;
		}
		if (r->have >= CAP_FRAME_HDR && r->have == CAP_FRAME_HDR + r->f.len) {
			r->have = 0;
			if (take_frame(r))
				return 1;
		}
	}
	return stop_flag;
}

/* The request: follow, and from= with the next seq of every CPU we have frames of. */
static void request_path(const struct stream *s, char *path, size_t cap)
{
	const struct recorder *r = s->r;
	int single = s->cpu;
	size_t n;
	char sep = '=';

	if (single >= 0) {
		n = (size_t)snprintf(path, cap, "/ftrace/per_cpu/cpu%d/trace_pipe_raw?follow=1", single);
		if (r->next[single])
			snprintf(path + n, cap - n, "&from=%llu", (unsigned long long)r->next[single]);
		return;
	}
	n = (size_t)snprintf(path, cap, "/ftrace/trace_pipe_raw?follow=1");
	for (unsigned c = 0; c < r->hdr.cpus && n < cap; c++) {
		if (!r->next[c])
			continue;
		n += (size_t)snprintf(path + n, cap - n, "%s%u:%llu", sep == '=' ? "&from=" : ",", c,
				      (unsigned long long)r->next[c]);
		sep = ',';
	}
}

static void progress(struct recorder *r, bool force)
{
	double t = now();
	uint64_t frames = 0;

	if (r->o.quiet || !isatty(2) || (!force && t - r->last_progress < 1))
		return;
	pthread_mutex_lock(&r->lock);
	for (unsigned c = 0; c < RAWHDR_MAX_CPUS; c++)
		frames += r->frames[c];
	fprintf(stderr, "\rrecording: %llu frames, %.1f MB, %.1f MB/s, %llu retries   ",
		(unsigned long long)frames, r->total_bytes / 1e6,
		r->total_bytes / 1e6 / (t - r->start > 0 ? t - r->start : 1),
		(unsigned long long)r->retries);
	r->last_progress = t;
	pthread_mutex_unlock(&r->lock);
}

static int tracing_on_body(void *ctx, const unsigned char *p, size_t n)
{
	if (n)
		*(int *)ctx = p[0];
	return 0;
}

/* --until-off, after an answer that brought nothing: true once that answer was asked for
 * after tracing was seen off (with tracing off the guest holds nothing back, so an empty
 * answer then means every event is in the file); else looks whether tracing is off now.
 * Off counts only after tracing was seen on or frames came: a recorder started before
 * tracing is switched on waits for it (it used to end at once, racing the switch). */
static bool drained(struct stream *s)
{
	char err[256];
	int first = 0;

	if (s->saw_off)
		return true;
	if (http_get(&s->conn, "/ftrace/tracing_on", tracing_on_body, &first, err,
		     sizeof(err)) != 200)
		return false;
	if (first == '1')
		s->had_trace = true;
	else if (first == '0' && s->had_trace)
		s->saw_off = true;
	return false;
}

/* Requests frames until stopped; 0, or 1 when the guest refused or sent a bad frame. */
static int drain(struct stream *r)
{
	double unreachable_since = 0;
	char path[512], err[256];

	while (!stop_flag) {
		int status, werr;

		/* The request acknowledges every frame taken: they must be in the file first
		 * (a recorder killed after the request must not lose what the guest freed). */
		pthread_mutex_lock(&r->r->lock);
		werr = capwrite_flush(r->r->w);
		pthread_mutex_unlock(&r->r->lock);
		if (werr) {
			fprintf(stderr, "glass record: %s: write error\n", r->r->o.out);
			return 1;
		}
		request_path(r, path, sizeof(path));
		r->have = 0;
		r->errtext.len = 0;
		r->errtext.s[0] = 0;
		r->took = 0;
		status = http_get(&r->conn, path, frames_body, r, err, sizeof(err));
		progress(r->r, false);
		if (r->bad) {
			fprintf(stderr, "glass record: %s: %s\n", path, r->bad);
			return 1;
		}
		if (status == 200 || stop_flag) {
			unreachable_since = 0;
			if (r->have && !stop_flag)
				http_close(&r->conn);	/* the answer ended inside a frame */
			if (status == 200 && r->r->o.until_off && !r->took && drained(r))
				return 0;
			continue;
		}
		if (status > 0) {
			fprintf(stderr, "glass record: %s: HTTP %d: %s\n", path, status, r->errtext.s);
			return 1;
		}
		/* Broken or refused connection: retry with the same from=, for a while. */
		if (!unreachable_since)
			unreachable_since = now();
		else if (now() - unreachable_since > RETRY_SECONDS) {
			fprintf(stderr, "glass record: %s (the guest went away?)\n", err);
			return 0;
		}
		pthread_mutex_lock(&r->r->lock);
		r->r->retries++;
		pthread_mutex_unlock(&r->r->lock);
		usleep(100000);
	}
	return 0;
}

static void *stream_main(void *arg)
{
	struct stream *s = arg;

	s->status = drain(s);
	if (s->status)
		stop_flag = 1; /* one stream failed: the recording ends */
	return NULL;
}

/* All CPUs on one connection, or with --cpu one stream per chosen CPU, concurrently.
 * Returns the worst status. */
static int drain_all(struct recorder *r)
{
	struct stream *s = xcalloc(RAWHDR_MAX_CPUS, sizeof(*s));
	unsigned n = 0;
	int status = 0;

	for (unsigned c = 0; c < RAWHDR_MAX_CPUS && (r->o.cpus || !n); c++) {
		if (r->o.cpus && !(r->o.cpus >> c & 1))
			continue;
		s[n].r = r;
		s[n].cpu = r->o.cpus ? (int)c : -1;
		s[n].payload = xmalloc(CAP_FRAME_MAX);
		http_init(&s[n].conn, r->o.host, r->o.port);
		s[n].conn.cancel = &stop_flag;
		n++;
	}
	if (n == 1) {
		stream_main(&s[0]);
	} else {
		for (unsigned i = 0; i < n; i++)
			if (pthread_create(&s[i].thread, NULL, stream_main, &s[i])) {
				fprintf(stderr, "glass record: cannot start a thread\n");
				exit(1);
			}
		for (unsigned i = 0; i < n; i++)
			pthread_join(s[i].thread, NULL);
	}
	for (unsigned i = 0; i < n; i++) {
		status = s[i].status > status ? s[i].status : status;
		http_close(&s[i].conn);
		free(s[i].payload);
	}
	free(s);
	return status;
}

static void summary(struct recorder *r, const struct rawhdr *end)
{
	uint64_t events[RAWHDR_MAX_CPUS] = { 0 }, frames = 0, bytes = 0;
	bool counted = !captext_count(r->o.out, events);

	for (unsigned c = 0; c < r->hdr.cpus; c++) {
		frames += r->frames[c];
		bytes += r->bytes[c];
	}
	printf("%s: %llu frames, %llu bytes of slots, %llu bytes in the file, %.1f s, "
	       "%llu resent frames dropped, %llu retries\n", r->o.out, (unsigned long long)frames,
	       (unsigned long long)bytes, (unsigned long long)r->file_bytes,
	       now() - r->start, (unsigned long long)r->dups, (unsigned long long)r->retries);
	for (unsigned c = 0; c < r->hdr.cpus; c++) {
		const struct rawhdr_cpu *hc = &(end ? end : &r->hdr)->cpu[c];

		printf("cpu %u: %llu frames, ", c, (unsigned long long)r->frames[c]);
		if (counted)
			printf("%llu events, ", (unsigned long long)events[c]);
		printf("lost %llu, overrun %llu\n", (unsigned long long)hc->lost,
		       (unsigned long long)hc->overrun);
	}
}

static int parse_opts(struct rec_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'P' }, { "duration", required_argument, NULL, 'd' },
		{ "cpu", required_argument, NULL, 'c' }, { "quiet", no_argument, NULL, 'q' },
		{ "append", no_argument, NULL, 'a' }, { "until-off", no_argument, NULL, 'u' },
		{ "no-block", no_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	char *e;
	long v;
	int c;

	*o = (struct rec_opts){ .out = "glass.cap", .host = "127.0.0.1", .port = "9090" };
	while ((c = getopt_long(argc, argv, "o:qah", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': o->append = true; break;
		case 'u': o->until_off = true; break;
		case 'B': o->no_block = true; break;
		case 'o': o->out = optarg; break;
		case 'H': o->host = optarg; break;
		case 'P': o->port = optarg; break;
		case 'q': o->quiet = true; break;
		case 'd':
			o->duration = strtod(optarg, &e);
			if (*e || !(o->duration > 0) || o->duration > 1e7)
				return fprintf(stderr, "glass record: bad --duration '%s'\n", optarg), 2;
			break;
		case 'c':
			v = strtol(optarg, &e, 10);
			if (*e || v < 0 || v >= RAWHDR_MAX_CPUS)
				return fprintf(stderr, "glass record: bad --cpu '%s'\n", optarg), 2;
			o->cpus |= 1u << v;
			break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* --append: the capture's next seq of each CPU, and the file cut after its last whole
 * frame (a killed recorder may have left part of one, or a trailer). */
static struct capwrite *resume(struct recorder *r)
{
	struct capture *c = capture_open(r->o.out);
	struct cap_frame f;
	uint64_t frames = 0, keep;
	int got;

	if (!c)
		return NULL;
	if (capture_is_zstd(c) || capture_header(c)->cpus != r->hdr.cpus) {
		fprintf(stderr, "glass record: %s: %s\n", r->o.out, capture_is_zstd(c) ?
			"--append needs a plain (not zstd) capture" : "a capture of another guest");
		capture_close(c);
		return NULL;
	}
	while ((got = capture_next(c, &f)) > 0) {
		r->next[f.cpu] = f.seq + 1;
		frames++;
	}
	keep = capture_good_end(c);
	if (got < 0 && !capture_is_cut(c)) {
		capture_close(c);
		return NULL;	/* damaged before its end: not ours to cut */
	}
	capture_close(c);
	if (!r->o.quiet)
		fprintf(stderr, "glass record: %s: resuming after %llu frames\n", r->o.out,
			(unsigned long long)frames);
	return capwrite_append(r->o.out, keep);
}

static void catch_signals(double duration)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: recv stops */

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	if (duration > 0) {
		struct itimerval it = { .it_value = { (time_t)duration,
						      (suseconds_t)((duration - (time_t)duration) * 1e6) } };

		setitimer(ITIMER_REAL, &it, NULL);
	}
}

/* Ends a recording that did not start: frees what it holds, returns status. */
static int give_up(struct recorder *r, char *header_text, int status)
{
	if (r->flow_set)
		record_flow_restore(&r->conn, r->flow_was_on);
	free(header_text);
	rawhdr_free(&r->hdr);
	http_close(&r->conn);
	free(r);
	return status;
}

int glass_record(int argc, char **argv)
{
	struct recorder *r = xcalloc(1, sizeof(*r));
	struct grow g, g_end;
	struct rawhdr end;
	int status = parse_opts(&r->o, argc, argv);
	bool has_end;

	if (status)
		return free(r), status < 0 ? 0 : status;
	http_init(&r->conn, r->o.host, r->o.port);
	r->conn.cancel = &stop_flag;
	pthread_mutex_init(&r->lock, NULL);
	catch_signals(r->o.duration);
	r->start = now();
	/* Before the header: the header then shows the option in effect. */
	if (!r->o.no_block)
		r->flow_set = !record_flow_on(&r->conn, r->o.quiet, &r->flow_was_on);
	if (fetch_header(r, &g, &r->hdr, false))
		return give_up(r, g.p, 1);
	if (r->o.cpus >> r->hdr.cpus) {
		fprintf(stderr, "glass record: the guest has %u CPUs\n", r->hdr.cpus);
		return give_up(r, g.p, 2);
	}
	if (r->o.append && !access(r->o.out, F_OK))
		r->w = resume(r);
	else
		r->w = capwrite_open(r->o.out, g.p ? g.p : "", g.len);
	if (!r->w)
		return give_up(r, g.p, 1);
	free(g.p);
	http_close(&r->conn);
	status = drain_all(r);
	progress(r, true);
	if (!r->o.quiet && isatty(2))
		fputc('\n', stderr);
	/* The guest's counts at the end, as the trailer: without a guest, none. */
	stop_flag = 0;
	http_close(&r->conn);
	if (r->flow_set)
		record_flow_restore(&r->conn, r->flow_was_on);
	has_end = !fetch_header(r, &g_end, &end, true);
	r->file_bytes = capwrite_bytes(r->w);
	if (capwrite_close(r->w, has_end ? g_end.p : NULL, has_end ? g_end.len : 0))
		status = 1;
	r->w = NULL;
	if (!r->o.quiet)
		summary(r, has_end ? &end : NULL);
	if (has_end)
		rawhdr_free(&end);
	free(g_end.p);
	rawhdr_free(&r->hdr);
	pthread_mutex_destroy(&r->lock);
	free(r);
	return status;
}
