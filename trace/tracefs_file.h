/* Private to the tracefs files (trace/tracefs*.c): an open file, the table of per-file
 * operations, and what the handlers share. A file is one entry of tracefs_table[]
 * (trace/tracefs_files.c) plus its handlers, as Linux's file_operations: the generic code
 * (trace/tracefs.c) looks the name up, checks the mode, takes the lock and calls them.
 *
 * Locking: one lock (tf_lock) serializes opens, closes, writes and consuming reads, as
 * the ring's control calls require; open, write, release and show run under it, read
 * handlers take it themselves where they need it. An open file is used by one thread at
 * a time. */
#ifndef TRACE_TRACEFS_FILE_H
#define TRACE_TRACEFS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/filter.h"
#include "trace/tracefs.h"

/* The modes a file may be opened with. NONBLOCK and SNAPSHOT_END matter to trace_pipe
 * only; other files accept and ignore them. */
#define TF_RO (TRACEFS_READ | TRACEFS_NONBLOCK | TRACEFS_SNAPSHOT_END)
#define TF_RW (TF_RO | TRACEFS_WRITE | TRACEFS_APPEND)
#define TF_WO (TRACEFS_WRITE | TRACEFS_APPEND)

/* Where a file appears: at the top, under per_cpu/cpuN/ for every CPU N, or both; in
 * every directory of events/ (events/, events/GROUP/, events/GROUP/NAME/), or only in
 * an event's own. */
enum tf_where { TF_TOP = 1, TF_PER_CPU = 2, TF_BOTH = 3, TF_EVENTS = 4, TF_EVENT_ONE = 8 };

#define TF_STAGE_SIZE 1024

struct tf_reader;
struct raw_reader;

struct tracefs_file {
	const struct tracefs_fops *ops;
	int mode;
	int cpu;            /* per_cpu files: the CPU, else -1 */
	bool wrote;         /* a write succeeded on this open file */
	bool tried;         /* a write was attempted (even if it failed) */
	bool paused;        /* this `trace` reader paused recording */
	size_t cursor;      /* list files: next site or entry; others: 1 once generated */
	uint64_t consumed;  /* trace_pipe: bytes returned so far */
	struct tf_reader *rd;
	struct raw_reader *raw; /* trace_pipe_raw, trace_raw */
	uint64_t events;    /* files under events/: the events (bit per id) the file covers */
	size_t stage_off, stage_len;
	char stage[TF_STAGE_SIZE];
	char err[FILTER_TOKEN_MAX + 64];
};

/* One file's operations. Every handler is optional. */
struct tracefs_fops {
	const char *name;
	int modes;           /* TF_RO, TF_RW or TF_WO */
	enum tf_where where;
	/* Kind-specific work of an open (clearing `trace`, starting a reader): 0 or a negative
	 * error, and then the open fails. */
	int (*open)(struct tracefs_file *f);
	/* Reads a file whose text is not made by show(); takes tf_lock itself if needed. */
	long (*read)(struct tracefs_file *f, char *buf, size_t len);
	/* A small file's text, made into the stage: the whole text once per open (seq_file's
	 * show), or, with `lines`, the next line per call (f->cursor says where), 0 at the end. */
	size_t (*show)(struct tracefs_file *f, char *s, size_t cap);
	bool lines;
	/* One complete write: 0, or a negative error with the reason given by tf_fail(). No
	 * write handler: the file is read-only. */
	int (*write)(struct tracefs_file *f, const char *buf, size_t len);
	/* A file opened with `>` and closed without a write gets an empty one
	 * (`echo > set_ftrace_filter` empties the set). */
	bool empty_write_on_close;
	void (*release)(struct tracefs_file *f);
	int arg; /* which set or list, for handlers shared by several files */
};

#define TF_MAX_FILES 32 /* entries the table may have (tracefs_files() lists them) */
#define TF_MAX_EVENT_FILES 128 /* names below events/ tracefs_files() lists */
extern const struct tracefs_fops tracefs_table[];
extern const size_t tracefs_table_len;

/* ---- shared by the handlers (trace/tracefs.c) ---- */

/* State of the files, under tf_lock. */
struct tf_state {
	bool pause_on_trace; /* option pause-on-trace: on by default here */
	bool markers;        /* option markers: trace_marker accepts writes */
	bool user_on;        /* tracing_on as last written, while readers pause recording */
	unsigned pausers;    /* `trace` readers pausing recording */
	unsigned readers;    /* open trace / trace_pipe readers: no resize meanwhile */
};
extern struct tf_state tf;

void *tf_zalloc(size_t n);
void tf_free(void *p);
void tf_lock(void);
void tf_unlock(void);

/* Notes why a write failed (tracefs_error()) and returns err. */
int tf_fail(struct tracefs_file *f, int err, const char *why);
bool tf_is_space(char c);
/* Trims whitespace around buf[0..*len); returns the start. */
const char *tf_trim(const char *buf, size_t *len);
/* A whole write as one unsigned decimal number (kstrtoul-like): 0 or -EINVAL. */
int tf_parse_u64(const char *buf, size_t len, uint64_t *v);
/* The same for a number file's write: on -EINVAL the reason is noted. */
int tf_number(struct tracefs_file *f, const char *buf, size_t len, uint64_t *v);
bool tf_word_is(const char *s, size_t len, const char *word);
/* The CPUs with a buffer (at most TRACE_MAX_CPUS). */
unsigned tf_ncpus(void);
/* The first write of a `>` open replaces; `>>` and later writes append, as in Linux. */
bool tf_truncating(const struct tracefs_file *f);

/* ---- tracing_on and pause-on-trace (trace/tracefs_trace.c) ---- */

bool tf_tracing_on(void);
void tf_set_tracing_on(bool on);
/* pause-on-trace: a snapshot reader (trace, trace_raw) stops recording while it is open. */
void tf_pause_get(struct tracefs_file *f);
void tf_pause_put(struct tracefs_file *f);
/* A blocking trace_pipe with nothing to read waits here (the kernel sleeps a tick). */
void tracefs_wait(void);

/* ---- patching (trace/tracefs_lists.c) ---- */

/* A patch_apply() selector of no site. */
bool tf_want_none(uint64_t ip, void *arg);

/* ---- the handlers, by file ---- */

/* trace, trace_pipe (trace/tracefs_trace.c) */
int tf_trace_open(struct tracefs_file *f);
long tf_trace_read(struct tracefs_file *f, char *buf, size_t len);
int tf_trace_write(struct tracefs_file *f, const char *buf, size_t len);
int tf_pipe_open(struct tracefs_file *f);
long tf_pipe_read(struct tracefs_file *f, char *buf, size_t len);
void tf_reader_release(struct tracefs_file *f);

/* settings (trace/tracefs_ctl.c) */
size_t tf_tracing_on_show(struct tracefs_file *f, char *s, size_t cap);
int tf_tracing_on_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_tracer_show(struct tracefs_file *f, char *s, size_t cap);
int tf_tracer_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_tracers_show(struct tracefs_file *f, char *s, size_t cap);
size_t tf_bufsize_show(struct tracefs_file *f, char *s, size_t cap);
int tf_bufsize_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_buftotal_show(struct tracefs_file *f, char *s, size_t cap);
size_t tf_max_depth_show(struct tracefs_file *f, char *s, size_t cap);
int tf_max_depth_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_thresh_show(struct tracefs_file *f, char *s, size_t cap);
int tf_thresh_write(struct tracefs_file *f, const char *buf, size_t len);
int tf_marker_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_stats_show(struct tracefs_file *f, char *s, size_t cap);
/* trace/tracefs_profile.c */
size_t tf_profile_freq_show(struct tracefs_file *f, char *s, size_t cap);
int tf_profile_freq_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_profile_stats_show(struct tracefs_file *f, char *s, size_t cap);
size_t tf_alloc_every_show(struct tracefs_file *f, char *s, size_t cap);
int tf_alloc_every_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_stack_table_show(struct tracefs_file *f, char *s, size_t cap);
/* "ID DEPTH PC..." of stack id, as stack_table and raw_header list it; 0 if undefined. */
size_t profile_stack_line(char *s, size_t cap, uint32_t id);

/* the raw transport: trace_pipe_raw, trace_raw, raw_header (trace/tracefs_raw.c) */
int tf_raw_pipe_open(struct tracefs_file *f);
long tf_raw_pipe_read(struct tracefs_file *f, char *buf, size_t len);
int tf_raw_pipe_write(struct tracefs_file *f, const char *buf, size_t len);
int tf_raw_snapshot_open(struct tracefs_file *f);
long tf_raw_snapshot_read(struct tracefs_file *f, char *buf, size_t len);
void tf_raw_release(struct tracefs_file *f);
size_t tf_raw_header_show(struct tracefs_file *f, char *s, size_t cap);

/* trace events (trace/tracefs_events.c) */
size_t tf_available_events_show(struct tracefs_file *f, char *s, size_t cap);
size_t tf_set_event_show(struct tracefs_file *f, char *s, size_t cap);
int tf_set_event_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_event_enable_show(struct tracefs_file *f, char *s, size_t cap);
int tf_event_enable_write(struct tracefs_file *f, const char *buf, size_t len);
size_t tf_event_id_show(struct tracefs_file *f, char *s, size_t cap);
/* The events a path below events/ covers ("enable", "GROUP/enable", "GROUP/NAME/id"...),
 * 0 if it names none; *file is set to its last component. */
uint64_t tf_events_of_path(const char *path, const char **file);
/* Name number i of the files below events/ (into buf), NULL past the last. */
const char *tf_events_list(unsigned i, char *buf, size_t cap);

/* trace_options (trace/tracefs_options.c) */
size_t tf_options_show(struct tracefs_file *f, char *s, size_t cap);
int tf_options_write(struct tracefs_file *f, const char *buf, size_t len);

/* function lists and pid lists (trace/tracefs_lists.c); arg says which */
enum tf_list { TF_LIST_ALL, TF_LIST_FILTER, TF_LIST_NOTRACE, TF_LIST_GRAPH,
	       TF_LIST_GRAPH_NOTRACE };
size_t tf_functions_show(struct tracefs_file *f, char *s, size_t cap);
int tf_filter_write(struct tracefs_file *f, const char *buf, size_t len);
enum tf_pids { TF_PIDS_TRACE, TF_PIDS_NOTRACE };
size_t tf_pids_show(struct tracefs_file *f, char *s, size_t cap);
int tf_pids_write(struct tracefs_file *f, const char *buf, size_t len);

#endif
