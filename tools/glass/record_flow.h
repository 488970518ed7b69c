/* glass record's flow control (the guest's trace option flow-control, trace/flow.h): on
 * while recording, so that the guest's writers wait for the recording instead of dropping
 * events when it falls behind; back to what it was afterwards. */
#ifndef TOOLS_GLASS_RECORD_FLOW_H
#define TOOLS_GLASS_RECORD_FLOW_H

#include <stdbool.h>
#include "tools/glass/http.h"

/* Turns the option on. Returns 0 (*was_on: it was on already), or -1 after a message
 * (none if quiet) when the guest does not have it (an older guest: the recording goes on
 * without). */
int record_flow_on(struct http_conn *c, bool quiet, bool *was_on);
/* Turns it off again (unless was_on): parked writers go on at once. */
void record_flow_restore(struct http_conn *c, bool was_on);

#endif
