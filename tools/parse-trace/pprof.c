/* pprof.h with protobuf-c and zlib. A Profile is a sequence of fields in any order, so each
 * Sample is packed on its own as a field 2 record and deflated at once; the other fields
 * (sample types, mapping, locations, functions, strings) are packed as one Profile message
 * without samples at the end. Memory holds the strings and frames, not the samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile.pb-c.h"
#include "tools/lib/umap.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/pprof.h"

typedef Perftools__Profiles__Profile Profile;
typedef Perftools__Profiles__Sample Sample;
typedef Perftools__Profiles__Label Label;
typedef Perftools__Profiles__Location Location;
typedef Perftools__Profiles__Function Function;
typedef Perftools__Profiles__Line Line;
typedef Perftools__Profiles__ValueType ValueType;
typedef Perftools__Profiles__Mapping Mapping;

/* Function and location ids are the symtab ids; the unknown frame needs one no symtab id
 * can take. */
#define UNKNOWN_ID (1ULL << 32)
#define PROFILE_SAMPLE_FIELD 2
#define WIRE_LEN 2

struct pprof {
	const struct symtab *funcs;
	struct symtab *strs;		/* string_table[i] = name of id i; [0] = "" */
	size_t ntypes;
	ValueType types[PPROF_MAX_TYPES];
	ValueType *type_ptrs[PPROF_MAX_TYPES];
	struct output *out;
	z_stream z;
	bool zfailed;
	uint8_t *enc;			/* one packed sample */
	size_t enc_cap;
	uint64_t *locs;			/* one sample's location ids */
	size_t locs_cap;
	struct umap used;		/* function id + 1 -> 1: needs a Location and Function */
	uint64_t *used_ids;
	size_t nused, cap_used;
	int64_t *comments;
	size_t ncomments, cap_comments;
	int64_t default_type, duration_ns;
};

static int64_t str(struct pprof *p, const char *s)
{
	return symtab_intern(p->strs, s, strlen(s));
}

struct pprof *pprof_new(const struct symtab *funcs, const struct pprof_type *types,
			size_t ntypes, struct output *out)
{
	struct pprof *p = xcalloc(1, sizeof(*p));

	p->funcs = funcs;
	p->out = out;
	p->strs = symtab_new();
	p->ntypes = ntypes < PPROF_MAX_TYPES ? ntypes : PPROF_MAX_TYPES;
	for (size_t i = 0; i < p->ntypes; i++) {
		p->types[i] = (ValueType)PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
		p->types[i].type = str(p, types[i].type);
		p->types[i].unit = str(p, types[i].unit);
		p->type_ptrs[i] = &p->types[i];
	}
	umap_init(&p->used);
	/* gzip framing (window bits 15 + 16), as pprof's Profile.Write produces */
	p->zfailed = deflateInit2(&p->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK;
	return p;
}

/* Compresses n bytes into the output; flush Z_FINISH ends the gzip stream. */
static void zwrite(struct pprof *p, const uint8_t *data, size_t n, int flush)
{
	uint8_t buf[65536];
	int ret;

	if (p->zfailed)
		return;
	p->z.next_in = (uint8_t *)data;
	p->z.avail_in = (uInt)n;	/* callers pass pieces far below 4 GB */
	do {
		p->z.next_out = buf;
		p->z.avail_out = sizeof(buf);
		ret = deflate(&p->z, flush);
		output_write(p->out, (const char *)buf, sizeof(buf) - p->z.avail_out);
	} while (ret == Z_OK && (p->z.avail_in || p->z.avail_out == 0 || flush == Z_FINISH));
	/* Z_BUF_ERROR: no progress possible, which only means done unless finishing */
	if (flush == Z_FINISH ? ret != Z_STREAM_END : ret != Z_OK && ret != Z_BUF_ERROR)
		p->zfailed = true;
}

static size_t put_varint(uint8_t *d, uint64_t v)
{
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		d[n++] = (uint8_t)(v | 0x80);
	d[n++] = (uint8_t)v;
	return n;
}

void pprof_default_type(struct pprof *p, const char *type)
{
	p->default_type = str(p, type);
}

void pprof_comment(struct pprof *p, const char *text)
{
	xgrow((void **)&p->comments, &p->cap_comments, p->ncomments + 1, sizeof(*p->comments));
	p->comments[p->ncomments++] = str(p, text);
}

void pprof_duration(struct pprof *p, int64_t ns)
{
	p->duration_ns = ns;
}

static uint64_t location_of(struct pprof *p, uint32_t func)
{
	uint64_t id = func ? func : UNKNOWN_ID;

	if (!umap_get(&p->used, id + 1)) {
		umap_put(&p->used, id + 1, 1);
		xgrow((void **)&p->used_ids, &p->cap_used, p->nused + 1, sizeof(*p->used_ids));
		p->used_ids[p->nused++] = id;
	}
	return id;
}

static void set_label(struct pprof *p, Label *l, const char *key, const char *value)
{
	*l = (Label)PERFTOOLS__PROFILES__LABEL__INIT;
	l->key = str(p, key);
	l->str = str(p, value);
}

void pprof_sample(struct pprof *p, const uint32_t *stack, size_t n, const int64_t *values,
		  const char *thread, int cpu)
{
	Sample s = PERFTOOLS__PROFILES__SAMPLE__INIT;
	Label labels[2], *label_ptrs[2] = { &labels[0], &labels[1] };
	char num[16];

	xgrow((void **)&p->locs, &p->locs_cap, n + 1, sizeof(*p->locs));
	for (size_t i = 0; i < n; i++)
		p->locs[i] = location_of(p, stack[i]);
	s.n_location_id = n;
	s.location_id = p->locs;
	s.n_value = p->ntypes;
	s.value = (int64_t *)values;
	s.label = label_ptrs;
	set_label(p, &labels[s.n_label++], "thread", thread);
	if (cpu >= 0) {
		snprintf(num, sizeof(num), "%d", cpu);
		set_label(p, &labels[s.n_label++], "cpu", num);
	}
	/* field 2 of Profile: tag, length, the packed Sample */
	size_t len = perftools__profiles__sample__get_packed_size(&s);
	xgrow((void **)&p->enc, &p->enc_cap, len + 11, 1);
	size_t hdr = put_varint(p->enc, PROFILE_SAMPLE_FIELD << 3 | WIRE_LEN);
	hdr += put_varint(p->enc + hdr, len);
	perftools__profiles__sample__pack(&s, p->enc + hdr);
	zwrite(p, p->enc, hdr + len, Z_NO_FLUSH);
}

/* One Location (address unknown on the text path) and one Function per frame id used. */
static void add_functions(struct pprof *p, Profile *pr, Location *locs, Function *fns,
			  Line *lines, Line **line_ptrs)
{
	for (size_t i = 0; i < p->nused; i++) {
		uint64_t id = p->used_ids[i];
		const char *name = id == UNKNOWN_ID ? "[unknown]" : symtab_name(p->funcs, (uint32_t)id);

		fns[i] = (Function)PERFTOOLS__PROFILES__FUNCTION__INIT;
		fns[i].id = id;
		fns[i].name = fns[i].system_name = str(p, name);
		lines[i] = (Line)PERFTOOLS__PROFILES__LINE__INIT;
		lines[i].function_id = id;
		line_ptrs[i] = &lines[i];
		locs[i] = (Location)PERFTOOLS__PROFILES__LOCATION__INIT;
		locs[i].id = id;
		locs[i].mapping_id = 1;
		locs[i].n_line = 1;
		locs[i].line = &line_ptrs[i];
		pr->location[i] = &locs[i];
		pr->function[i] = &fns[i];
	}
	pr->n_location = pr->n_function = p->nused;
}

static void string_table(struct pprof *p, Profile *pr)
{
	pr->n_string_table = (size_t)symtab_count(p->strs) + 1;
	pr->string_table = xmalloc(pr->n_string_table * sizeof(char *));
	for (size_t i = 0; i < pr->n_string_table; i++)
		pr->string_table[i] = (char *)symtab_name(p->strs, (uint32_t)i);	/* [0] = "" */
}

int pprof_finish(struct pprof *p)
{
	Profile pr = PERFTOOLS__PROFILES__PROFILE__INIT;
	Mapping map = PERFTOOLS__PROFILES__MAPPING__INIT;
	Mapping *maps[1] = { &map };
	Location *locs = xcalloc(p->nused + 1, sizeof(*locs));
	Function *fns = xcalloc(p->nused + 1, sizeof(*fns));
	Line *lines = xcalloc(p->nused + 1, sizeof(*lines));
	Line **line_ptrs = xcalloc(p->nused + 1, sizeof(*line_ptrs));

	/* one mapping holding every function, already symbolized: pprof looks for no binary */
	map.id = 1;
	map.filename = str(p, "[glass]");
	map.has_functions = 1;
	pr.mapping = maps;
	pr.n_mapping = 1;
	pr.location = xcalloc(p->nused + 1, sizeof(*pr.location));
	pr.function = xcalloc(p->nused + 1, sizeof(*pr.function));
	add_functions(p, &pr, locs, fns, lines, line_ptrs);
	pr.sample_type = p->type_ptrs;
	pr.n_sample_type = p->ntypes;
	pr.comment = p->comments;
	pr.n_comment = p->ncomments;
	pr.default_sample_type = p->default_type;
	pr.duration_nanos = p->duration_ns;
	string_table(p, &pr);	/* last: the steps above intern strings */

	size_t len = perftools__profiles__profile__get_packed_size(&pr);
	uint8_t *buf = xmalloc(len ? len : 1);
	perftools__profiles__profile__pack(&pr, buf);
	zwrite(p, buf, len, Z_FINISH);
	if (p->zfailed)
		fprintf(stderr, "parse-trace: zlib failed to compress the profile\n");
	free(buf);
	free(pr.string_table);
	free(pr.location);
	free(pr.function);
	free(locs);
	free(fns);
	free(lines);
	free(line_ptrs);
	return p->zfailed ? -1 : 0;
}

void pprof_free(struct pprof *p)
{
	deflateEnd(&p->z);
	free(p->enc);
	free(p->locs);
	free(p->used_ids);
	free(p->comments);
	umap_free(&p->used);
	symtab_free(p->strs);
	free(p);
}
