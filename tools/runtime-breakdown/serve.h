/* The --serve interactive report (see serve.c). */
#ifndef TOOLS_RB_SERVE_H
#define TOOLS_RB_SERVE_H

#include "tools/runtime-breakdown/opts.h"

/* Serves until SIGINT or SIGTERM; returns the exit status. */
int serve_run(struct rb_opts *o);

#endif
