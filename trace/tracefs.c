/* The tracefs API (contract in trace/tracefs.h, semantics in ../shared/spec/tracefs.md):
 * a path is looked up in the table of files (trace/tracefs_files.c), and each call goes
 * to that file's handlers (trace/tracefs_file.h). Here: the lookup and mode checks, the
 * lock, the staging of small files' text, and the helpers the handlers share. */
#include <errno.h>
#include <string.h>
#include "trace/tracefs_file.h"
#include "trace/config.h"
#include "trace/ring.h"
#include "trace/event_format.h"
#include "kernel/printf.h"

#ifdef GLASS_HOST
#include <stdlib.h>
void *tf_zalloc(size_t n) { return calloc(1, n); }
void tf_free(void *p) { free(p); }
void tf_lock(void) {}
void tf_unlock(void) {}
#else
#include "kernel/heap.h"
#include "kernel/mutex.h"
static struct mutex tf_mutex; /* all-zero is an unlocked mutex */
void *tf_zalloc(size_t n) { return kzalloc(n); }
void tf_free(void *p) { kfree(p); }
void tf_lock(void) { mutex_lock(&tf_mutex); }
void tf_unlock(void) { mutex_unlock(&tf_mutex); }
#endif

struct tf_state tf = { .pause_on_trace = true, .markers = true };

/* ---- helpers ---- */

int tf_fail(struct tracefs_file *f, int err, const char *why)
{
	size_t n = strlen(why);

	if (n >= sizeof(f->err))
		n = sizeof(f->err) - 1;
	memcpy(f->err, why, n);
	f->err[n] = 0;
	return err;
}

bool tf_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *tf_trim(const char *buf, size_t *len)
{
	size_t n = *len;

	while (n && tf_is_space(*buf)) {
		buf++;
		n--;
	}
	while (n && tf_is_space(buf[n - 1]))
		n--;
	*len = n;
	return buf;
}

int tf_parse_u64(const char *buf, size_t len, uint64_t *v)
{
	const char *s = tf_trim(buf, &len);

	if (!len || len > 19)
		return -EINVAL;
	*v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

int tf_number(struct tracefs_file *f, const char *buf, size_t len, uint64_t *v)
{
	if (tf_parse_u64(buf, len, v))
		return tf_fail(f, -EINVAL, "expected an unsigned decimal number");
	return 0;
}

bool tf_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

unsigned tf_ncpus(void)
{
	unsigned n = ring_ncpus();

	return n < TRACE_MAX_CPUS ? n : TRACE_MAX_CPUS;
}

bool tf_truncating(const struct tracefs_file *f)
{
	return (f->mode & TRACEFS_WRITE) && !(f->mode & TRACEFS_APPEND) && !f->wrote;
}

/* ---- small files: show() through the stage ---- */

/* Refills the stage with the file's next text; 0 at the end. */
static size_t refill(struct tracefs_file *f)
{
	size_t n;

	if (!f->ops->show)
		return 0;
	if (!f->ops->lines) {
		if (f->cursor)
			return 0;
		f->cursor = 1;
	}
	n = f->ops->show(f, f->stage, sizeof(f->stage));
	if (n >= sizeof(f->stage))
		n = sizeof(f->stage) - 1; /* ksnprintf cut the text */
	f->stage_off = 0;
	f->stage_len = n;
	return n;
}

static long read_small(struct tracefs_file *f, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		size_t k;

		if (f->stage_off == f->stage_len && !refill(f))
			break;
		k = f->stage_len - f->stage_off;
		k = k < len - n ? k : len - n;
		memcpy(buf + n, f->stage + f->stage_off, k);
		f->stage_off += k;
		n += k;
	}
	return (long)n;
}

/* ---- lookup ---- */

static const struct tracefs_fops *find(const char *name, enum tf_where where)
{
	for (size_t i = 0; i < tracefs_table_len; i++)
		if ((tracefs_table[i].where & where) && !strcmp(name, tracefs_table[i].name))
			return &tracefs_table[i];
	return NULL;
}

/* A file below events/: the events it covers into *events. */
static const struct tracefs_fops *lookup_event(const char *path, uint64_t *events)
{
	const char *file, *slash = strchr(path, '/');
	bool one_event = slash && strchr(slash + 1, '/'); /* GROUP/NAME/file */

	*events = tf_events_of_path(path, &file);
	if (!*events)
		return NULL;
	return find(file, one_event ? TF_EVENTS | TF_EVENT_ONE : TF_EVENTS);
}

/* The file at path, its CPU in *cpu ("per_cpu/cpuN/<name>"; else -1) and the events it
 * covers (below events/); NULL if none. */
static const struct tracefs_fops *lookup(const char *path, int *cpu, uint64_t *events)
{
	static const char prefix[] = "per_cpu/cpu";
	const char *p = path + sizeof(prefix) - 1;
	unsigned n = 0;

	*cpu = -1;
	*events = 0;
	if (!strncmp(path, "events/", 7))
		return lookup_event(path + 7, events);
	if (strncmp(path, prefix, sizeof(prefix) - 1))
		return find(path, TF_TOP);
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9' && n < 1000)
		n = n * 10 + (unsigned)(*p++ - '0');
	if (n >= tf_ncpus() || *p++ != '/')
		return NULL;
	*cpu = (int)n;
	return find(p, TF_PER_CPU);
}

/* ---- the API ---- */

int tracefs_open(const char *path, int mode, struct tracefs_file **out)
{
	struct tracefs_file *f = NULL;
	const struct tracefs_fops *ops;
	int cpu, err = 0;
	uint64_t events;

	tf_lock();
	ops = lookup(path, &cpu, &events);
	if (!ops)
		err = -ENOENT;
	else if ((mode & ~ops->modes) || !(mode & (TRACEFS_READ | TRACEFS_WRITE | TRACEFS_APPEND)))
		err = -EACCES;
	if (!err) {
		f = tf_zalloc(sizeof(*f));
		if (!f)
			err = -ENOMEM;
	}
	if (!err) {
		f->ops = ops;
		f->mode = mode;
		f->cpu = cpu;
		f->events = events;
		if (ops->open)
			err = ops->open(f);
	}
	tf_unlock();
	if (err) {
		tf_free(f);
		return err;
	}
	*out = f;
	return 0;
}

long tracefs_read(struct tracefs_file *f, char *buf, size_t len)
{
	long n;

	if (!(f->mode & TRACEFS_READ))
		return -EACCES;
	if (f->ops->read)
		return f->ops->read(f, buf, len);
	tf_lock();
	n = read_small(f, buf, len);
	tf_unlock();
	return n;
}

static int do_write(struct tracefs_file *f, const char *buf, size_t len)
{
	if (!f->ops->write)
		return tf_fail(f, -EACCES, "read-only file");
	return f->ops->write(f, buf, len);
}

long tracefs_write(struct tracefs_file *f, const char *buf, size_t len)
{
	int err;

	if (!(f->mode & (TRACEFS_WRITE | TRACEFS_APPEND)))
		return tf_fail(f, -EACCES, "not opened for writing");
	tf_lock();
	f->err[0] = 0;
	f->tried = true;
	err = do_write(f, buf, len);
	if (!err)
		f->wrote = true;
	tf_unlock();
	if (err && !f->err[0])
		tf_fail(f, err, "invalid value");
	return err ? err : (long)len;
}

const char *tracefs_error(const struct tracefs_file *f)
{
	return f->err;
}

void tracefs_close(struct tracefs_file *f)
{
	tf_lock();
	/* `echo > set_ftrace_filter` with nothing written still empties the set; a
	 * failed write leaves it as it was. */
	if (f->ops->empty_write_on_close && tf_truncating(f) && !f->tried)
		do_write(f, "", 0);
	if (f->ops->release)
		f->ops->release(f);
	tf_unlock();
	tf_free(f);
}

const char *const *tracefs_files(void)
{
	static const char *list[TF_MAX_FILES * (TRACE_MAX_CPUS + 1) + TF_MAX_EVENT_FILES + 1];
	static char names[TF_MAX_FILES * TRACE_MAX_CPUS][48];
	static char event_names[TF_MAX_EVENT_FILES][2 * EV_NAME_MAX + 16];
	size_t n = 0, k = 0;

	tf_lock();
	for (size_t i = 0; i < tracefs_table_len; i++)
		if (tracefs_table[i].where & TF_TOP)
			list[n++] = tracefs_table[i].name;
	for (unsigned cpu = 0; cpu < tf_ncpus(); cpu++) {
		for (size_t i = 0; i < tracefs_table_len; i++) {
			if (!(tracefs_table[i].where & TF_PER_CPU))
				continue;
			ksnprintf(names[k], sizeof(names[0]), "per_cpu/cpu%u/%s", cpu,
				  tracefs_table[i].name);
			list[n++] = names[k++];
		}
	}
	for (unsigned i = 0; i < TF_MAX_EVENT_FILES; i++) {
		const char *name = tf_events_list(i, event_names[i], sizeof(event_names[0]));

		if (!name)
			break;
		list[n++] = name;
	}
	list[n] = NULL;
	tf_unlock();
	return list;
}

int tracefs_write_file(const char *path, const char *text, char *why, size_t why_len)
{
	struct tracefs_file *f;
	int err = tracefs_open(path, TRACEFS_WRITE, &f);
	long r;

	if (err)
		return err;
	r = tracefs_write(f, text, strlen(text));
	if (r < 0 && why && why_len)
		ksnprintf(why, why_len, "%s", tracefs_error(f));
	tracefs_close(f);
	return r < 0 ? (int)r : 0;
}
