/* Function sets over patch sites with Linux's glob syntax (contract in trace/filter.h). */
#include <errno.h>
#include <string.h>
#include "trace/filter.h"
#include "trace/env.h"
#include "trace/patch.h"

struct filter_set filter_ftrace;
struct filter_set filter_notrace;
struct filter_set filter_graph;
struct filter_set filter_graph_notrace;

/* Site indexes sorted by address, so filter_has_ip() can binary-search: patch_apply()
 * asks by address, and __mcount_loc order need not be address order. */
static uint16_t site_order[FILTER_MAX_SITES];
static size_t site_order_n;
static bool site_order_ok;

_Static_assert(FILTER_MAX_SITES <= 65536, "site_order holds 16-bit indexes");

size_t filter_sites(void)
{
	size_t n = patch_sites();

	return n < FILTER_MAX_SITES ? n : FILTER_MAX_SITES;
}

/* ---- glob ---- */

/* Matches c against the class after '[' at *pp; leaves *pp after the closing ']'.
 * A ']' right after '[' or '[!' is a member, as in Linux's glob_match(). */
static bool class_match(const char **pp, unsigned char c)
{
	const unsigned char *p = (const unsigned char *)*pp;
	bool invert = *p == '!', hit = false;

	p += invert;
	do {
		unsigned char lo = *p, hi = lo;

		if (!lo)
			break; /* unterminated class: matches nothing */
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			p += 2;
		}
		hit |= c >= lo && c <= hi;
	} while (*++p != ']');
	*pp = (const char *)p + (*p == ']');
	return *p == ']' && hit != invert;
}

bool filter_glob_match(const char *pat, const char *name)
{
	/* After a '*', where to resume when the rest fails: one saved point suffices, as
	 * a later '*' can absorb anything an earlier one would have. */
	const char *star_pat = NULL, *star_name = NULL;

	for (;;) {
		unsigned char c = (unsigned char)*name;
		char d = *pat++;

		if (d == '*') {
			if (!*pat)
				return true;
			star_pat = pat;
			star_name = name;
			continue;
		}
		if (d == '?' ? c != 0 : d == '[' ? c && class_match(&pat, c) : c == (unsigned char)d) {
			if (!c)
				return true;
			name++;
			continue;
		}
		if (!star_pat || !*star_name)
			return false;
		pat = star_pat;
		name = ++star_name;
	}
}

/* ---- sets ---- */

static void set_bit(struct filter_set *s, size_t i, bool on)
{
	uint64_t m = 1ull << (i % 64);

	if (on)
		s->bits[i / 64] |= m;
	else
		s->bits[i / 64] &= ~m;
}

bool filter_has_site(const struct filter_set *set, size_t i)
{
	return i < FILTER_MAX_SITES && (set->bits[i / 64] >> (i % 64) & 1);
}

size_t filter_next(const struct filter_set *set, size_t from)
{
	size_t n = filter_sites();

	for (size_t i = from; i < n; i++) {
		if (!set->bits[i / 64]) {
			i |= 63; /* skip an empty word */
			continue;
		}
		if (filter_has_site(set, i))
			return i;
	}
	return (size_t)-1;
}

/* Bits set in x (no libgcc in the kernel for __builtin_popcountll). */
static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static void count_set(struct filter_set *s)
{
	s->n = 0;
	for (size_t w = 0; w < FILTER_MAX_SITES / 64; w++)
		s->n += popcount64(s->bits[w]);
}

/* Sorts site indexes by address (insertion sort: sites are nearly sorted already). */
static void build_order(void)
{
	site_order_n = filter_sites();
	for (size_t i = 0; i < site_order_n; i++) {
		uint64_t ip = patch_site(i);
		size_t j = i;

		for (; j > 0 && patch_site(site_order[j - 1]) > ip; j--)
			site_order[j] = site_order[j - 1];
		site_order[j] = (uint16_t)i;
	}
	site_order_ok = true;
}

void filter_reset_index(void)
{
	site_order_ok = false;
}

/* The index of the site at ip, or -1. */
static long site_of(uint64_t ip)
{
	size_t lo = 0, hi;

	if (!site_order_ok)
		build_order();
	hi = site_order_n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t at = patch_site(site_order[mid]);

		if (at == ip)
			return site_order[mid];
		if (at < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

bool filter_has_ip(const struct filter_set *set, uint64_t ip)
{
	long i = set->n ? site_of(ip) : -1;

	return i >= 0 && filter_has_site(set, (size_t)i);
}

bool filter_wanted(uint64_t ip, void *arg)
{
	(void)arg;
	if (filter_ftrace.n && !filter_has_ip(&filter_ftrace, ip))
		return false;
	return !filter_has_ip(&filter_notrace, ip);
}

/* ---- writes ---- */

static char why_buf[FILTER_TOKEN_MAX + 32];

/* A token of digits: Linux's index into available_filter_functions, from 1. Returns the
 * site, (size_t)-1 for no such line, or (size_t)-2 when the token is not a number. */
static size_t index_token(const char *pat)
{
	size_t v = 0;

	for (const char *p = pat; *p; p++) {
		if (*p < '0' || *p > '9')
			return (size_t)-2;
		if (v > FILTER_MAX_SITES)
			return (size_t)-1;
		v = v * 10 + (size_t)(*p - '0');
	}
	return v >= 1 && v <= filter_sites() ? v - 1 : (size_t)-1;
}

/* Adds (or with `!`, removes) every site whose name matches one token. */
static int apply_token(struct filter_set *s, const char *tok, const char **why)
{
	bool remove = tok[0] == '!';
	const char *pat = tok + remove;
	size_t n = filter_sites(), hits = 0, index;

	if (!*pat || strchr(pat, ':')) {
		*why = *pat ? "filter commands (func:command) are not supported" : "empty pattern";
		return -EINVAL;
	}
	index = index_token(pat);
	if (index != (size_t)-2) {
		hits = index != (size_t)-1;
		if (hits)
			set_bit(s, index, !remove);
		n = 0; /* no name matching */
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t off;
		const char *name = trace_env_symbol(patch_site(i), &off);

		if (name && filter_glob_match(pat, name)) {
			set_bit(s, i, !remove);
			hits++;
		}
	}
	if (!hits) {
		static const char msg[] = "no function matches: ";

		size_t n = strnlen(pat, FILTER_TOKEN_MAX);

		memcpy(why_buf, msg, sizeof(msg) - 1);
		memcpy(why_buf + sizeof(msg) - 1, pat, n);
		why_buf[sizeof(msg) - 1 + n] = 0;
		*why = why_buf;
		return -EINVAL;
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int filter_parse(const struct filter_set *old, struct filter_set *out, const char *buf,
		 size_t len, bool truncate, const char **why)
{
	char tok[FILTER_TOKEN_MAX + 1];
	size_t i = 0;

	if (truncate)
		memset(out, 0, sizeof(*out));
	else
		*out = *old;
	while (i < len) {
		size_t start, n;
		int err;

		while (i < len && is_space(buf[i]))
			i++;
		for (start = i; i < len && !is_space(buf[i]); i++)
			;
		n = i - start;
		if (!n)
			break;
		if (n > FILTER_TOKEN_MAX) {
			*why = "function name too long";
			return -EINVAL;
		}
		memcpy(tok, buf + start, n);
		tok[n] = 0;
		err = apply_token(out, tok, why);
		if (err)
			return err;
	}
	count_set(out);
	return 0;
}
