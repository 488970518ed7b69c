/* Which received frames belong to the trace server's connections. The network thread's
 * work for such a frame (its copy into a pbuf, lwIP's input processing, the callbacks, and
 * the segments the acknowledgement it carries lets lwIP send) is the trace server's own
 * work: without this, streaming trace_pipe makes the network thread write more trace than
 * the stream carries away. Such work is recorded only with the trace-server option
 * (trace/trace.h). A frame is classified by its TCP destination port: every connection a
 * marked listener accepts serves the trace, so the port names them all, and the check
 * needs no lookup in lwIP's pcb lists. */
#include "net/internal.h"

#define TRACE_PORTS_MAX 4

static uint16_t trace_ports[TRACE_PORTS_MAX];
static unsigned n_trace_ports;

/* Called at boot, before the listener's first connection: no lock needed by readers. */
void net_port_serves_trace(uint16_t port)
{
	if (n_trace_ports < TRACE_PORTS_MAX)
		trace_ports[n_trace_ports++] = port;
}

bool net_frame_serves_trace(const struct net_tcp_frame *t)
{
	for (unsigned i = 0; i < n_trace_ports; i++)
		if (trace_ports[i] == t->dst_port)
			return true;
	return false;
}
