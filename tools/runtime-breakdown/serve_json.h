/* JSON bodies of the --serve API, computed by re-reading the input files. */
#ifndef TOOLS_RB_SERVE_JSON_H
#define TOOLS_RB_SERVE_JSON_H

#include <stddef.h>

#include "tools/runtime-breakdown/opts.h"

/* {"files":[..],"rows":N,"functions":[names by self time],"threads":[{"tid","label"}],
 *  "cpus":[..],"has_time":bool,"t_min_us":x,"t_max_us":y}; NULL if a file failed. */
char *json_meta(struct rb_opts *o, size_t *len);
/* {"rows":N,"self_sum_us":x,"failed":bool,"time":"the mode line (cputime.h)",
 *  "truncated":bool,"functions":[{name,calls,total_us,...}],
 *  "threads":[{"tid","label","parts":[{"name","self_us"}],"other_us"}],
 *  "waits":{"threads":[{"label","waited_us"}],"paths":[{"label","waited_us","path"}]}} */
char *json_report(struct rb_opts *o, struct select *sel, enum agg_sort sort, size_t *len);

#endif
