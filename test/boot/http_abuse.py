#!/usr/bin/env python3
"""Raw-socket HTTP tests against the guest's servers (127.0.0.1 only).

Usage: http_abuse.py abuse HTTP_PORT APP_PORT HEALTH_PATH HEALTH_STATUS [SLOTS]
       http_abuse.py leak HTTP_PORT APP_PORT COUNT
       http_abuse.py overload HTTP_PORT PATH CLIENTS SLOT_WAIT_BOUND_SECONDS

Prints one "ok - name" or "not ok - name: reason" line per case and exits 1 if any failed.
Every malformed, oversized, truncated or slow request is followed by a check that
HEALTH_PATH on the HTTP port still answers with HEALTH_STATUS: the server keeps serving.
"""
import hashlib
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
failed = False


def ok(name):
    print("ok - " + name, flush=True)


def not_ok(name, why):
    global failed
    failed = True
    print("not ok - %s: %s" % (name, why), flush=True)


def connect(port, timeout=10):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_all(s, limit=1 << 20):
    """Reads until the peer closes, the limit, or a timeout; returns the bytes."""
    data = b""
    try:
        while len(data) < limit:
            b = s.recv(65536)
            if not b:
                break
            data += b
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def status_of(data):
    """The status code of the first response in data, or None."""
    if not data.startswith(b"HTTP/1.1 "):
        return None
    try:
        return int(data[9:12])
    except ValueError:
        return None


def exchange(port, payload, halfclose=False, timeout=15):
    s = connect(port, timeout)
    try:
        s.sendall(payload)
        if halfclose:
            s.shutdown(socket.SHUT_WR)
        return read_all(s)
    finally:
        s.close()


def health(port, path, want):
    req = ("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path).encode()
    try:
        got = status_of(exchange(port, req))
    except OSError as e:
        got = str(e)
    if got != want:
        print("# health check of %s: got %s" % (path, got), flush=True)
    return got == want


def case(name, port, payload, want, hp, halfclose=False):
    """Sends payload, expects status want, then that hp = (path, status) still answers."""
    try:
        got = status_of(exchange(port, payload, halfclose))
    except OSError as e:
        got = "error %s" % e
    if got != want:
        not_ok(name, "got %s, want %s" % (got, want))
    elif not health(port, *hp):
        not_ok(name, "server stopped answering %s afterwards" % hp[0])
    else:
        ok(name)


H = b"Host: t\r\n"
LONG_LINE = b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\n" + H + b"\r\n"
BIG_HEAD = b"GET / HTTP/1.1\r\n" + H + b"".join(b"X-%d: %s\r\n" % (i, b"v" * 200) for i in range(50)) + b"\r\n"
MALFORMED = [
    ("garbage line", b"HELLO\r\n\r\n", 400),
    ("binary junk", bytes(range(1, 32)) * 4 + b"\r\n\r\n", 400),
    ("tls client hello", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 32 + b"\r\n", 400),
    ("missing host", b"GET / HTTP/1.1\r\n\r\n", 400),
    ("bad escape", b"GET /%zz HTTP/1.1\r\n" + H + b"\r\n", 400),
    ("obs-fold", b"GET / HTTP/1.1\r\n" + H + b"X: a\r\n b\r\n\r\n", 400),
    ("conflicting lengths", b"PUT /x HTTP/1.1\r\n" + H + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    ("chunked body", b"POST /x HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", 411),
    ("body too large", b"PUT /ftrace/trace_marker HTTP/1.1\r\n" + H + b"Content-Length: 70000\r\n\r\n", 413),
    ("request line too long", LONG_LINE, 414),
    ("head too large", BIG_HEAD, 431),
    ("unknown expectation", b"PUT /x HTTP/1.1\r\n" + H + b"Expect: 200-ok\r\n\r\n", 417),
    ("unknown method", b"BREW /pot HTTP/1.1\r\n" + H + b"\r\n", 501),
    ("http/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
    ("unknown path", b"GET /no/such/thing HTTP/1.1\r\n" + H + b"\r\n", 404),
    ("write to read-only index", b"PUT / HTTP/1.1\r\n" + H + b"Content-Length: 0\r\n\r\n", 405),
]


def malformed_batch(port, hp):
    for name, payload, want in MALFORMED:
        case("malformed: %s -> %d" % (name, want), port, payload, want, hp)


def truncated(port, hp):
    # Half-closed in the middle of the head: 400. In the middle of a body: 400.
    case("truncated head then half-close -> 400", port, b"GET / HTTP/1.1\r\nHo", 400, hp, halfclose=True)
    case("truncated body then half-close -> 400", port,
         b"PUT /x HTTP/1.1\r\n" + H + b"Content-Length: 10\r\n\r\nabc", 400, hp, halfclose=True)
    # Closed outright mid-request: nothing to answer, the server must just carry on.
    s = connect(port)
    s.sendall(b"GET / HTTP/1.1\r\nHost")
    s.close()
    if health(port, *hp):
        ok("client closes mid-request")
    else:
        not_ok("client closes mid-request", "server stopped answering")


def slow(port, hp):
    # A byte every 50 ms (about 2 s in all) is still served.
    req = b"GET / HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n"
    s = connect(port, 20)
    for b in req:
        s.send(bytes([b]))
        time.sleep(0.05)
    got = status_of(read_all(s))
    s.close()
    if got == 200 and health(port, *hp):
        ok("slow request, one byte at a time -> 200")
    else:
        not_ok("slow request, one byte at a time", "got %s" % got)
    # A head that never completes: 408 after the head deadline (10 s), meanwhile others
    # are served.
    s = connect(port, 30)
    s.sendall(b"GET / HTTP/1.1\r\n")
    start = time.time()
    misses = []
    while time.time() - start < 12:
        try:
            s.send(b"X-Slow: 1\r\n")
        except OSError:
            break
        if not health(port, *hp):
            misses.append("%.1fs" % (time.time() - start))
        time.sleep(1)
    got = status_of(read_all(s))
    s.close()
    if got == 408 and not misses:
        ok("slowloris head -> 408 while others are served")
    else:
        not_ok("slowloris head", "got %s, health checks failed at %s" % (got, misses))


def pipelined(port):
    two = b"GET / HTTP/1.1\r\n" + H + b"\r\n" + b"GET /nope HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n"
    data = exchange(port, two)
    second = data.find(b"HTTP/1.1 ", 1)
    if status_of(data) == 200 and second > 0 and status_of(data[second:]) == 404:
        ok("two pipelined requests get two responses in order")
    else:
        not_ok("pipelined requests", repr(data[:200]))


def half_close_request(app_port):
    data = exchange(app_port, b"GET /bytes/100000 HTTP/1.1\r\n" + H + b"\r\n", halfclose=True)
    body = data[data.find(b"\r\n\r\n") + 4:]
    if status_of(data) == 200 and body == pattern(100000):
        ok("request then half-close: full response delivered")
    else:
        not_ok("request then half-close", "status %s, %d bytes" % (status_of(data), len(data)))


def pattern(n):
    return b"".join(b"%015x\n" % k for k in range((n + 15) // 16))[:n]


def resets(app_port, http_port, hp):
    # Reset in the middle of a large response, ten times.
    for _ in range(10):
        s = connect(app_port)
        s.sendall(b"GET /bytes/50000000 HTTP/1.1\r\n" + H + b"\r\n")
        s.recv(10000)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    time.sleep(1)
    data = exchange(app_port, b"GET /bytes/1000 HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n")
    if status_of(data) == 200 and data.endswith(pattern(1000)) and health(http_port, *hp):
        ok("client resets during large responses, server goes on")
    else:
        not_ok("client resets", repr(data[:100]))


def many_connections(port, count):
    """Failed requests of `count` one after another, each saying how it failed."""
    req = b"GET / HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n"
    bad = []
    for i in range(count):
        start = time.time()
        try:
            data = exchange(port, req)
            status = status_of(data)
            why = "status %s, %d bytes" % (status, len(data))
        except OSError as e:
            status, why = None, str(e)
        if status != 200:
            bad.append("port %d #%d: %s after %.1f s" % (port, i, why, time.time() - start))
    return bad


def concurrent(port, path, clients):
    """`clients` simultaneous requests: for each, its status, the seconds it took and how
    many connections it needed."""
    req = ("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path).encode()
    results = []

    def one():
        start = time.time()
        # QEMU's hostfwd socket listens with a backlog of 1 (`ss -ltn`): in a burst the
        # host drops SYNs (the client resends after 1, 3, 7 s) or the handshake's last ACK,
        # and then a connection that looks open to the client never reaches QEMU, let alone
        # the guest. Such a connection stays silent: try again, as a browser would. (Every
        # request glass receives must be answered: the 2000-connection test checks that.)
        for attempt in range(1, 4):
            try:
                data = exchange(port, req, timeout=15)
            except OSError:
                data = b""
            if data:
                break
        results.append((status_of(data), time.time() - start, attempt))

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def wait_idle(port, secs=20):
    # Connections of earlier tests (a slow client waiting for its 408) may still hold
    # slots; one freed during the next test would make its count wrong.
    deadline = time.time() + secs
    while time.time() < deadline:
        try:
            if net_stats(port)["httpd_busy"] <= 1:  # the stats request itself
                return
        except (OSError, KeyError, ValueError):
            pass
        time.sleep(0.5)


def fill_and_probe(port, slots):
    """Holds every slot with a connection that sends nothing, then probes: the status the
    probe gets (503 when the server is full)."""
    # The server keeps an idle connection for 15 s; the probe waits 2 s for a slot before
    # its 503. QEMU's hostfwd socket listens with a backlog of 1 and then hands
    # connections to the guest one at a time, after connect() returned here: wait until
    # the server holds them all (the stats request takes the last slot while it is
    # answered), then take that slot too.
    wait_idle(port)
    t0 = time.time()
    held = [connect(port, 20) for _ in range(slots - 1)]
    while time.time() < t0 + 10:
        try:
            if net_stats(port)["httpd_busy"] >= slots:
                break
        except (OSError, KeyError, ValueError):
            pass
        time.sleep(0.2)
    held.append(connect(port, 20))
    # That last one may still be on its way to the guest: a probe that finds its slot
    # free is answered 200 and closed; probe again while the held ones surely stay.
    while True:
        time.sleep(1)
        try:
            got = status_of(exchange(port, b"GET / HTTP/1.1\r\n" + H +
                                     b"Connection: close\r\n\r\n"))
        except OSError as e:
            got = str(e)
        if got != 200 or time.time() > t0 + 11:
            break
    for s in held:
        s.close()
    return got


def slots_full(port, slots, hp):
    # When the connections reach the guest too slowly (a busy host), the first held ones
    # time out before the last arrive, and a slot is free: fill the slots again.
    for attempt in range(3):
        got = fill_and_probe(port, slots)
        if got != 200:
            break
        print("# slots full: attempt %d found a slot free (connections reached the guest "
              "too slowly)" % (attempt + 1), flush=True)
    time.sleep(1)
    if got == 503 and health(port, *hp):
        ok("all %d slots busy -> 503, then served again" % slots)
    else:
        not_ok("slots full", "got %s" % got)


def net_stats(port):
    data = exchange(port, b"GET /net/stats HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n")
    body = data[data.find(b"\r\n\r\n") + 4:].decode()
    return dict((k, int(v)) for k, v in (line.split() for line in body.splitlines()))


def leak(http_port, app_port, count):
    before = net_stats(http_port)
    start = time.time()
    bad = many_connections(app_port, count) + many_connections(http_port, count)
    secs = time.time() - start
    time.sleep(1)
    after = net_stats(http_port)
    name = "%d connections, one request each, no state left behind" % (2 * count)
    if bad:
        not_ok(name, "%d requests failed: %s; /net/stats: %s" % (len(bad), "; ".join(bad[:5]),
                                                              after))
    elif after["sockets"] != before["sockets"] or after["httpd_busy"] != 1:
        not_ok(name, "sockets %d -> %d, busy slots %d" % (before["sockets"], after["sockets"],
                                                          after["httpd_busy"]))
    elif after["tcp_pcbs"] > 256:
        not_ok(name, "%d tcp pcbs" % after["tcp_pcbs"])
    else:
        ok(name + " (%.0f connections/s, %d pcbs in TIME_WAIT or open, %d reopened from "
                  "TIME_WAIT)" % (2 * count / secs, after["tcp_pcbs"],
                                  after.get("timewait_reopened", 0) -
                                  before.get("timewait_reopened", 0)))


def reused_port(port, hp):
    """A connection from the host port of one the guest still holds in TIME_WAIT (QEMU's
    user network passes the host's source port through, and the host reuses ports long
    before the guest's TIME_WAIT of 2 min ends): it is answered at once."""
    req = b"GET / HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n"
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, 0))
    src = s.getsockname()[1]
    s.settimeout(15)
    s.connect((HOST, port))
    s.sendall(req)
    first = status_of(read_all(s))  # the server closes first: it keeps the TIME_WAIT
    s.close()
    time.sleep(0.5)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, src))
    s.settimeout(15)
    start = time.time()
    try:
        s.connect((HOST, port))
        s.sendall(req)
        data = s.recv(65536)
    except OSError as e:
        data = b""
    secs = time.time() - start
    s.close()
    name = "a connection from the port of one in TIME_WAIT in the guest is answered at once"
    if first == 200 and status_of(data) == 200 and secs < 5 and health(port, *hp):
        ok("%s (%.2f s)" % (name, secs))
    else:
        not_ok(name, "first %s, then %s after %.1f s" % (first, status_of(data), secs))


def abuse(http_port, app_port, hp, slots):
    reused_port(http_port, hp)
    malformed_batch(http_port, hp)
    truncated(http_port, hp)
    pipelined(http_port)
    slow(http_port, hp)
    slots_full(http_port, slots, hp)
    for port, what in ((http_port, "the HTTP server"), (app_port, "webg")):
        res = concurrent(port, "/", 50)
        slowest = max(secs for _, secs, _ in res)
        again = sum(tries - 1 for _, _, tries in res)
        if [status for status, _, _ in res].count(200) == 50:
            ok("50 concurrent clients on %s (slowest %.1f s, %d silent connections tried "
               "again)" % (what, slowest, again))
        else:
            bad = sorted("%s after %.1f s and %d connections" % r for r in res if r[0] != 200)
            not_ok("50 concurrent clients on " + what, "%s; /net/stats: %s" % (
                ", ".join(bad), net_stats(http_port)))
    half_close_request(app_port)
    resets(app_port, http_port, hp)


def timed_exchange(port, req, silent_after):
    """One request on a new connection: (data, seconds from connect to the first byte,
    seconds to the end). data is b"" when the connection stayed silent."""
    s = connect(port, silent_after)
    start = time.time()
    first = None
    data = b""
    try:
        s.sendall(req)
        while True:
            b = s.recv(65536)
            if not b:
                break
            if first is None:
                first = time.time() - start
                s.settimeout(120)
            data += b
    except (socket.timeout, ConnectionResetError):
        pass
    finally:
        if not data:
            # Given up: reset it, so that a connection the host kernel still holds
            # half-open is dropped there and does not reach the guest later (26 s later
            # was seen), where it would count as accepted after the test.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    return data, first, time.time() - start


def slot_wait(head):
    """The slot wait the server reports (Server-Timing: slot-wait;dur=MS) in seconds, or
    None."""
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"server-timing: slot-wait;dur="):
            try:
                return float(line.split(b"=", 1)[1]) / 1000
            except ValueError:
                return None
    return None


def overload(port, path, clients, bound):
    """`clients` simultaneous requests for path: every one is answered, 200 or 503 with
    Retry-After, after waiting for a slot at most `bound` seconds in the guest (the server
    says how long in Server-Timing: the time a connection spends in QEMU's host socket
    before it reaches the guest is not the guest's; it is reported as a figure). A
    connection that stays silent for 15 s is made again, as a real client would: QEMU's
    hostfwd socket (backlog 1) can lose a connection before it reaches QEMU. That no
    connection reached the guest without an answer is checked with the guest's count of
    accepted connections."""
    req = ("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" % path).encode()
    results = []

    def one():
        silent = 0
        for _ in range(3):
            try:
                data, first, total = timed_exchange(port, req, 15)
            except OSError:
                data, first, total = b"", None, 0.0
            if data:
                break
            silent += 1
        head = data[:data.find(b"\r\n\r\n")] if data else b""
        results.append((status_of(data), first, total, silent,
                        b"\r\nRetry-After: " in head, slot_wait(head)))

    before = net_stats(port)
    threads = [threading.Thread(target=one) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = net_stats(port)
    name = "%d clients of %s at once: each answered after a slot wait of at most %g s" % (
        clients, path, bound)
    answered = [r for r in results if r[0] in (200, 503)]
    bad = ["%s (silent %d times)" % (r[0], r[3]) for r in results if r[0] not in (200, 503)]
    late = sorted("%s after waiting %s s" % (r[0], r[5]) for r in answered
                  if r[5] is None or r[5] > bound)
    early = sorted("503 after waiting %.2f s" % r[5] for r in answered
                   if r[0] == 503 and r[5] is not None and r[5] < 1.9)
    no_retry_after = sum(1 for r in answered if r[0] == 503 and not r[4])
    # The guest accepted the connections that got an answer, the `after` stats request and
    # nothing else, but for silent connections that reached it after the client gave up.
    silent = sum(r[3] for r in results)
    lost = max(0, after["accepted"] - before["accepted"] - len(answered) - 1 - silent)
    n200 = sum(1 for r in answered if r[0] == 200)
    figures = "%d x 200, %d x 503; slot wait at most %.2f s; first byte at most %.1f s " \
        "after connecting, all done in %.1f s; %d silent connections made again" % (
            n200, len(answered) - n200, max([r[5] or 0 for r in answered] or [0]),
            max([r[1] for r in answered] or [0]), max([r[2] for r in answered] or [0]),
            silent)
    if bad or late or early or no_retry_after or lost or \
            after["refused"] != before["refused"]:
        not_ok(name, "%s; unanswered: %s; waited too long: %s; refused early: %s; 503 "
               "without Retry-After: %d; reached the guest unanswered: %d; reset by the "
               "guest: %d" % (figures, bad, late, early, no_retry_after, lost,
                              after["refused"] - before["refused"]))
    else:
        ok("%s (%s)" % (name, figures))


def main():
    mode, http_port = sys.argv[1], int(sys.argv[2])
    app_port = int(sys.argv[3]) if mode != "overload" else None
    if mode == "leak":
        leak(http_port, app_port, int(sys.argv[4]))
    elif mode == "overload":
        overload(http_port, sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        hp = (sys.argv[4], int(sys.argv[5]))
        abuse(http_port, app_port, hp, int(sys.argv[6]) if len(sys.argv) > 6 else 64)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
