/* The profile events over the real ring, codec, printer and tracefs (host): each event's
 * printed line with its stack resolved (from a `stack` event the printer saw), a malformed
 * payload, the profiler's tracefs files (profile_frequency and alloc_every ranges and the
 * timer they drive, profile_stats, stack_table) and raw_header's profile lines and stack
 * table against the stack ids given. */
#include <errno.h>
#include <string.h>
#include "test/unit/check.h"
#include "test/unit/trace_host_env.h"
#include "test/unit/tracefs_fixture.h"
#include "trace/config.h"
#include "trace/events.h"
#include "trace/profile.h"
#include "trace/profile_format.h"
#include "trace/ring.h"
#include "trace/stackid.h"
#include "trace/tracefs.h"
#include "trace/trace.h"

extern unsigned trace_host_profile_hz;

static const char nop_columns[] = "#              | |         |   |||||     |         |\n";

/* The trace's lines after the nop header. */
static const char *lines(void)
{
	const char *t = cat("trace"), *p = strstr(t, nop_columns);

	return p ? p + sizeof(nop_columns) - 1 : t;
}

static void define(uint32_t id, const uint32_t *pcs, unsigned n)
{
	struct ev_stack d = { .id = id, .depth = (uint8_t)n };

	for (unsigned i = 0; i < n; i++)
		d.pcs[i] = pcs[i];
	CHECK(trace_event_write(EV_STACK, &d, EV_STACK_SIZE(n)));
}

static void test_printers(void)
{
	const uint32_t fib[] = { 0x1100, 0x1100, 0x1000 }, blk[] = { 0x1300, 0x1000 };
	struct ev_profile_sample s = { .stack_id = 1, .hz = 99 };
	struct ev_offcpu_stack o = { .stack_id = 2, .state = TS_WAITQ, .away_ns = 5000000 };
	struct ev_alloc a = { .ptr = 0x88d3000, .bytes = 4096, .stack_id = 2, .every = 4, .kind = EV_ALLOC_PAGE };
	struct ev_free f = { .ptr = 0x88d3000, .bytes = 4096, .kind = EV_ALLOC_PAGE };
	struct ev_net_io n = { .stack_id = 1, .bytes = 1448, .laddr = { 10, 0, 2, 15 },
			       .raddr = { 10, 0, 2, 2 }, .lport = 9090, .rport = 51234, .dir = 1,
			       .proto = 6 };

	TEST_CASE("profile events: each one's line, stacks resolved, innermost first");
	CHECK_EQ(echo("current_tracer", "nop"), 3);
	CHECK_EQ(echo("set_event", "profile:* kmem:* net:*"), 22);
	ring_clear();
	trace_host_set_cpu(1);
	trace_host_set_tid(3);
	trace_host_set_comm(3, "worker");
	now_tsc = 2 * HZ;
	define(1, fib, 3);
	define(2, blk, 2);
	CHECK(trace_event_write(EV_PROFILE_SAMPLE, &s, sizeof(s)));
	s.stack_id = 9; /* never defined */
	s.flags = STACK_TRUNCATED;
	CHECK(trace_event_write(EV_PROFILE_SAMPLE, &s, sizeof(s)));
	CHECK(trace_event_write(EV_OFFCPU_STACK, &o, sizeof(o)));
	CHECK(trace_event_write(EV_ALLOC, &a, sizeof(a)));
	CHECK(trace_event_write(EV_FREE, &f, sizeof(f)));
	CHECK(trace_event_write(EV_NET_IO, &n, sizeof(n)));
	CHECK(trace_event_write(EV_PROFILE_SAMPLE, &s, 3));
	CHECK_STR(lines(),
		"          worker-3       [001] .....     2.000000: stack: id=1 depth=3: vfs_read <- vfs_read <- sys_read\n"
		"          worker-3       [001] .....     2.000000: stack: id=2 depth=2: tcp_input <- sys_read\n"
		"          worker-3       [001] .....     2.000000: profile_sample: hz=99 stack=1: vfs_read <- vfs_read <- sys_read\n"
		"          worker-3       [001] .....     2.000000: profile_sample: hz=99 flags=1 stack=9: [unknown]\n"
		"          worker-3       [001] .....     2.000000: offcpu_stack: ns=5000000 state=S wait=waitq stack=2: tcp_input <- sys_read\n"
		"          worker-3       [001] .....     2.000000: alloc: kind=page bytes=4096 ptr=0x88d3000 every=4 stack=2: tcp_input <- sys_read\n"
		"          worker-3       [001] .....     2.000000: free: kind=page bytes=4096 ptr=0x88d3000\n"
		"          worker-3       [001] .....     2.000000: net_io: conn=tcp:10.0.2.15:9090-10.0.2.2:51234 dir=tx bytes=1448 stack=1: vfs_read <- vfs_read <- sys_read\n"
		"          worker-3       [001] .....     2.000000: profile_sample: malformed len=3\n");
	CHECK_EQ(echo("set_event", ""), 0);
	TEST_END();
}

static void test_files(void)
{
	const uint32_t a[] = { 0x1000 }, b[] = { 0x1100, 0x1000 };
	char why[128];
	bool is_new;
	const char *hdr;

	TEST_CASE("profile files: profile_frequency drives the timer, alloc_every, ranges");
	CHECK_STR(cat("profile_frequency"), "99\n");
	CHECK_EQ(echo_mode("profile_frequency", "0", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "profile_frequency: 1 to 20000 (Hz)");
	CHECK_EQ(echo_mode("profile_frequency", "20001", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_EQ(echo("profile_frequency", "10000"), 5);
	CHECK_STR(cat("profile_frequency"), "10000\n");
	CHECK_EQ(trace_host_profile_hz, 0); /* profile_sample is off: no timer */
	CHECK_EQ(echo("events/profile/profile_sample/enable", "1"), 1);
	trace_profile_tick();
	CHECK_EQ(trace_host_profile_hz, 10000);
	CHECK_EQ(echo("profile_frequency", "500"), 3);
	CHECK_EQ(trace_host_profile_hz, 500);
	CHECK_EQ(echo("events/profile/profile_sample/enable", "0"), 1);
	trace_profile_tick();
	CHECK_EQ(trace_host_profile_hz, 0);
	CHECK_STR(cat("alloc_every"), "1\n");
	CHECK_EQ(echo_mode("alloc_every", "65536", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_EQ(echo("alloc_every", "16"), 2);
	CHECK_STR(cat("alloc_every"), "16\n");
	TEST_END();

	TEST_CASE("profile files: profile_stats, stack_table and raw_header list the table");
	stackid_reset();
	CHECK_STR(cat("stack_table"), "");
	CHECK_EQ(stackid_get(a, 1, &is_new), 1);
	CHECK_EQ(stackid_get(b, 2, &is_new), 2);
	CHECK_STR(cat("stack_table"), "1 1 1000\n2 2 1100 1000\n");
	CHECK_STR(cat("profile_stats"), "cpu 0 samples 0 lost 0\ncpu 1 samples 0 lost 0\n"
					"stacks 2 full 0\n");
	hdr = cat("raw_header");
	CHECK(strstr(hdr, "\nprofile_hz 500\nprofile_cpu 0 samples 0 lost 0\n"
			  "profile_cpu 1 samples 0 lost 0\nstacks 2\n1 1 1000\n2 2 1100 1000\n") != NULL);
	CHECK(!strcmp(hdr + strlen(hdr) - 12, "2 2 1100 1000\n" + 2));
	TEST_END();
}

int main(void)
{
	if (fixture_init())
		return 1;
	test_printers();
	test_files();
	return test_exit_status();
}
