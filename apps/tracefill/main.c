/* tracefill: fills every CPU's trace buffer for the trace download benchmark
 * (bench/trace-download.sh) and measures the two halves of a download separately.
 *   1. function_graph on, the compute workload on every CPU until each buffer refuses
 *      events (stop mode: full), then tracing off, so the trace stays the same bytes.
 *   2. Formatting alone: `trace` read through tracefs into a discarded buffer, as httpd
 *      reads it but without sending, FORMAT_ROUNDS times ("tracefill: format ..."); and
 *      the ring reader alone, every event peeked and passed over ("tracefill: ring ..."),
 *      so the printer's share is the difference.
 *   3. Sending alone: a plain HTTP/1.0 server on port 8080 answering any request with as
 *      many bytes as the last trace had, from one preformatted 64 KiB buffer, through the
 *      same net_send path httpd uses ("GET /" on APP_PORT).
 * "tracefill: ready" on the console tells the benchmark that the buffers are full. */
#include "kernel/api.h"
#include "apps/compute/work.h"
#include "net/socket.h"
#include "trace/ring.h"
#include "trace/tracefs.h"

#define FORMAT_ROUNDS 3
#define CHUNK (64 * 1024)
#define SEND_PORT 8080
#define SEND_NS (30ull * 1000000000)
#define FILL_MAX_NS (600ull * 1000000000) /* give up filling after this long */

static volatile bool done;
static char chunk[CHUNK];

/* The "dropped events:" count of per_cpu/cpuN/stats: > 0 once the buffer was full. */
static uint64_t cpu_dropped(unsigned cpu)
{
	struct tracefs_file *f;
	char path[48], buf[1024];
	const char *p;
	long n;

	snprintf(path, sizeof(path), "per_cpu/cpu%u/stats", cpu);
	if (tracefs_open(path, TRACEFS_READ, &f))
		return 0;
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	tracefs_close(f);
	buf[n > 0 ? n : 0] = 0;
	p = strstr(buf, "dropped events: ");
	if (!p)
		return 0;
	uint64_t v = 0;
	for (p += 16; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

static void worker(void *arg)
{
	uint64_t seed = (uint64_t)(uintptr_t)arg;

	while (!done)
		compute_work(seed++);
}

static bool all_full(unsigned n)
{
	for (unsigned c = 0; c < n; c++)
		if (!cpu_dropped(c))
			return false;
	return true;
}

static int fill(void)
{
	unsigned n = cpu_count();
	struct thread *t[PLAT_MAX_CPUS];
	uint64_t t0 = time_ns();

	if (trace_control("tracing_on", "0") || trace_control("current_tracer", "function_graph") ||
	    trace_control("trace", "") || trace_control("tracing_on", "1"))
		return -1;
	for (unsigned c = 0; c < n; c++)
		t[c] = thread_create("fill-work", worker, (void *)(uintptr_t)(c * 1000), (int)c);
	while (!all_full(n) && time_ns() - t0 < FILL_MAX_NS)
		sleep_ms(200);
	trace_control("tracing_on", "0");
	done = true;
	for (unsigned c = 0; c < n; c++)
		thread_join(t[c]);
	printf("tracefill: buffers full after %lu ms\n", (time_ns() - t0) / 1000000);
	return all_full(n) ? 0 : -1;
}

/* Reads `trace` to the end into a discarded buffer, as httpd's copy_out does. */
static uint64_t format_once(uint64_t *ns)
{
	static char sink[CHUNK];
	struct tracefs_file *f;
	uint64_t bytes = 0, t0 = time_ns();
	long n;

	if (tracefs_open("trace", TRACEFS_READ, &f))
		return 0;
	while ((n = tracefs_read(f, sink, sizeof(sink))) > 0)
		bytes += (uint64_t)n;
	tracefs_close(f);
	*ns = time_ns() - t0;
	return bytes;
}

/* Walks every CPU's buffer with a snapshot reader, as `trace` does, printing nothing. */
static uint64_t ring_once(uint64_t *ns)
{
	static struct ring_event ev;
	static struct ring_reader r;
	uint64_t events = 0, t0 = time_ns();

	for (unsigned c = 0; c < cpu_count(); c++) {
		if (ring_reader_open(&r, c, false))
			continue;
		for (; ring_reader_peek(&r, &ev); ring_reader_advance(&r))
			events++;
		ring_reader_close(&r);
	}
	*ns = time_ns() - t0;
	return events;
}

/* Answers one request with `bytes` bytes of the chunk. */
static void send_one(struct net_sock *s, uint64_t bytes)
{
	char head[128];
	int hn;

	if (net_recv(s, head, sizeof(head), SEND_NS) <= 0)
		return;
	hn = snprintf(head, sizeof(head),
		      "HTTP/1.0 200 OK\r\nContent-Length: %lu\r\nConnection: close\r\n\r\n", bytes);
	if (net_send(s, head, (size_t)hn, SEND_NS) < 0)
		return;
	while (bytes) {
		size_t k = bytes < CHUNK ? (size_t)bytes : CHUNK;

		if (net_send(s, chunk, k, SEND_NS) < 0)
			return;
		bytes -= k;
	}
}

int app_main(void)
{
	struct net_listener *l;
	uint64_t bytes = 0, ns = 0;

	if (fill()) {
		printf("tracefill: failed to fill the buffers\n");
		return 1;
	}
	for (int r = 0; r < FORMAT_ROUNDS; r++) {
		bytes = format_once(&ns);
		printf("tracefill: format %lu bytes %lu ns\n", bytes, ns);
	}
	for (int r = 0; r < FORMAT_ROUNDS; r++) {
		uint64_t events = ring_once(&ns);

		printf("tracefill: ring %lu events %lu ns\n", events, ns);
	}
	for (size_t i = 0; i < CHUNK; i++)
		chunk[i] = i % 64 == 63 ? '\n' : 'a' + (char)(i % 26);
	if (net_listen(SEND_PORT, 4, &l)) {
		printf("tracefill: failed to listen on %d\n", SEND_PORT);
		return 1;
	}
	printf("tracefill: ready\n");
	for (;;) {
		struct net_sock *s;

		if (net_accept(l, &s, NET_FOREVER))
			continue;
		send_one(s, bytes);
		net_close(s);
	}
}
