/* Dynamic patching of call sites (contract in trace/patch.h). */
#include <errno.h>
#include "trace/config.h"
#include "trace/hook.h"
#include "trace/internal.h"
#include "trace/patch.h"

#define PATCH_LEN 5
#define PATCH_BATCH 64 /* sites decided per stop of the other CPUs */
#define PATCH_RET 0xc3 /* what must follow a return site */

static const uint8_t patch_nop[PATCH_LEN] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

/* One kind of site: where the compiler listed them and what a patched one calls. */
struct patch_kind {
	const uint64_t *begin, *end;
	void (*target)(void);
};

#ifdef GLASS_HOST
static struct patch_kind entries = { .target = __fentry__ };

void patch_set_sites(const uint64_t *begin, const uint64_t *end)
{
	entries.begin = begin;
	entries.end = end;
}
#else
/* Provided by the linker script around the merged __mcount_loc sections. */
extern const uint64_t __start_mcount_loc[], __stop_mcount_loc[];
static struct patch_kind entries = { __start_mcount_loc, __stop_mcount_loc, __fentry__ };
#endif

static size_t kind_sites(const struct patch_kind *k)
{
	return (size_t)(k->end - k->begin);
}

static uint64_t kind_site(const struct patch_kind *k, size_t i)
{
	uint64_t ip;

	/* The compiler emits __mcount_loc with byte alignment: the entries may be unaligned. */
	__builtin_memcpy(&ip, (const uint8_t *)k->begin + i * sizeof(ip), sizeof(ip));
	return ip;
}

size_t patch_sites(void)
{
	return kind_sites(&entries);
}

uint64_t patch_site(size_t i)
{
	return kind_site(&entries, i);
}

/* `call target` as it would be encoded at ip. */
static void patch_call(uint64_t ip, void (*target)(void), uint8_t code[PATCH_LEN])
{
	int32_t rel = (int32_t)((uint64_t)target - (ip + PATCH_LEN));

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

static bool kind_site_on(const struct patch_kind *k, size_t i)
{
	uint8_t call[PATCH_LEN];

	patch_call(kind_site(k, i), k->target, call);
	return patch_is(kind_site(k, i), call);
}

bool patch_site_on(size_t i)
{
	return kind_site_on(&entries, i);
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
static void patch_write_batch(const struct patch_kind *k, size_t first, uint64_t flip,
			      uint64_t on)
{
	uint64_t flags = trace_irq_save();

	trace_stop_others();
	for (unsigned b = 0; b < PATCH_BATCH; b++) {
		uint8_t call[PATCH_LEN];
		uint64_t ip;

		if (!(flip >> b & 1))
			continue; /* a last batch's bits beyond the list are 0: read no site there */
		ip = kind_site(k, first + b);
		patch_call(ip, k->target, call);
		trace_poke_text((void *)ip, on >> b & 1 ? call : patch_nop, PATCH_LEN);
	}
	trace_sync_core(); /* this CPU fetches the new code from here on */
	trace_release_others();
	trace_irq_restore(flags);
}

/* Which way a pass may flip sites: both, or only on / only off (return hooks go on
 * before their entries and off after them, so no entry is traced without its return). */
enum patch_dir { PATCH_BOTH, PATCH_ON_ONLY, PATCH_OFF_ONLY };

/* Decides one batch: which sites change (*flip) and which end up calls (*on). wanted()
 * gets the site's index. */
static int patch_decide_batch(const struct patch_kind *k, size_t first, size_t n,
			      bool (*wanted)(size_t i, void *), void *arg, enum patch_dir dir,
			      uint64_t *flip, uint64_t *on)
{
	int err = 0;

	*flip = *on = 0;
	for (size_t b = 0; b < n; b++) {
		uint64_t ip = kind_site(k, first + b);
		uint8_t call[PATCH_LEN];
		bool is_call, want;

		patch_call(ip, k->target, call);
		is_call = patch_is(ip, call);
		if (!is_call && !patch_is(ip, patch_nop)) {
			trace_stop("patch: a call site holds neither the NOP nor the call");
			err = -EINVAL;
			continue;
		}
		want = wanted(first + b, arg);
		if ((dir == PATCH_ON_ONLY && !want) || (dir == PATCH_OFF_ONLY && want))
			want = is_call;
		*on |= (uint64_t)want << b;
		*flip |= (uint64_t)(want != is_call) << b;
	}
	return err;
}

static int patch_pass(const struct patch_kind *k, bool (*wanted)(size_t i, void *), void *arg,
		      enum patch_dir dir)
{
	size_t n = kind_sites(k);
	int err = 0;

	for (size_t first = 0; first < n; first += PATCH_BATCH) {
		size_t len = n - first < PATCH_BATCH ? n - first : PATCH_BATCH;
		uint64_t flip, on;

		if (patch_decide_batch(k, first, len, wanted, arg, dir, &flip, &on))
			err = -EINVAL;
		if (flip)
			patch_write_batch(k, first, flip, on);
	}
	return err;
}

/* What the callers' filters are asked: the function at an entry site. */
struct patch_filter {
	bool (*wanted)(uint64_t ip, void *arg);
	void *arg;
};

/* A function the fast paths cannot name in a slot (they do not check) turns them off
 * before it is patched in. */
static bool entry_wanted(size_t i, void *arg)
{
	const struct patch_filter *f = arg;
	uint64_t ip = patch_site(i);
	bool want = f->wanted(ip, f->arg);

	if (want && (uint32_t)(ip - trace_text_base()) >= 1u << W_FUNC_BITS && !trace_cfg.far_sites)
		trace_set_far_sites();
	return want;
}

#if CONFIG_FGRAPH_RETHOOK
#ifdef GLASS_HOST
static struct patch_kind returns = { .target = __fexit__ };

void patch_set_return_sites(const uint64_t *begin, const uint64_t *end)
{
	returns.begin = begin;
	returns.end = end;
}
#else
extern const uint64_t __start_return_loc[], __stop_return_loc[];
static struct patch_kind returns = { __start_return_loc, __stop_return_loc, __fexit__ };
#endif

static bool return_hooks; /* return sites follow their function's entry */

void patch_set_return_hooks(bool on)
{
	return_hooks = on;
}

size_t patch_return_sites(void)
{
	return kind_sites(&returns);
}

size_t patch_return_sites_on(void)
{
	size_t n = 0;

	for (size_t i = 0; i < kind_sites(&returns); i++)
		n += kind_site_on(&returns, i);
	return n;
}

/* Entry sites sorted by address: a return site belongs to the function whose entry is the
 * nearest one below it (functions are contiguous: built without cold parts). */
static uint16_t entry_order[PATCH_MAX_SITES];
static size_t entry_order_n;

_Static_assert(PATCH_MAX_SITES <= 65536, "entry_order holds 16-bit indexes");

static void sort_entries(void)
{
	size_t n = patch_sites() < PATCH_MAX_SITES ? patch_sites() : PATCH_MAX_SITES;

	if (entry_order_n == n)
		return; /* sites never change once set */
	for (size_t i = 0; i < n; i++)
		entry_order[i] = (uint16_t)i;
	/* Shell sort: no allocation, n log^2 n for a few thousand sites, once. */
	for (size_t gap = n / 2; gap; gap /= 2)
		for (size_t i = gap; i < n; i++)
			for (size_t j = i; j >= gap && patch_site(entry_order[j - gap]) >
							   patch_site(entry_order[j]); j -= gap) {
				uint16_t tmp = entry_order[j];

				entry_order[j] = entry_order[j - gap];
				entry_order[j - gap] = tmp;
			}
	entry_order_n = n;
}

uint64_t patch_return_owner(uint64_t ret_site)
{
	size_t lo = 0, hi = entry_order_n; /* the first entry above ret_site: lo */

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (patch_site(entry_order[mid]) <= ret_site)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? patch_site(entry_order[lo - 1]) : 0;
}

/* A return site is hooked iff return hooks are on and its function is wanted; it must be
 * followed by `ret`: the hook keeps only the return value registers (a sibling call's
 * `jmp` after it would need the arguments too). */
static bool return_wanted(size_t i, void *arg)
{
	const struct patch_filter *f = arg;
	uint64_t ip = kind_site(&returns, i), owner;

	if (!return_hooks)
		return false;
	owner = patch_return_owner(ip);
	if (!owner || *(const volatile uint8_t *)(ip + PATCH_LEN) != PATCH_RET) {
		trace_stop("patch: a return site is not followed by ret in a traced function");
		return false;
	}
	return f->wanted(owner, f->arg);
}

int patch_apply(bool (*wanted)(uint64_t ip, void *arg), void *arg)
{
	struct patch_filter f = { wanted, arg };
	int err = 0;

	sort_entries();
	err |= patch_pass(&returns, return_wanted, &f, PATCH_ON_ONLY);
	err |= patch_pass(&entries, entry_wanted, &f, PATCH_BOTH);
	err |= patch_pass(&returns, return_wanted, &f, PATCH_OFF_ONLY);
	return err ? -EINVAL : 0;
}
#else
int patch_apply(bool (*wanted)(uint64_t ip, void *arg), void *arg)
{
	struct patch_filter f = { wanted, arg };

	return patch_pass(&entries, entry_wanted, &f, PATCH_BOTH);
}
#endif
