/* The TCP header fields of a received Ethernet frame, read before lwIP sees the frame (for
 * the decisions net/ makes per frame: serves_trace.c, timewait.c). */
#include "net/internal.h"

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool net_tcp_frame(const void *frame, size_t len, struct net_tcp_frame *out)
{
	const uint8_t *f = frame, *ip = f + 14, *tcp;
	size_t ihl;

	if (len < 14 + 20 || be16(f + 12) != 0x0800 || (ip[0] >> 4) != 4 || ip[9] != 6)
		return false;   /* not IPv4 carrying TCP */
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20 || len < 14 + ihl + 20)
		return false;
	tcp = ip + ihl;
	*out = (struct net_tcp_frame){
		.src_ip = be32(ip + 12), .dst_ip = be32(ip + 16),
		.src_port = be16(tcp), .dst_port = be16(tcp + 2),
		.seq = be32(tcp + 4), .flags = tcp[13],
	};
	return true;
}
