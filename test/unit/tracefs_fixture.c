/* The test fixture of the tracefs tests (test/unit/test_tracefs.c, test_events.c): a fake
 * patch layer of five sites, a settable clock, and `cat`/`echo` over tracefs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "test/unit/tracefs_fixture.h"
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/patch.h"
#include "trace/ring.h"
#include "trace/tracefs.h"

/* ---- a fake patch layer: five sites; patch_apply() records what it was asked ---- */

const struct fixture_site sites[] = {
	{ 0x1000, "sys_read" }, { 0x1100, "vfs_read" }, { 0x1200, "do_idle" },
	{ 0x1300, "tcp_input" }, { 0x1400, "tcp_output" },
};

bool patched[NSITES];
unsigned patch_calls;

size_t patch_sites(void)
{
	return NSITES;
}

uint64_t patch_site(size_t i)
{
	return sites[i].ip;
}

bool return_hooks; /* what tracefs last asked of patch_set_return_hooks() */

#if CONFIG_FGRAPH_RETHOOK /* else patch.h's inline stub */
void patch_set_return_hooks(bool on)
{
	return_hooks = on;
}
#endif

int patch_apply(bool (*wanted)(uint64_t ip, void *arg), void *arg)
{
	for (size_t i = 0; i < NSITES; i++)
		patched[i] = wanted(sites[i].ip, arg);
	patch_calls++;
	return 0;
}


/* "10110": which sites patch_apply() last turned into calls. */
const char *patched_str(void)
{
	static char s[NSITES + 1];

	for (size_t i = 0; i < NSITES; i++)
		s[i] = patched[i] ? '1' : '0';
	return s;
}

uint64_t now_tsc = 3 * HZ;

uint64_t fake_clock(void)
{
	return now_tsc;
}

/* ---- helpers ---- */

/* The whole text of a file, read `chunk` bytes at a time; NULL if open failed. */
char *cat_chunked(const char *path, size_t chunk)
{
	static char buf[1 << 20]; /* a full RING_MIN_BYTES buffer's text */
	struct tracefs_file *f;
	size_t n = 0;
	long k;

	if (tracefs_open(path, TRACEFS_READ | TRACEFS_NONBLOCK * !strcmp(path, "trace_pipe"), &f))
		return NULL;
	while (n + chunk < sizeof(buf) && (k = tracefs_read(f, buf + n, chunk)) > 0)
		n += (size_t)k;
	buf[n] = 0;
	tracefs_close(f);
	return buf;
}

char *cat(const char *path)
{
	return cat_chunked(path, 4096);
}

/* `echo text > path` (append: >>); returns the write's result. */
long echo_mode(const char *path, const char *text, int mode, char *why, size_t why_len)
{
	struct tracefs_file *f;
	long r;
	int err = tracefs_open(path, mode, &f);

	if (err)
		return err;
	r = tracefs_write(f, text, strlen(text));
	if (why)
		snprintf(why, why_len, "%s", tracefs_error(f));
	tracefs_close(f);
	return r;
}

long echo(const char *path, const char *text)
{
	return echo_mode(path, text, TRACEFS_WRITE, NULL, 0);
}

long echo_append(const char *path, const char *text)
{
	return echo_mode(path, text, TRACEFS_APPEND, NULL, 0);
}

int fixture_init(void)
{
	trace_host_set_clock(fake_clock, HZ);
	trace_host_set_ncpus(2);
	for (size_t i = 0; i < NSITES; i++)
		trace_host_add_symbol(sites[i].ip, sites[i].name);
	if (ring_init(2, RING_MIN_BYTES)) {
		printf("not ok - ring_init failed\n");
		return 1;
	}
	trace_set_on(true);
	return 0;
}

/* ---- records and the console ---- */

void entry(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, unsigned depth)
{
	ring_write(cpu, rec_w0(tsc, tid, REC_ENTRY), func | (uint64_t)depth << 32);
}

bool ret_at(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, unsigned depth,
		   uint64_t ticks)
{
	const struct trace_rec r = { rec_w0(tsc, tid, REC_RETURN), rec_call_w1(func, depth), ticks };

	return ring_write_rec(cpu, &r, NULL);
}

void ret(unsigned cpu, uint64_t tsc, unsigned tid, uint32_t func, uint64_t ticks)
{
	ret_at(cpu, tsc, tid, func, 0, ticks);
}

char console[1 << 16];
size_t console_len;

/* The panic dump's console (trace/dump.c writes through the platform API). */
void plat_console_write(const char *s, size_t n)
{
	if (n > sizeof(console) - 1 - console_len)
		n = sizeof(console) - 1 - console_len;
	memcpy(console + console_len, s, n);
	console_len += n;
	console[console_len] = 0;
}
