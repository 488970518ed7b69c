#!/usr/bin/env python3
"""A trace_pipe_raw reader that can die at a chosen point and resume (docs/raw-transport.md).

  raw_client.py fetch URL OUT [--follow] [--die-after BYTES]
      Drains URL (.../ftrace/trace_pipe_raw) into OUT, appending. On start it reads OUT back,
      drops a trailing partial frame (what a killed reader left), and asks each CPU's frames
      from the one after its last (from=C:S,...), which also acknowledges what it has. Each
      response is written as it arrives. Ends after a response with no frames (exit 0); with
      --die-after it exits abruptly (status 9) once it received that many bytes, mid-frame
      or not, as a kill would leave it.
  raw_client.py compare SNAPSHOT CAPTURE
      ok/not ok lines: every seq of every CPU once and in order, no GAP, and each CPU's slots
      the same bytes as in SNAPSHOT (a trace_raw of the same buffers), which may end with one
      W_ENTRY more (trace_pipe_raw holds back a last entry that may still become a leaf).
"""
import http.client
import os
import struct
import sys
import urllib.parse

HDR = struct.Struct("<IHHQII")  # magic, version, cpu, seq, len, flags
MAGIC, GAP = 0x57524C47, 1
W_ENTRY = 1


def frames(data):
    """(frames, bytes of whole frames): frames are (cpu, seq, flags, payload)."""
    out, off = [], 0
    while off + HDR.size <= len(data):
        magic, version, cpu, seq, n, flags = HDR.unpack_from(data, off)
        if magic != MAGIC or version != 1 or n % 8:
            raise ValueError("bad frame header at byte %d" % off)
        if off + HDR.size + n > len(data):
            break
        out.append((cpu, seq, flags, data[off + HDR.size:off + HDR.size + n]))
        off += HDR.size + n
    return out, off


def load(path):
    """The whole frames of path, after cutting off a partial last one."""
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        data = f.read()
    got, whole = frames(data)
    if whole < len(data):
        with open(path, "r+b") as f:
            f.truncate(whole)
    return got


def fetch(url, out, follow, die_after):
    nxt = {}
    for cpu, seq, _, _ in load(out):
        nxt[cpu] = seq + 1
    u = urllib.parse.urlsplit(url)
    received = 0
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)  # kept alive
    with open(out, "ab") as f:
        while True:
            query = []
            if nxt:
                query.append("from=" + ",".join("%d:%d" % kv for kv in sorted(nxt.items())))
            if follow:
                query.append("follow=1")
            conn.request("GET", u.path + ("?" + "&".join(query) if query else ""))
            resp = conn.getresponse()
            if resp.status != 200:
                sys.exit("raw_client: HTTP %d: %s" % (resp.status, resp.read().decode()[:200]))
            buf, count = b"", 0
            while True:
                chunk = resp.read1(65536)
                if not chunk:
                    break
                if die_after is not None and received + len(chunk) >= die_after:
                    f.write(chunk[:die_after - received])
                    f.flush()
                    os._exit(9)
                received += len(chunk)
                f.write(chunk)
                buf += chunk
                got, whole = frames(buf)
                buf = buf[whole:]
                for cpu, seq, _, _ in got:
                    if cpu in nxt and seq != nxt[cpu]:
                        sys.exit("raw_client: CPU %d seq %d, want %d" % (cpu, seq, nxt[cpu]))
                    nxt[cpu] = seq + 1
                    count += 1
            f.flush()
            if buf:
                sys.exit("raw_client: a response ended inside a frame")
            if count == 0:
                return


def compare(snap_path, cap_path):
    with open(snap_path, "rb") as f:
        snap, _ = frames(f.read())
    with open(cap_path, "rb") as f:
        cap, whole = frames(f.read())
    failed = False

    def result(name, why):
        nonlocal failed
        if why:
            failed = True
            print("not ok - %s: %s" % (name, why))
        else:
            print("ok - %s" % name)

    streams, seqs, why = {}, {}, ""
    for cpu, seq, flags, payload in cap:
        if cpu in seqs and seq != seqs[cpu] + 1:
            why = why or "CPU %d: seq %d after %d" % (cpu, seq, seqs[cpu])
        if flags & GAP:
            why = why or "CPU %d seq %d has GAP" % (cpu, seq)
        seqs[cpu] = seq
        streams.setdefault(cpu, bytearray()).extend(payload)
    result("raw: every sequence number once, in order, no gap (%d frames)" % len(cap), why)
    ref = {}
    for cpu, _, _, payload in snap:
        ref.setdefault(cpu, bytearray()).extend(payload)
    why = ""
    for cpu in sorted(ref):
        a, b = bytes(streams.get(cpu, b"")), bytes(ref[cpu])
        held = len(b) == len(a) + 8 and (struct.unpack_from("<Q", b, len(a))[0] >> 59) & 15 == W_ENTRY
        if a != b and not (held and b.startswith(a)):
            why = why or "CPU %d: %d bytes captured, the snapshot has %d" % (cpu, len(a), len(b))
    result("raw: the resumed capture holds the snapshot's slots byte for byte (%s)" %
           ", ".join("cpu%d %d bytes" % (c, len(ref[c])) for c in sorted(ref)), why)
    return 1 if failed else 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "fetch":
        follow = "--follow" in argv
        die = int(argv[argv.index("--die-after") + 1]) if "--die-after" in argv else None
        fetch(argv[2], argv[3], follow, die)
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        return compare(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
