/* Network events (net:net_io): bytes sent or received on a connection, with the stack of
 * the thread that moved them (trace/profile_format.h). Called by net/socket.c through
 * trace/trace.h's inline check. */
#include <string.h>
#include "trace/events.h"
#include "trace/profile.h"
#include "trace/profile_format.h"
#include "trace/trace.h"

__attribute__((noinline)) void trace_net_io_record(uint32_t laddr, uint16_t lport,
						   uint32_t raddr, uint16_t rport, size_t bytes,
						   bool tx, uint8_t proto)
{
	struct ev_net_io e;

	e.stack_id = profile_current_stack(2); /* from the socket call (net_send, net_recv) */
	e.bytes = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
	memcpy(e.laddr, &laddr, 4);
	memcpy(e.raddr, &raddr, 4);
	e.lport = lport;
	e.rport = rport;
	e.dir = tx;
	e.proto = proto;
	trace_event_write(EV_NET_IO, &e, sizeof(e));
}
