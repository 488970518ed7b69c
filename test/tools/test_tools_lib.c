/* Unit tests of the tools' building blocks: the line scanner, CSV splitting, number
 * formatting, the histogram's bucket layout and error bound, symtab and umap. */
#include <stdlib.h>

#include "test/unit/check.h"
#include "tools/lib/csv.h"
#include "tools/lib/fgline.h"
#include "tools/lib/numlist.h"
#include "tools/lib/output.h"
#include "tools/lib/symtab.h"
#include "tools/lib/tparse.h"
#include "tools/lib/umap.h"
#include "tools/runtime-breakdown/hist.h"

static struct fgl parse(const char *s)
{
	struct fgl l;

	fgl_parse(s, strlen(s), &l);
	return l;
}

static char *str(struct fgl_str s)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)s.n, s.p);
	return buf;
}

static void test_fgline(void)
{
	struct fgl l;

	TEST_CASE("fgline: leaf with duration");
	l = parse(" 0)   0.198 us    |          _raw_spin_lock_irqsave();");
	CHECK_EQ(l.kind, FGL_LEAF);
	CHECK_EQ(l.cpu, 0);
	CHECK_EQ(l.depth, 4);
	CHECK_EQ(l.dur_ns, 198);
	CHECK_STR(str(l.func), "_raw_spin_lock_irqsave");
	TEST_END();

	TEST_CASE("fgline: every overhead mark and width");
	CHECK_EQ(parse(" 3) # 1837.709 us |  }").dur_ns, 1837709);
	CHECK_EQ(parse(" 3) * 33998.59 us |  }").dur_ns, 33998590);
	CHECK_EQ(parse(" 1) @ 119760.2 us |  }").dur_ns, 119760200);
	CHECK_EQ(parse(" 2) $ 3594274 us  |  }").dur_ns, 3594274000LL);
	CHECK_EQ(parse(" 2) $ 123456789 us |  }").dur_ns, 123456789000LL);
	CHECK_EQ(parse(" 1)   1000131 us |      }").depth, 2);
	CHECK_EQ(parse("  21) + 13.341 us   |  }").cpu, 21);
	TEST_END();

	TEST_CASE("fgline: abstime, proc, tail");
	l = parse("2678112.003180 |   0)  cksum-26695   | ! 8145.268 us |  } /* ext3_readpages */");
	CHECK_EQ(l.kind, FGL_RETURN);
	CHECK_EQ(l.abs_ns, 2678112003180000LL);
	CHECK_EQ(l.tid, 26695);
	CHECK_STR(str(l.comm), "cksum");
	CHECK_STR(str(l.func), "ext3_readpages");
	CHECK_STR(str(parse(" 0)   1.757 us    |  } /* kmem_cache_free() */").func), "kmem_cache_free");
	CHECK_STR(str(parse(" 0)   1.0 us    |  } /* f = -22 */").func), "f");
	CHECK_EQ(parse(" 0)   1.0 us    |  }").func.n, 0);
	TEST_END();
}

static void test_fgline_kinds(void)
{
	struct fgl l;

	TEST_CASE("fgline: other kinds");
	CHECK_EQ(parse(" 0)   ==========> |").kind, FGL_IRQ);
	CHECK_EQ(parse(" 0)    myapp-42    |   <========== |").kind, FGL_IRQ);
	CHECK_EQ(parse(" 1)               |                /* I'm a comment! */").kind, FGL_COMMENT);
	CHECK_EQ(parse(" ------------------------------------------").kind, FGL_CTX_DASH);
	CHECK_EQ(parse("# tracer: function_graph").kind, FGL_TRACER);
	CHECK_EQ(parse("#").kind, FGL_HEADER);
	CHECK_EQ(parse("   ").kind, FGL_BLANK);
	l = parse(" 0) registe-27414  =>  vmstat-27419 ");
	CHECK_EQ(l.kind, FGL_CTX_SWITCH);
	CHECK_EQ(l.prev_tid, 27414);
	CHECK_EQ(l.next_tid, 27419);
	CHECK_STR(str(l.next_comm), "vmstat");
	l = parse("CPU:3 [LOST 120 EVENTS]");
	CHECK_EQ(l.kind, FGL_LOST);
	CHECK_EQ(l.cpu, 3);
	CHECK_EQ(l.lost, 120);
	CHECK_EQ(parse("CPU:3 [LOST EVENTS]").lost, -1);
	l = parse(" 1)   do_sys_open() {");
	CHECK_EQ(l.kind, FGL_ENTRY);
	CHECK_EQ(l.depth, 1);
	CHECK_EQ(l.dur_ns, -1);
	TEST_END();

	TEST_CASE("fgline: garbage is FGL_BAD with a reason");
	CHECK_EQ(parse("[...]").kind, FGL_BAD);
	CHECK_EQ(parse(" 0)   1.2.3 us    |  f();").kind, FGL_BAD);
	CHECK_EQ(parse(" 0)               |  f() junk").kind, FGL_BAD);
	CHECK_EQ(parse(" 0)               |  bad\tname();").kind, FGL_BAD);
	CHECK_EQ(parse(" 99999999) f();").kind, FGL_BAD);
	CHECK(parse("x").reason != NULL);
	TEST_END();
}

static void test_csv(void)
{
	struct csv_field f[8];
	char scratch[64];
	const char *line = "\"a,\"\"b\"\"\",1,,x";

	TEST_CASE("csv: quoted, empty and plain fields");
	CHECK_EQ(csv_split(line, strlen(line), f, 8, scratch), 4);
	CHECK_EQ(f[0].n, 5);
	CHECK(memcmp(f[0].p, "a,\"b\"", 5) == 0);
	CHECK_EQ(f[2].n, 0);
	CHECK_EQ(f[3].n, 1);
	CHECK_EQ(csv_split("", 0, f, 8, scratch), 1);
	CHECK_EQ(csv_split("\"open", 5, f, 8, scratch), -1);
	CHECK_EQ(csv_split("\"a\"b", 4, f, 8, scratch), -1);
	CHECK_EQ(csv_split("1,2,3", 5, f, 2, scratch), -1);
	TEST_END();
}

static void test_numbers(void)
{
	struct output *o = output_open_mem();
	size_t len;
	int64_t ns;

	TEST_CASE("output: us with 3 decimals, integers, JSON strings");
	output_us(o, 0);
	output_char(o, ' ');
	output_us(o, 1234567);
	output_char(o, ' ');
	output_us(o, -5);
	output_char(o, ' ');
	output_i64(o, -9223372036854775807LL - 1);
	output_char(o, ' ');
	output_json_str(o, "a\"\\\n\x80", 5);
	char *s = output_take(o, &len);
	CHECK_STR(s, "0.000 1234.567 -0.005 -9223372036854775808 \"a\\\"\\\\\\u000a\\u0080\"");
	free(s);
	TEST_END();

	TEST_CASE("parse_us_ns");
	CHECK(parse_us_ns("1.5", &ns) == 0 && ns == 1500);
	CHECK(parse_us_ns("0.0019", &ns) == 0 && ns == 1);
	CHECK(parse_us_ns("42", &ns) == 0 && ns == 42000);
	CHECK_EQ(parse_us_ns("", &ns), -1);
	CHECK_EQ(parse_us_ns("-1", &ns), -1);
	CHECK_EQ(parse_us_ns("1e3", &ns), -1);
	TEST_END();
}

static void test_hist(void)
{
	struct hist h = { 0 };
	uint64_t lo, hi, prev_hi = 0;
	int gaps = 0;

	TEST_CASE("hist: buckets tile the line, exact below 256 ns");
	for (uint32_t i = 0; i < 7000; i++) {
		hist_bucket(i, &lo, &hi);
		gaps += lo != prev_hi || hist_index(lo) != i || hist_index(hi - 1) != i;
		prev_hi = hi;
	}
	CHECK_EQ(gaps, 0);
	hist_bucket(255, &lo, &hi);
	CHECK_EQ(hi - lo, 1);
	TEST_END();

	TEST_CASE("hist: nearest-rank percentiles within 0.4%");
	srand(7);
	int64_t v[5001];
	for (int i = 0; i < 5001; i++) {
		v[i] = (int64_t)rand() % 50000000;
		hist_add(&h, v[i]);
	}
	for (int i = 1; i < 5001; i++)	/* insertion sort: exact percentiles to compare */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	unsigned pcts[] = { 1, 50, 95, 99, 100 };
	for (int k = 0; k < 5; k++) {
		int64_t exact = v[(pcts[k] * 5001 + 99) / 100 - 1];
		int64_t got = hist_percentile(&h, pcts[k]);
		CHECK(llabs(got - exact) * 1000 <= exact * 4 + 1000);
	}
	CHECK_EQ(hist_percentile(&h, 100), v[5000]);
	hist_free(&h);
	hist_add(&h, 3);
	hist_add(&h, 300000);
	CHECK_EQ(hist_percentile(&h, 50), 3);
	CHECK(h.n < 2300);	/* only the range in use is allocated */
	hist_free(&h);
	TEST_END();
}

static void test_tables(void)
{
	struct symtab *st = symtab_new();
	struct umap m;
	char name[32];
	int bad = 0;

	TEST_CASE("symtab and umap: ids stable across growth");
	umap_init(&m);
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "fn_%d", i);
		bad += symtab_intern(st, name, strlen(name)) != (uint32_t)i + 1;
		umap_put(&m, (uint64_t)i * 7919, (uint32_t)i + 1);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "fn_%d", i);
		bad += symtab_find(st, name, strlen(name)) != (uint32_t)i + 1;
		bad += strcmp(symtab_name(st, (uint32_t)i + 1), name) != 0;
		bad += umap_get(&m, (uint64_t)i * 7919) != (uint32_t)i + 1;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(symtab_find(st, "nope", 4), 0);
	CHECK_EQ(umap_get(&m, 1), 0);
	CHECK_EQ(symtab_count(st), 5000);
	umap_free(&m);
	symtab_free(st);
	TEST_END();
}

static struct tp_switch got_sw[4];
static int n_sw;

static void on_switch(void *ctx, const struct tp_switch *s)
{
	(void)ctx;
	if (n_sw < 4)
		got_sw[n_sw] = *s;
	n_sw++;
}

/* glass's sched_switch event in function tracer text (docs/events.md): a switch at its
 * own time with Linux's state letter, not a marker; glass's reason= field is ignored. */
static void test_fn_sched_switch(void)
{
	static const char *const lines[] = {
		"# tracer: function",
		"#",
		"          worker-3       [001] .....     5.000000: sched_switch: prev_comm=worker "
		"prev_pid=3 prev_prio=120 prev_state=D ==> next_comm=webg next_pid=7 "
		"next_prio=120 reason=mutex",
		"            webg-7       [001] .....     5.001000: sched_switch: prev_comm=webg "
		"prev_pid=7 prev_prio=120 prev_state=R+ ==> next_comm=<idle> next_pid=0 "
		"next_prio=120 reason=preempt",
		"            webg-7       [001] .....     5.002000: span_begin: GET / status=200",
	};
	struct symtab *st = symtab_new();
	struct tparse_cfg cfg = { .sw = on_switch, .quiet = true };
	struct tparse *tp = tparse_new(st, &cfg);

	TEST_CASE("tparse: function-format sched_switch events are switches with their state");
	tparse_begin(tp, "sw");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		tparse_line(tp, lines[i], strlen(lines[i]));
	tparse_end(tp);
	CHECK_EQ(n_sw, 2);
	CHECK(got_sw[0].event && got_sw[0].cpu == 1 && got_sw[0].prev_tid == 3 &&
	      got_sw[0].next_tid == 7 && got_sw[0].ts_ns == 5000000000 &&
	      got_sw[0].prev_state == 'D');
	CHECK(got_sw[1].prev_tid == 7 && got_sw[1].next_tid == 0 &&
	      got_sw[1].ts_ns == 5001000000 && got_sw[1].prev_state == 'R');
	CHECK_EQ(tparse_stats(tp)->bad_lines, 0);
	tparse_free(tp);
	symtab_free(st);
	TEST_END();
}

int main(void)
{
	test_fn_sched_switch();
	test_fgline();
	test_fgline_kinds();
	test_csv();
	test_numbers();
	test_hist();
	test_tables();
	return test_exit_status();
}
