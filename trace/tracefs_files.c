/* The tracefs files: one entry each, in the order `GET /ftrace/` lists them (the top
 * files, then per_cpu/cpuN/ ones for each CPU). A new file is one entry here plus its
 * handlers (trace/tracefs_file.h says what each one does). */
#include "trace/tracefs_file.h"

const struct tracefs_fops tracefs_table[] = {
	{ .name = "trace", .modes = TF_RW, .where = TF_BOTH, .open = tf_trace_open,
	  .read = tf_trace_read, .write = tf_trace_write, .release = tf_reader_release },
	{ .name = "trace_pipe", .modes = TF_RO, .where = TF_BOTH, .open = tf_pipe_open,
	  .read = tf_pipe_read, .release = tf_reader_release },
	{ .name = "tracing_on", .modes = TF_RW, .where = TF_TOP, .show = tf_tracing_on_show,
	  .write = tf_tracing_on_write },
	{ .name = "current_tracer", .modes = TF_RW, .where = TF_TOP, .show = tf_tracer_show,
	  .write = tf_tracer_write },
	{ .name = "available_tracers", .modes = TF_RO, .where = TF_TOP,
	  .show = tf_tracers_show },
	{ .name = "buffer_size_kb", .modes = TF_RW, .where = TF_TOP, .show = tf_bufsize_show,
	  .write = tf_bufsize_write },
	{ .name = "buffer_total_size_kb", .modes = TF_RO, .where = TF_TOP,
	  .show = tf_buftotal_show },
	{ .name = "set_ftrace_filter", .modes = TF_RW, .where = TF_TOP,
	  .show = tf_functions_show, .lines = true, .write = tf_filter_write,
	  .empty_write_on_close = true, .arg = TF_LIST_FILTER },
	{ .name = "set_ftrace_notrace", .modes = TF_RW, .where = TF_TOP,
	  .show = tf_functions_show, .lines = true, .write = tf_filter_write,
	  .empty_write_on_close = true, .arg = TF_LIST_NOTRACE },
	{ .name = "set_ftrace_pid", .modes = TF_RW, .where = TF_TOP, .show = tf_pids_show,
	  .write = tf_pids_write, .empty_write_on_close = true, .arg = TF_PIDS_TRACE },
	{ .name = "set_ftrace_notrace_pid", .modes = TF_RW, .where = TF_TOP,
	  .show = tf_pids_show, .write = tf_pids_write, .empty_write_on_close = true,
	  .arg = TF_PIDS_NOTRACE },
	{ .name = "available_filter_functions", .modes = TF_RO, .where = TF_TOP,
	  .show = tf_functions_show, .lines = true, .arg = TF_LIST_ALL },
	{ .name = "set_graph_function", .modes = TF_RW, .where = TF_TOP,
	  .show = tf_functions_show, .lines = true, .write = tf_filter_write,
	  .empty_write_on_close = true, .arg = TF_LIST_GRAPH },
	{ .name = "set_graph_notrace", .modes = TF_RW, .where = TF_TOP,
	  .show = tf_functions_show, .lines = true, .write = tf_filter_write,
	  .empty_write_on_close = true, .arg = TF_LIST_GRAPH_NOTRACE },
	{ .name = "max_graph_depth", .modes = TF_RW, .where = TF_TOP,
	  .show = tf_max_depth_show, .write = tf_max_depth_write },
	{ .name = "tracing_thresh", .modes = TF_RW, .where = TF_TOP, .show = tf_thresh_show,
	  .write = tf_thresh_write },
	{ .name = "trace_options", .modes = TF_RW, .where = TF_TOP, .show = tf_options_show,
	  .write = tf_options_write },
	{ .name = "trace_marker", .modes = TF_WO, .where = TF_TOP, .write = tf_marker_write },
	{ .name = "stats", .modes = TF_RO, .where = TF_PER_CPU, .show = tf_stats_show },
};

const size_t tracefs_table_len = sizeof(tracefs_table) / sizeof(tracefs_table[0]);
_Static_assert(sizeof(tracefs_table) / sizeof(tracefs_table[0]) <= TF_MAX_FILES,
	       "tracefs_files() lists at most TF_MAX_FILES files");
