/* The fast paths in fentry.S name a traced function by its offset from the start of text
 * without checking that it fits a slot's 22-bit field: patch.c must turn them off before
 * it patches in a function that lies further away. A function is placed 1 GiB above the
 * text here (a 5-byte NOP site, then `lea 1(%rdi), %eax; ret`) and traced. */
#include <string.h>
#include <sys/mman.h>
#include "test/unit/check.h"
#include "test/unit/fgraph_harness.h"
#include "trace/config.h"
#include "trace/patch.h"
#include "trace/ring.h"

extern const uint64_t __start___mcount_loc[], __stop___mcount_loc[];
extern char __executable_start[];

static const uint8_t far_code[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00, 0x8d, 0x47, 0x01, 0xc3 };

/* The function's single record, as read from CPU 0: its type and function; 0 if not one. */
static int far_record(uint32_t *func)
{
	struct ring_reader r;
	int type = 0, n = 0;

	if (ring_reader_open(&r, 0, true))
		return 0;
	while (ring_reader_peek(&r, &ev)) {
		type = rec_type(&ev.rec);
		*func = rec_func(&ev.rec);
		n++;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	return n == 1 ? type : 0;
}

void test_far_sites(void)
{
	void *want = __executable_start + (1ul << 30);
	uint8_t *far = mmap(want, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	uint64_t site = (uint64_t)(uintptr_t)far;
	int (*fn)(int) = (int (*)(int))(uintptr_t)far;
	uint32_t func = 0;

	TEST_CASE("patch: a function too far from the start of text for a slot turns the fast "
		  "paths off before it is patched in, and is still traced");
	CHECK(far == want);
	if (far != want)
		goto out;
	memcpy(far, far_code, sizeof(far_code));
	setup(TRACE_FUNCTION);
	CHECK_EQ(trace_cfg.hook, TRACE_HOOK_FUNCTION);
	CHECK(!trace_cfg.far_sites);
	patch_set_sites(&site, &site + 1);
	patch_apply(all_sites, NULL);
	CHECK(trace_cfg.far_sites);
	CHECK_EQ(trace_cfg.hook, TRACE_HOOK_C);
	CHECK_EQ(far[0], 0xe8); /* call __fentry__ */
	CHECK_EQ(fn(41), 42);
	CHECK_EQ(far_record(&func), REC_FUNC);
	CHECK_EQ(func, (uint32_t)site);
	patch_apply(no_site, NULL);
	CHECK_EQ(far[0], 0x0f);
	patch_set_sites(__start___mcount_loc, __stop___mcount_loc);
	trace_cfg.far_sites = false; /* sticky in the kernel; the cases after this need it off */
	setup(TRACE_NOP);
	munmap(far, 4096);
out:
	TEST_END();
}
