/* pprof.h with protobuf-c: the messages are built in memory (the profile is as big as its
 * distinct stacks, not as the trace), packed once, then deflated in gzip framing. */
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

struct pprof {
	const struct symtab *funcs;
	struct symtab *strs;		/* string_table[i] = name of id i; [0] = "" */
	size_t ntypes;
	ValueType types[PPROF_MAX_TYPES];
	ValueType *type_ptrs[PPROF_MAX_TYPES];
	Sample **samples;
	size_t nsamples, cap_samples;
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
			size_t ntypes)
{
	struct pprof *p = xcalloc(1, sizeof(*p));

	p->funcs = funcs;
	p->strs = symtab_new();
	p->ntypes = ntypes < PPROF_MAX_TYPES ? ntypes : PPROF_MAX_TYPES;
	for (size_t i = 0; i < p->ntypes; i++) {
		p->types[i] = (ValueType)PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
		p->types[i].type = str(p, types[i].type);
		p->types[i].unit = str(p, types[i].unit);
		p->type_ptrs[i] = &p->types[i];
	}
	umap_init(&p->used);
	return p;
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

static Label *label(struct pprof *p, const char *key, const char *value)
{
	Label *l = xmalloc(sizeof(*l));

	*l = (Label)PERFTOOLS__PROFILES__LABEL__INIT;
	l->key = str(p, key);
	l->str = str(p, value);
	return l;
}

void pprof_sample(struct pprof *p, const uint32_t *stack, size_t n, const int64_t *values,
		  const char *thread, int cpu)
{
	Sample *s = xmalloc(sizeof(*s));
	char num[16];

	*s = (Sample)PERFTOOLS__PROFILES__SAMPLE__INIT;
	s->n_location_id = n;
	s->location_id = xmalloc((n ? n : 1) * sizeof(*s->location_id));
	for (size_t i = 0; i < n; i++)
		s->location_id[i] = location_of(p, stack[i]);
	s->n_value = p->ntypes;
	s->value = xmalloc(p->ntypes * sizeof(*s->value));
	memcpy(s->value, values, p->ntypes * sizeof(*s->value));
	s->label = xmalloc(2 * sizeof(*s->label));
	s->label[s->n_label++] = label(p, "thread", thread);
	if (cpu >= 0) {
		snprintf(num, sizeof(num), "%d", cpu);
		s->label[s->n_label++] = label(p, "cpu", num);
	}
	xgrow((void **)&p->samples, &p->cap_samples, p->nsamples + 1, sizeof(*p->samples));
	p->samples[p->nsamples++] = s;
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

/* gzip framing (window bits 15 + 16), as pprof's Profile.Write produces. */
static int gzip_write(const uint8_t *data, size_t len, struct output *o)
{
	z_stream z = { 0 };
	uint8_t buf[65536];
	int ret;

	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (uint8_t *)data;
	z.avail_in = (uInt)len;	/* a profile above 4 GB is far beyond pprof's reach */
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		ret = deflate(&z, Z_FINISH);
		output_write(o, (const char *)buf, sizeof(buf) - z.avail_out);
	} while (ret == Z_OK);
	deflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -1;
}

static void string_table(struct pprof *p, Profile *pr)
{
	pr->n_string_table = (size_t)symtab_count(p->strs) + 1;
	pr->string_table = xmalloc(pr->n_string_table * sizeof(char *));
	for (size_t i = 0; i < pr->n_string_table; i++)
		pr->string_table[i] = (char *)symtab_name(p->strs, (uint32_t)i);	/* [0] = "" */
}

int pprof_write(struct pprof *p, struct output *o)
{
	Profile pr = PERFTOOLS__PROFILES__PROFILE__INIT;
	Mapping map = PERFTOOLS__PROFILES__MAPPING__INIT;
	Mapping *maps[1] = { &map };
	Location *locs = xcalloc(p->nused + 1, sizeof(*locs));
	Function *fns = xcalloc(p->nused + 1, sizeof(*fns));
	Line *lines = xcalloc(p->nused + 1, sizeof(*lines));
	Line **line_ptrs = xcalloc(p->nused + 1, sizeof(*line_ptrs));
	int ret;

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
	pr.sample = p->samples;
	pr.n_sample = p->nsamples;
	pr.comment = p->comments;
	pr.n_comment = p->ncomments;
	pr.default_sample_type = p->default_type;
	pr.duration_nanos = p->duration_ns;
	string_table(p, &pr);	/* last: the steps above intern strings */

	size_t len = perftools__profiles__profile__get_packed_size(&pr);
	uint8_t *buf = xmalloc(len ? len : 1);
	perftools__profiles__profile__pack(&pr, buf);
	ret = gzip_write(buf, len, o);
	if (ret)
		fprintf(stderr, "parse-trace: zlib failed to compress the profile\n");
	free(buf);
	free(pr.string_table);
	free(pr.location);
	free(pr.function);
	free(locs);
	free(fns);
	free(lines);
	free(line_ptrs);
	return ret;
}

void pprof_free(struct pprof *p)
{
	for (size_t i = 0; i < p->nsamples; i++) {
		Sample *s = p->samples[i];
		for (size_t j = 0; j < s->n_label; j++)
			free(s->label[j]);
		free(s->label);
		free(s->location_id);
		free(s->value);
		free(s);
	}
	free(p->samples);
	free(p->used_ids);
	free(p->comments);
	umap_free(&p->used);
	symtab_free(p->strs);
	free(p);
}
