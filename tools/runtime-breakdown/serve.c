/* --serve: a local interactive report over libmicrohttpd, bound to 127.0.0.1 only.
 *   GET /             the page (report.html, built in)
 *   GET /api/meta     functions, threads, CPUs and time range of the input
 *   GET /api/report   the table and chart data for a selection:
 *                     ?exclude=G1,G2&include=G&tid=1,2&cpu=0&from=US&to=US&sort=self
 * Every report request re-reads the input files, so memory stays bounded by distinct
 * functions whatever the trace size (at the price of a re-parse per click). Requests are
 * served one at a time by libmicrohttpd's internal thread; the main thread waits for
 * SIGINT/SIGTERM and then stops the daemon. */
#include "tools/runtime-breakdown/serve.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/runtime-breakdown/serve_json.h"

extern const char report_html[];

struct server {
	struct rb_opts *o;
	char *meta;		/* built once at start */
	size_t meta_len;
};

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned code, const char *type,
				 char *body, size_t len, bool owned)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
		owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static const char *arg(struct MHD_Connection *c, const char *key)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);

	return v && *v ? v : NULL;
}

/* Splits a comma-separated query value into globs. */
static void add_globs(struct globset *g, const char *list)
{
	char *copy = list ? strdup(list) : NULL, *save = NULL;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
		globset_add(g, t);
	free(copy);
}

/* The selection of a request; returns -1 on a malformed parameter. */
static int request_select(struct MHD_Connection *c, struct select *s, enum agg_sort *sort)
{
	static const char *const sorts[] = { "self", "total", "calls", "mean" };
	const char *v;

	memset(s, 0, sizeof(*s));
	s->from_ns = s->to_ns = -1;
	add_globs(&s->exclude, arg(c, "exclude"));
	add_globs(&s->include, arg(c, "include"));
	if ((v = arg(c, "tid")) && numlist_parse(&s->tids, v))
		return -1;
	if ((v = arg(c, "cpu")) && numlist_parse(&s->cpus, v))
		return -1;
	if ((v = arg(c, "from")) && parse_us_ns(v, &s->from_ns))
		return -1;
	if ((v = arg(c, "to")) && parse_us_ns(v, &s->to_ns))
		return -1;
	*sort = SORT_SELF;
	if ((v = arg(c, "sort")))
		for (int i = 0; i < 4; i++)
			if (!strcmp(v, sorts[i]))
				*sort = (enum agg_sort)i;
	return 0;
}

static enum MHD_Result report(struct server *sv, struct MHD_Connection *c)
{
	struct select sel;
	enum agg_sort sort;
	size_t len;
	char *body;

	if (request_select(c, &sel, &sort)) {
		select_free(&sel);
		static char msg[] = "{\"error\":\"bad parameter\"}";
		return send_text(c, MHD_HTTP_BAD_REQUEST, "application/json", msg,
				 strlen(msg), false);
	}
	body = json_report(sv->o, &sel, sort, &len);
	select_free(&sel);
	return send_text(c, MHD_HTTP_OK, "application/json", body, len, true);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *data_len, void **state)
{
	struct server *sv = cls;
	static char not_found[] = "not found\n", bad_method[] = "only GET\n";

	(void)version, (void)data, (void)data_len, (void)state;
	if (strcmp(method, "GET"))
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", bad_method,
				 strlen(bad_method), false);
	if (!strcmp(url, "/"))
		return send_text(c, MHD_HTTP_OK, "text/html; charset=utf-8", (char *)report_html,
				 strlen(report_html), false);
	if (!strcmp(url, "/api/meta"))
		return send_text(c, MHD_HTTP_OK, "application/json", sv->meta, sv->meta_len,
				 false);
	if (!strcmp(url, "/api/report"))
		return report(sv, c);
	return send_text(c, MHD_HTTP_NOT_FOUND, "text/plain", not_found, strlen(not_found),
			 false);
}

static struct MHD_Daemon *start(struct server *sv, unsigned port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
				(uint16_t)port, NULL, NULL, handle, sv,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
}

int serve_run(struct rb_opts *o)
{
	struct server sv = { .o = o };
	sigset_t set;
	int sig;

	sv.meta = json_meta(o, &sv.meta_len);
	if (!sv.meta)
		return 1;
	/* block the signals before the daemon's thread exists, so it inherits the mask and
	 * only sigwait() below sees them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	struct MHD_Daemon *d = start(&sv, o->port);
	if (!d) {
		fprintf(stderr, "runtime-breakdown: cannot listen on 127.0.0.1:%u\n", o->port);
		free(sv.meta);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("runtime-breakdown: serving http://127.0.0.1:%u/ (Ctrl-C to stop)\n",
	       info ? info->port : o->port);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	printf("runtime-breakdown: stopped\n");
	free(sv.meta);
	return 0;
}
