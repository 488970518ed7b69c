/* The packet stream of a Perfetto trace file: each TracePacket is framed as field 1 of
 * the Trace message ("0A len packet"). Packets gather in a chunk that is written either as
 * is or as one zstd_compressed_packets (TracePacket field 133) packet, so memory stays at
 * one chunk whatever the trace length. */
#ifndef TOOLS_PARSE_TRACE_PFSTREAM_H
#define TOOLS_PARSE_TRACE_PFSTREAM_H

#include <stdbool.h>

#include "tools/lib/output.h"
#include "tools/parse-trace/pbwrite.h"

struct pf_stream;

struct pf_stream *pf_stream_new(struct output *out, bool zstd);
void pf_stream_packet(struct pf_stream *s, const struct pbuf *packet);
/* Writes the last chunk and frees the stream. */
void pf_stream_close(struct pf_stream *s);

#endif
