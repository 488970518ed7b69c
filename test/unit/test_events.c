/* Trace events (trace/events.c, trace/tracefs_events.c, trace/out_event.c) over the real
 * ring, codec, printer and tracefs: the control files' text and errors, what an enabled
 * or disabled event records, each event's printed line in both tracers, and the W_EVENT
 * slot form. */
#include <errno.h>
#include <string.h>
#include "test/unit/check.h"
#include "test/unit/trace_host_env.h"
#include "test/unit/tracefs_fixture.h"
#include "trace/codec.h"
#include "trace/config.h"
#include "trace/events.h"
#include "trace/ring.h"
#include "trace/tracefs.h"
#include "trace/trace.h"
#include "trace/env.h"

static const char graph_header[] =
	"# tracer: function_graph\n"
	"#\n"
	"# CPU  DURATION                  FUNCTION CALLS\n"
	"# |     |   |                     |   |   |   |\n";

static const char *after_graph_header(void)
{
	const char *t = cat("trace");

	return !strncmp(t, graph_header, sizeof(graph_header) - 1) ? t + sizeof(graph_header) - 1
								   : t;
}

static void test_control_files(void)
{
	char why[128];

	TEST_CASE("events: available_events, set_event and events/*/enable agree");
	CHECK(strstr(cat("available_events"), "sched:sched_wakeup\ntask:task_newtask\n") != NULL);
	CHECK_STR(cat("set_event"), "");
	CHECK_STR(cat("events/enable"), "0\n");
	CHECK_EQ(echo("set_event", "sched:sched_wakeup irq:*"), 24);
	CHECK_STR(cat("set_event"),
		  "sched:sched_wakeup\nirq:irq_handler_entry\nirq:irq_handler_exit\n");
	CHECK_STR(cat("events/sched/sched_wakeup/enable"), "1\n");
	CHECK_STR(cat("events/sched/enable"), "X\n"); /* sched_process_exit is off */
	CHECK_STR(cat("events/irq/enable"), "1\n");
	CHECK_STR(cat("events/enable"), "X\n");
	CHECK_STR(cat("events/irq/irq_handler_exit/id"), "6\n");
	CHECK_EQ(echo_append("set_event", "!irq_handler_exit"), 17);
	CHECK_STR(cat("events/irq/enable"), "X\n");
	/* A bad word changes nothing, and says why. */
	CHECK_EQ(echo_mode("set_event", "task:* nosuch", TRACEFS_APPEND, why, sizeof(why)),
		 -EINVAL);
	CHECK_STR(why, "no such event");
	CHECK_STR(cat("events/task/enable"), "0\n");
	CHECK_EQ(echo("events/task/enable", "1"), 1);
	CHECK_STR(cat("set_event"), "sched:sched_wakeup\ntask:task_newtask\ntask:task_rename\n"
				    "irq:irq_handler_entry\n");
	CHECK_EQ(echo_mode("events/task/enable", "2", TRACEFS_WRITE, why, sizeof(why)), -EINVAL);
	CHECK_STR(why, "write 0 or 1");
	CHECK_EQ(echo("events/enable", "0"), 1);
	CHECK_STR(cat("set_event"), "");
	/* Paths that name no event, or no file there. */
	struct tracefs_file *f;
	CHECK_EQ(tracefs_open("events/nosuch/enable", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("events/sched/nosuch/enable", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("events/sched/id", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("events/*/enable", TRACEFS_READ, &f), -ENOENT);
	CHECK_EQ(tracefs_open("events/sched/sched_wakeup/enable/x", TRACEFS_READ, &f), -ENOENT);
	/* `echo > set_event` disables all. */
	CHECK_EQ(echo("events/enable", "1"), 1);
	CHECK_STR(cat("events/enable"), "1\n");
	CHECK_EQ(echo("set_event", ""), 0);
	CHECK_STR(cat("events/enable"), "0\n");
	TEST_END();
}

static void test_files_listed(void)
{
	const char *const *list = tracefs_files();
	size_t n = 0, events = 0;
	bool all = false, group = false, one = false, id = false;

	TEST_CASE("events: the directory listing names every enable and id file");
	for (; list[n]; n++) {
		if (strncmp(list[n], "events/", 7))
			continue;
		events++;
		all |= !strcmp(list[n], "events/enable");
		group |= !strcmp(list[n], "events/irq/enable");
		one |= !strcmp(list[n], "events/app/span_begin/enable");
		id |= !strcmp(list[n], "events/net/net_io/id");
	}
	CHECK(all && group && one && id);
	CHECK_EQ(events, 1 + 7 + 17 * 2); /* 7 groups, 17 events */
	TEST_END();
}

static void test_recording(void)
{
	struct ev_sched_wakeup w = { .pid = 7, .target_cpu = 1 };
	struct ev_irq_exit x = { .vector = 32, .handled = 1 };

	TEST_CASE("events: recorded only when enabled and tracing is on, whatever the tracer");
	CHECK_EQ(echo("current_tracer", "nop"), 3);
	ring_clear();
	trace_host_set_cpu(0);
	trace_host_set_tid(3);
	trace_host_set_comm(3, "worker");
	trace_host_set_comm(7, "webg-conn");
	now_tsc = 4 * HZ;
	CHECK(!trace_event_write(EV_SCHED_WAKEUP, &w, sizeof(w))); /* disabled */
	CHECK_EQ(echo("set_event", "sched_wakeup irq_handler_exit"), 29);
	CHECK(trace_event_write(EV_SCHED_WAKEUP, &w, sizeof(w)));
	CHECK(!trace_event_write(EV_IRQ_ENTRY, "\x20timer", 6)); /* not enabled */
	now_tsc = 4 * HZ + HZ / 1000;
	CHECK(trace_event_write(EV_IRQ_EXIT, &x, sizeof(x)));
	CHECK_EQ(echo("tracing_on", "0"), 1);
	CHECK(!trace_event_write(EV_SCHED_WAKEUP, &w, sizeof(w)));
	CHECK_EQ(echo("tracing_on", "1"), 1);
	/* With the nop tracer (as after boot here), events print as Linux prints them. */
	CHECK(strstr(cat("trace"),
		     "# entries-in-buffer/entries-written: 2/2   #P:2\n") != NULL);
	CHECK(strstr(cat("trace"),
		     "#              | |         |   |||||     |         |\n"
		     "          worker-3       [000] .....     4.000000: sched_wakeup: "
		     "comm=webg-conn pid=7 prio=120 target_cpu=001\n"
		     "          worker-3       [000] .....     4.001000: irq_handler_exit: "
		     "irq=32 ret=handled\n") != NULL);
	/* In function_graph, as comments (changing the tracer clears the buffer). */
	CHECK_EQ(echo("current_tracer", "function_graph"), 14);
	CHECK(trace_event_write(EV_SCHED_WAKEUP, &w, sizeof(w)));
	CHECK(trace_event_write(EV_IRQ_EXIT, &x, sizeof(x)));
	CHECK_STR(after_graph_header(),
		  " 0)               |  /* sched_wakeup: comm=webg-conn pid=7 prio=120 target_cpu=001 */\n"
		  " 0)               |  /* irq_handler_exit: irq=32 ret=handled */\n");
	CHECK_EQ(echo("current_tracer", "function_graph"), 14);
	CHECK_EQ(echo("set_event", ""), 0);
	TEST_END();
}

/* Every event's line, and a payload too short for its struct. */
static void test_printers(void)
{
	static const struct {
		enum trace_event_id id;
		const char *payload;
		unsigned len;
		const char *line;
	} cases[] = {
		{ EV_THREAD_CREATE, "\x07\0\0\0\x00\x11\0\0webg-conn", 17,
		  "task_newtask: pid=7 comm=webg-conn entry=vfs_read" },
		{ EV_THREAD_RENAME, "\x07\0httpd", 7, "task_rename: pid=7 newcomm=httpd" },
		{ EV_THREAD_EXIT, "\x07\0\0\0\xfe\xff\xff\xff", 8,
		  "sched_process_exit: comm=webg-conn pid=7 prio=120 status=-2" },
		{ EV_IRQ_ENTRY, "\x21virtio-net", 11, "irq_handler_entry: irq=33 name=virtio-net" },
		{ EV_SPAN_BEGIN, "GET /x status=200", 17, "span_begin: GET /x status=200" },
		{ EV_COUNTER, "\x05\0\0\0\0\0\0\0conns", 13, "counter: conns=5" },
		{ EV_SCHED_WAKEUP, "\x07", 1, "sched_wakeup: malformed len=1" },
		{ EV_PROFILE_SAMPLE, "abc", 3, "profile_sample: malformed len=3" },
	};

	TEST_CASE("events: each event's fields as text, a short payload as malformed");
	CHECK_EQ(echo("events/enable", "1"), 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[256];

		ring_clear();
		CHECK(trace_event_write(cases[i].id, cases[i].payload, cases[i].len));
		snprintf(want, sizeof(want), " 0)               |  /* %s */\n", cases[i].line);
		CHECK_STR(after_graph_header(), want);
	}
	CHECK_EQ(echo("events/enable", "0"), 1);
	TEST_END();
}

/* Switch records: printed as sched_switch only while that event is enabled (with the
 * nop tracer, any event records them), with Linux's letter and glass's state name; the
 * same record without the event prints nothing in either tracer. */
static void test_switch(void)
{
	TEST_CASE("events: sched_switch prints switch records with prev_state letters");
	CHECK_EQ(echo("current_tracer", "nop"), 3);
	ring_clear();
	trace_host_set_comm(3, "worker");
	trace_host_set_comm(7, "webg-conn");
	trace_host_set_tid(3);
	now_tsc = 5 * HZ;
	trace_sched_switch(trace_env_task(), 3, trace_env_task(), 7, TS_MUTEX);
	CHECK(strstr(cat("trace"), "entries-in-buffer/entries-written: 0/0") != NULL);
	CHECK_EQ(echo("set_event", "sched_switch"), 12);
	trace_host_set_tid(3);
	trace_sched_switch(trace_env_task(), 3, trace_env_task(), 7, TS_MUTEX);
	trace_host_set_tid(7);
	now_tsc = 5 * HZ + HZ / 1000;
	trace_sched_switch(trace_env_task(), 7, trace_env_task(), 3, TS_PREEMPTED);
	CHECK(strstr(cat("trace"),
		     "          worker-3       [000] .....     5.000000: sched_switch: "
		     "prev_comm=worker prev_pid=3 prev_prio=120 prev_state=D ==> "
		     "next_comm=webg-conn next_pid=7 next_prio=120 reason=mutex\n"
		     "       webg-conn-7       [000] .....     5.001000: sched_switch: "
		     "prev_comm=webg-conn prev_pid=7 prev_prio=120 prev_state=R+ ==> "
		     "next_comm=worker next_pid=3 next_prio=120 reason=preempt\n") != NULL);
	/* the two lines are counted: the switch without the event before them is not */
	CHECK(strstr(cat("trace"), "entries-in-buffer/entries-written: 2/2") != NULL);
	CHECK_EQ(strlen(cat("trace_pipe")) > 0, 1);
	CHECK(strstr(cat("per_cpu/cpu0/stats"), "read events: 2\n") != NULL);
	CHECK_STR(trace_task_state_letter(TS_NET), "S");
	CHECK_STR(trace_task_state_name(TS_NET | TS_EVENT), "net");
	CHECK_STR(trace_task_state_letter(TS_DEAD), "X");
	CHECK_STR(trace_task_state_letter(0x55), "?");
	CHECK_EQ(echo("set_event", ""), 0);
	CHECK_EQ(echo("current_tracer", "function"), 8);
	trace_host_set_tid(3);
	trace_sched_switch(trace_env_task(), 3, trace_env_task(), 7, TS_SLEEP);
	CHECK(strstr(cat("trace"), "sched_switch") == NULL);
	CHECK_EQ(echo("current_tracer", "nop"), 3);
	TEST_END();
}

/* The slot form: the header's fields and the payload's bytes round-trip through the
 * decoder, whatever the length (0 bytes, a partial slot, whole slots). */
static uint64_t decode_now(void)
{
	return 1000;
}

static void test_codec(void)
{
	struct wire_env env = { .text_base = 0, .now = decode_now };

	TEST_CASE("events: W_EVENT encodes id, length and payload; decodes to REC_EVENT");
	for (unsigned len = 0; len <= 15; len++) {
		uint64_t slots[4] = { 0 };
		char payload[16], text[W_TEXT_MAX];
		struct wire_state st = { .ts = 100, .tid = 9 };
		struct trace_rec rec;
		uint64_t ts;
		struct wire_span sp;

		for (unsigned i = 0; i < len; i++)
			payload[i] = (char)(0xa0 + i);
		CHECK_EQ(wire_text_slots(len), 1 + (len + 6) / 7);
		slots[0] = wire_event(5, 21, len);
		for (unsigned k = 1; k < wire_text_slots(len); k++)
			slots[k] = wire_text_slot(payload, len, k - 1);
		sp = wire_decode(slots, 4, 0, &env, &st, &rec, &ts, text);
		CHECK_EQ(sp.kind, WIRE_EVENT);
		CHECK_EQ(sp.slots, wire_text_slots(len));
		CHECK_EQ(sp.text_len, len);
		CHECK_EQ(rec_type(&rec), REC_EVENT);
		CHECK_EQ(rec_event_id(&rec), 21);
		CHECK_EQ(rec_event_len(&rec), len);
		CHECK_EQ(rec_tid(&rec), 9);
		CHECK_EQ(ts, 105);
		CHECK(!memcmp(text, payload, len));
		for (unsigned k = 1; k < wire_text_slots(len); k++)
			CHECK_EQ(w_type(slots[k]), W_NONE); /* never passes for a header */
	}
	TEST_END();
}

int main(void)
{
	if (fixture_init())
		return 1;
	test_control_files();
	test_files_listed();
	test_recording();
	test_printers();
	test_switch();
	test_codec();
	return test_exit_status();
}
