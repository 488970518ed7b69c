/* Request routing: /ftrace/... to ftrace_routes.c, a small index, and /net/stats. */
#include <string.h>
#include "httpd/internal.h"
#include "net/socket.h"

static bool get_only(struct http_conn *c)
{
	if (c->req.method == HTTP_GET || c->req.method == HTTP_HEAD)
		return true;
	resp_error(&c->resp, 405, "this resource is read-only", "Allow: GET, HEAD\r\n");
	return false;
}

static void serve_index(struct http_conn *c)
{
	if (!get_only(c))
		return;
	resp_write(&c->resp, "glass: /ftrace/ (tracefs files), /net/stats\n", 44);
	resp_end(&c->resp);
}

static void serve_net_stats(struct http_conn *c)
{
	struct net_sock_stats s;
	uint64_t refused;
	unsigned busy;

	if (!get_only(c))
		return;
	net_sock_stats(&s);
	httpd_slot_stats(&busy, &refused);
	resp_printf(&c->resp, "accepted %llu\nrefused %llu\nsockets %llu\ntcp_pcbs %llu\n",
		    (unsigned long long)s.accepted, (unsigned long long)s.refused,
		    (unsigned long long)s.alive_socks, (unsigned long long)s.alive_pcbs);
	resp_printf(&c->resp, "pcb_alloc_failed %llu\ntcp_dropped %llu\narp_dropped %llu\n"
		    "link_dropped %llu\npool_empty %llu\n", (unsigned long long)s.pcb_alloc_failed,
		    (unsigned long long)s.tcp_dropped, (unsigned long long)s.arp_dropped,
		    (unsigned long long)s.link_dropped, (unsigned long long)s.pool_empty);
	resp_printf(&c->resp, "timewait_reopened %llu\nhttpd_busy %u\nhttpd_refused %llu\n",
		    (unsigned long long)s.timewait_reopened, busy, (unsigned long long)refused);
	resp_end(&c->resp);
}

void route_request(struct http_conn *c)
{
	const char *p = c->req.path;

	if (strcmp(p, "/ftrace") == 0 || strcmp(p, "/ftrace/") == 0)
		ftrace_serve(c, "");
	else if (strncmp(p, "/ftrace/", 8) == 0)
		ftrace_serve(c, p + 8);
	else if (strcmp(p, "/") == 0)
		serve_index(c);
	else if (strcmp(p, "/net/stats") == 0)
		serve_net_stats(c);
	else
		resp_error(&c->resp, 404, "no such resource", NULL);
}
