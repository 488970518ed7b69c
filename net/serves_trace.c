/* Which received frames belong to the trace server's connections. The network thread's
 * work for such a frame (its copy into a pbuf, lwIP's input processing, the callbacks, and
 * the segments the acknowledgement it carries lets lwIP send) is the trace server's own
 * work: without this, streaming trace_pipe makes the network thread write more trace than
 * the stream carries away. Such work is recorded only with the trace-server option
 * (trace/trace.h). A frame is classified by its TCP destination port: every connection a
 * marked listener accepts serves the trace, so the port names them all, and the check
 * needs no lookup in lwIP's pcb lists. */
#include <stdbool.h>
#include <stdint.h>
#include "net/internal.h"
#include "net/socket.h"

#define TRACE_PORTS_MAX 4

static uint16_t trace_ports[TRACE_PORTS_MAX];
static unsigned n_trace_ports;

/* Called at boot, before the listener's first connection: no lock needed by readers. */
void net_port_serves_trace(uint16_t port)
{
	if (n_trace_ports < TRACE_PORTS_MAX)
		trace_ports[n_trace_ports++] = port;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

bool net_frame_serves_trace(const void *frame, size_t len)
{
	const uint8_t *f = frame;
	size_t ihl;
	uint16_t port;

	if (!n_trace_ports || len < 14 + 20 || be16(f + 12) != 0x0800 || f[14 + 9] != 6)
		return false;   /* not IPv4 carrying TCP */
	ihl = (size_t)(f[14] & 0x0f) * 4;
	if (len < 14 + ihl + 4)
		return false;
	port = be16(f + 14 + ihl + 2);
	for (unsigned i = 0; i < n_trace_ports; i++)
		if (trace_ports[i] == port)
			return true;
	return false;
}
