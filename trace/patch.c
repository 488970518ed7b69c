/* Dynamic patching of call sites (contract in trace/patch.h). */
#include <errno.h>
#include "trace/config.h"
#include "trace/hook.h"
#include "trace/internal.h"
#include "trace/patch.h"

#define PATCH_LEN 5
#define PATCH_BATCH 64 /* sites decided per stop of the other CPUs */

static const uint8_t patch_nop[PATCH_LEN] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

#ifdef GLASS_HOST
static const uint64_t *sites_begin, *sites_end;

void patch_set_sites(const uint64_t *begin, const uint64_t *end)
{
	sites_begin = begin;
	sites_end = end;
}
#else
/* Provided by the linker script around the merged __mcount_loc sections. */
extern const uint64_t __start_mcount_loc[], __stop_mcount_loc[];
#define sites_begin __start_mcount_loc
#define sites_end __stop_mcount_loc
#endif

size_t patch_sites(void)
{
	return (size_t)(sites_end - sites_begin);
}

uint64_t patch_site(size_t i)
{
	uint64_t ip;

	/* The compiler emits __mcount_loc with byte alignment: the entries may be unaligned. */
	__builtin_memcpy(&ip, (const uint8_t *)sites_begin + i * sizeof(ip), sizeof(ip));
	return ip;
}

/* `call __fentry__` as it would be encoded at ip. */
static void patch_call(uint64_t ip, uint8_t code[PATCH_LEN])
{
	int32_t rel = (int32_t)((uint64_t)__fentry__ - (ip + PATCH_LEN));

	code[0] = 0xe8;
	for (int i = 0; i < 4; i++)
		code[1 + i] = (uint8_t)((uint32_t)rel >> (8 * i));
}

static bool patch_is(uint64_t ip, const uint8_t code[PATCH_LEN])
{
	const volatile uint8_t *p = (const volatile uint8_t *)ip;

	for (int i = 0; i < PATCH_LEN; i++)
		if (p[i] != code[i])
			return false;
	return true;
}

bool patch_site_on(size_t i)
{
	uint8_t call[PATCH_LEN];

	patch_call(patch_site(i), call);
	return patch_is(patch_site(i), call);
}

size_t patch_sites_on(void)
{
	size_t n = 0;

	for (size_t i = 0; i < patch_sites(); i++)
		n += patch_site_on(i);
	return n;
}

/* Rewrites the sites of one batch whose bit is set in flip, with the other CPUs stopped
 * and interrupts off here, so no CPU can be executing a half-written site. */
static void patch_write_batch(size_t first, uint64_t flip, uint64_t on)
{
	uint64_t flags = trace_irq_save();

	trace_stop_others();
	for (unsigned b = 0; b < PATCH_BATCH; b++) {
		uint64_t ip = patch_site(first + b);
		uint8_t call[PATCH_LEN];

		if (!(flip >> b & 1))
			continue;
		patch_call(ip, call);
		trace_poke_text((void *)ip, on >> b & 1 ? call : patch_nop, PATCH_LEN);
	}
	trace_sync_core(); /* this CPU fetches the new code from here on */
	trace_release_others();
	trace_irq_restore(flags);
}

/* Decides one batch: which sites change (*flip) and which end up calls (*on). */
static int patch_decide_batch(size_t first, size_t n, bool (*wanted)(uint64_t, void *),
			      void *arg, uint64_t *flip, uint64_t *on)
{
	int err = 0;

	*flip = *on = 0;
	for (size_t b = 0; b < n; b++) {
		uint64_t ip = patch_site(first + b);
		uint8_t call[PATCH_LEN];
		bool is_call, want;

		patch_call(ip, call);
		is_call = patch_is(ip, call);
		if (!is_call && !patch_is(ip, patch_nop)) {
			trace_stop("patch: a call site holds neither the NOP nor the call");
			err = -EINVAL;
			continue;
		}
		want = wanted(ip, arg);
		*on |= (uint64_t)want << b;
		*flip |= (uint64_t)(want != is_call) << b;
	}
	return err;
}

int patch_apply(bool (*wanted)(uint64_t ip, void *arg), void *arg)
{
	size_t n = patch_sites();
	int err = 0;

	for (size_t first = 0; first < n; first += PATCH_BATCH) {
		size_t len = n - first < PATCH_BATCH ? n - first : PATCH_BATCH;
		uint64_t flip, on;

		if (patch_decide_batch(first, len, wanted, arg, &flip, &on))
			err = -EINVAL;
		if (flip)
			patch_write_batch(first, flip, on);
	}
	return err;
}
