/* Function filters (trace/filter.c): Linux glob semantics and set_ftrace_filter-style
 * writes over a fake table of patch sites. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "test/unit/check.h"
#include "trace/filter.h"
#include "trace/env.h"
#include "trace/patch.h"

/* Deliberately not in address order, with one name twice (two static functions). */
static const struct {
	uint64_t ip;
	const char *name;
} sites[] = {
	{ 0x1300, "tcp_input" },  { 0x1000, "do_idle" },     { 0x1100, "sys_read" },
	{ 0x1200, "vfs_read" },   { 0x1400, "tcp_output" },  { 0x1500, "foo_bar" },
	{ 0x1600, "foobar" },     { 0x1700, "foo_x_bar" },   { 0x1800, "init" },
	{ 0x1900, "kfree_skb.part.0" }, { 0x1a00, "init" },  { 0x1b00, "a]b" },
};
#define NSITES (sizeof(sites) / sizeof(sites[0]))

size_t patch_sites(void)
{
	return NSITES;
}

uint64_t patch_site(size_t i)
{
	return i < NSITES ? sites[i].ip : 0;
}

int patch_apply(bool (*wanted)(uint64_t ip, void *arg), void *arg)
{
	(void)wanted;
	(void)arg;
	return 0;
}

const char *trace_env_symbol(uint64_t addr, uint64_t *offset)
{
	for (size_t i = 0; i < NSITES; i++) {
		if (sites[i].ip == addr) {
			*offset = 0;
			return sites[i].name;
		}
	}
	return NULL;
}

const char *trace_env_comm(unsigned tid)
{
	(void)tid;
	return "<...>";
}

static void test_glob(void)
{
	static const struct {
		const char *pat, *name;
		bool match;
	} cases[] = {
		{ "foo", "foo", true },        { "foo", "foobar", false },
		{ "foo", "fo", false },        { "foo*", "foobar", true },
		{ "foo*", "foo", true },       { "foo*", "xfoo", false },
		{ "*bar", "foobar", true },    { "*bar", "bar", true },
		{ "*bar", "barx", false },     { "*oob*", "foobar", true },
		{ "*oob*", "oob", true },      { "*oob*", "foxbar", false },
		{ "foo*bar", "foo_x_bar", true }, { "foo*bar", "foobar", true },
		{ "foo*bar", "foobarx", false }, { "a*b*c", "aXbYbZc", true },
		{ "a*b*c", "aXbYbZ", false },  { "*", "", true },
		{ "", "", true },              { "", "x", false },
		{ "f?o", "foo", true },        { "f?o", "fo", false },
		{ "[abc]x", "bx", true },      { "[abc]x", "dx", false },
		{ "[a-c]*", "cat", true },     { "[!a-c]*", "cat", false },
		{ "[!a-c]*", "dog", true },    { "[]]", "]", true },
		{ "a[]]b", "a]b", true },      { "[a-]", "-", true },
		{ "[ab", "a", false },         { "**x", "yx", true },
		{ "*.part.*", "kfree_skb.part.0", true },
	};

	TEST_CASE("glob: exact, foo*, *foo, *foo*, foo*bar, ?, classes");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (filter_glob_match(cases[i].pat, cases[i].name) != cases[i].match)
			CHECK_FAIL_("glob \"%s\" vs \"%s\" should be %d", cases[i].pat, cases[i].name,
				    cases[i].match);
	}
	TEST_END();
}

static struct filter_set a, b;

/* Writes text to `a` (as filter_parse + commit would) and returns the error. */
static int write_set(const char *text, bool truncate, const char **why)
{
	int err = filter_parse(&a, &b, text, strlen(text), truncate, why);

	if (!err)
		a = b;
	return err;
}

/* The selected names, space-separated, in site order. */
static const char *names(const struct filter_set *s)
{
	static char buf[512];

	buf[0] = 0;
	for (size_t i = filter_next(s, 0); i != (size_t)-1; i = filter_next(s, i + 1)) {
		if (buf[0])
			strcat(buf, " ");
		strcat(buf, sites[i].name);
	}
	return buf;
}

static void test_writes(void)
{
	const char *why = "";

	TEST_CASE("write: > replaces, >> appends, !func removes, empty > clears");
	memset(&a, 0, sizeof(a));
	CHECK_EQ(write_set("tcp_*", true, &why), 0);
	CHECK_STR(names(&a), "tcp_input tcp_output");
	CHECK_EQ(a.n, 2);
	CHECK_EQ(write_set("sys_read\n", false, &why), 0);
	CHECK_STR(names(&a), "tcp_input sys_read tcp_output");
	CHECK_EQ(write_set("!tcp_output", false, &why), 0);
	CHECK_STR(names(&a), "tcp_input sys_read");
	CHECK_EQ(write_set("vfs_read", true, &why), 0);
	CHECK_STR(names(&a), "vfs_read");
	CHECK_EQ(write_set("  \n", false, &why), 0);
	CHECK_STR(names(&a), "vfs_read");
	CHECK_EQ(write_set("\n", true, &why), 0);
	CHECK_EQ(a.n, 0);
	CHECK_STR(names(&a), "");
	TEST_END();

	TEST_CASE("write: several globs in one write, duplicate names both selected");
	CHECK_EQ(write_set("init *foo*bar", true, &why), 0);
	CHECK_STR(names(&a), "foo_bar foobar foo_x_bar init init");
	CHECK_EQ(a.n, 5);
	TEST_END();

	TEST_CASE("write: numbers select lines of available_filter_functions, from 1");
	CHECK_EQ(write_set("1 3", true, &why), 0);
	CHECK_STR(names(&a), "tcp_input sys_read");
	CHECK_EQ(write_set("!1 12", false, &why), 0);
	CHECK_STR(names(&a), "sys_read a]b");
	CHECK_EQ(write_set("0", false, &why), -EINVAL);
	CHECK_EQ(write_set("13", false, &why), -EINVAL);
	CHECK_STR(why, "no function matches: 13");
	TEST_END();

	TEST_CASE("write: `!` on a truncating write starts from the empty set");
	CHECK_EQ(write_set("!init", true, &why), 0);
	CHECK_EQ(a.n, 0);
	TEST_END();
}

static void test_errors(void)
{
	const char *why = "";

	TEST_CASE("errors: no match -> -EINVAL with reason, nothing changed");
	memset(&a, 0, sizeof(a));
	CHECK_EQ(write_set("do_idle", true, &why), 0);
	CHECK_EQ(write_set("sys_read nosuch*", false, &why), -EINVAL);
	CHECK_STR(why, "no function matches: nosuch*");
	CHECK_STR(names(&a), "do_idle");
	CHECK_EQ(write_set("!nosuch", false, &why), -EINVAL);
	CHECK_EQ(write_set("nosuch", true, &why), -EINVAL);
	CHECK_STR(names(&a), "do_idle");
	TEST_END();

	TEST_CASE("errors: commands, a lone !, an overlong name");
	char longname[FILTER_TOKEN_MAX + 2];

	CHECK_EQ(write_set("do_idle:traceoff", false, &why), -EINVAL);
	CHECK_STR(why, "filter commands (func:command) are not supported");
	CHECK_EQ(write_set("!", false, &why), -EINVAL);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK_EQ(write_set(longname, false, &why), -EINVAL);
	CHECK_STR(names(&a), "do_idle");
	TEST_END();
}

static void test_lookup(void)
{
	const char *why;

	TEST_CASE("lookup by address over unsorted sites; filter_wanted");
	filter_reset_index();
	memset(&filter_ftrace, 0, sizeof(filter_ftrace));
	memset(&filter_notrace, 0, sizeof(filter_notrace));
	CHECK(filter_wanted(0x1300, NULL)); /* empty filter: everything */
	CHECK(filter_wanted(0x1a00, NULL));
	CHECK_EQ(filter_parse(&filter_ftrace, &b, "tcp_* init", 10, true, &why), 0);
	filter_ftrace = b;
	CHECK(filter_has_ip(&filter_ftrace, 0x1300));
	CHECK(filter_has_ip(&filter_ftrace, 0x1a00));
	CHECK(!filter_has_ip(&filter_ftrace, 0x1000));
	CHECK(!filter_has_ip(&filter_ftrace, 0x1301)); /* not a site */
	CHECK(filter_wanted(0x1400, NULL));
	CHECK(!filter_wanted(0x1100, NULL));
	CHECK_EQ(filter_parse(&filter_notrace, &b, "tcp_output", 10, true, &why), 0);
	filter_notrace = b;
	CHECK(!filter_wanted(0x1400, NULL)); /* notrace wins */
	CHECK(filter_wanted(0x1300, NULL));
	memset(&filter_ftrace, 0, sizeof(filter_ftrace));
	CHECK(filter_wanted(0x1000, NULL));
	CHECK(!filter_wanted(0x1400, NULL));
	TEST_END();
}

int main(void)
{
	test_glob();
	test_writes();
	test_errors();
	test_lookup();
	return test_exit_status();
}
