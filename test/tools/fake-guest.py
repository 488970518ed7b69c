#!/usr/bin/env python3
"""A stand-in for the guest's raw trace server (docs/raw-transport.md), for testing
`glass record` without a VM: serves /ftrace/raw_header and /ftrace/trace_pipe_raw from a
capture file (its header text and frames), with from= acknowledgements, resends of
unacknowledged frames, bounded chunked answers, keep-alive, and broken connections at
random points when asked (--break P: probability per answer), and frames the client
already acknowledged sent again (--resend N per answer: a reader must drop them).

usage: fake-guest.py CAPTURE PORTFILE [--break P] [--seed S] [--per-answer N] [--resend N]
                     [--delay SECONDS] [--log FILE] [--off]
--log FILE: appends each request's path to FILE. --off: /ftrace/tracing_on says 0.
Writes the port it listens on to PORTFILE, serves until killed."""
import random
import socket
import struct
import sys
import threading
import time


def read_capture(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'GLASSCAP'
    hlen = struct.unpack_from('<I', data, 12)[0]
    header = data[16:16 + hlen]
    off = 16 + hlen
    frames = {}
    while off < len(data):
        magic, = struct.unpack_from('<I', data, off)
        if magic != 0x57524c47:
            break
        cpu, seq, length = struct.unpack_from('<HQI', data, off + 6)
        frames.setdefault(cpu, []).append((seq, data[off:off + 24 + length]))
        off += 24 + length
    return header, frames


def main():
    args = sys.argv[1:]
    cap, portfile = args[0], args[1]
    p_break = float(args[args.index('--break') + 1]) if '--break' in args else 0.0
    seed = int(args[args.index('--seed') + 1]) if '--seed' in args else 1
    per_answer = int(args[args.index('--per-answer') + 1]) if '--per-answer' in args else 7
    resend = int(args[args.index('--resend') + 1]) if '--resend' in args else 0
    delay = float(args[args.index('--delay') + 1]) if '--delay' in args else 0.0
    log = args[args.index('--log') + 1] if '--log' in args else None
    off = '--off' in args
    rnd = random.Random(seed)
    header, frames = read_capture(cap)
    acked = {cpu: 0 for cpu in frames}  # index of the oldest unacknowledged frame
    lock = threading.Lock()

    def answer(conn, path):
        if log:
            with lock, open(log, 'a') as f:
                f.write(path + '\n')
        if path == '/ftrace/raw_header':
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % len(header) + header)
            return True
        if path == '/ftrace/tracing_on':
            on = b'0\n' if off else b'1\n'
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n' + on)
            return True
        file, _, query = path.partition('?')
        only = None  # per_cpu/cpuN/trace_pipe_raw: CPU N alone, from=S
        if file.startswith('/ftrace/per_cpu/cpu') and file.endswith('/trace_pipe_raw'):
            only = int(file[len('/ftrace/per_cpu/cpu'):-len('/trace_pipe_raw')])
        elif file != '/ftrace/trace_pipe_raw':
            conn.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
            return True
        start = {}
        for kv in query.split('&'):
            k, _, v = kv.partition('=')
            if k == 'from':
                for item in v.split(','):
                    c, _, s = item.rpartition(':')
                    start[int(c) if c else only] = int(s)
        time.sleep(delay)  # a slow guest: a killed reader dies mid-stream
        with lock:
            body = b''
            for cpu, fl in frames.items():
                if only is not None and cpu != only:
                    continue
                if cpu in start:  # acknowledge everything below the seq asked for
                    while acked[cpu] < len(fl) and fl[acked[cpu]][0] < start[cpu]:
                        acked[cpu] += 1
                first = max(0, acked[cpu] - resend)
                for seq, raw in fl[first:acked[cpu] + per_answer]:
                    body += raw
        chunks = b''
        pos = 0
        while pos < len(body):
            n = rnd.randint(1, 3000)
            piece = body[pos:pos + n]
            chunks += b'%x\r\n' % len(piece) + piece + b'\r\n'
            pos += n
        chunks += b'0\r\n\r\n'
        out = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + chunks
        if rnd.random() < p_break:  # the connection breaks somewhere in the answer
            conn.sendall(out[:rnd.randint(0, len(out) - 1)])
            return False
        conn.sendall(out)
        return True

    def serve(conn):
        buf = b''
        try:
            while True:
                while b'\r\n\r\n' not in buf:
                    d = conn.recv(4096)
                    if not d:
                        return
                    buf += d
                req, _, buf = buf.partition(b'\r\n\r\n')
                path = req.split(b'\r\n')[0].split(b' ')[1].decode()
                if not answer(conn, path):
                    return
        except OSError:
            pass
        finally:
            conn.close()

    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', 0))
    s.listen(8)
    with open(portfile, 'w') as f:
        f.write('%d\n' % s.getsockname()[1])
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
