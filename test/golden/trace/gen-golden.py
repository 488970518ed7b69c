#!/usr/bin/env python3
"""Writes the printer goldens listed in cases.txt.

This is a second, independent model of Linux's trace printer (kernel/trace/
trace_functions_graph.c, trace.c, trace_output.c as described in
../shared/spec/ftrace-format.md), written with Python's printf-style formats so that
test_output.c compares the C printer against something that was not derived from it.
Run from anywhere: python3 test/golden/trace/gen-golden.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NSEC = 10**9
UNKNOWN = -1  # lost events of unknown count

DEFAULTS = {"funcgraph-tail": 0, "funcgraph-abstime": 0, "funcgraph-proc": 0,
            "funcgraph-irqs": 1, "funcgraph-overhead": 1, "funcgraph-duration": 1,
            "funcgraph-cpu": 1, "context-info": 1, "print-parent": 1, "irq-info": 1}


class Stream:
    def __init__(self, path):
        self.hz, self.ncpus, self.entries, self.written = 1, 1, 0, 0
        self.syms, self.comms, self.cpus = {}, {}, {}
        pending_lost = {}
        for line in open(path):
            w = line.split()
            if not w or w[0].startswith("#"):
                continue
            k = w[0]
            if k in ("hz", "ncpus", "entries", "written"):
                setattr(self, k, int(w[1]))
            elif k == "sym":
                self.syms[int(w[1], 16)] = w[2]
            elif k == "comm":
                self.comms[int(w[1])] = w[2]
            elif k in ("lost", "endlost"):
                cpu = int(w[1])
                n = UNKNOWN if w[2] == "?" else int(w[2])
                if k == "lost":
                    pending_lost[cpu] = n
                else:
                    self.cpus.setdefault(cpu, []).append(
                        {"kind": "none", "cpu": cpu, "lost": n, "tsc": 0})
            else:
                cpu, tsc, tid = int(w[1]), int(w[2]), int(w[3])
                ev = {"kind": k, "cpu": cpu, "tsc": tsc, "tid": tid,
                      "lost": pending_lost.pop(cpu, 0)}
                if k == "e":
                    ev.update(func=self.addr(w[4]), depth=int(w[5]),
                              irq=len(w) > 6 and w[6] == "irq")
                elif k == "r":
                    ev.update(func=self.addr(w[4]), ticks=int(w[5]), depth=int(w[6]))
                elif k == "f":
                    ev.update(func=self.addr(w[4]), parent=self.addr(w[5]))
                elif k == "t":
                    text = line.split(None, 4)[4].rstrip("\n")
                    ev.update(text=text.replace("\\n", "\n"))
                elif k == "s":
                    ev.update(prev=int(w[4]), next=int(w[5]))
                self.cpus.setdefault(cpu, []).append(ev)

    def addr(self, word):
        if word[0].isdigit():
            return int(word, 0)
        return next(a for a, n in self.syms.items() if n == word)

    def sym(self, addr):
        for a, n in self.syms.items():
            if a <= addr < a + 0x100:
                return n
        return "0x%x" % addr

    def comm(self, tid):
        if tid == 0:
            return "<idle>"
        return self.comms.get(tid, "<...>")


def merged(stream, cpus):
    """trace_find_next_entry(): the oldest head among the CPUs; lower CPU on ties. The
    list of each CPU is consumed in order; returns (cpu, queue) pairs lazily."""
    queues = {c: list(stream.cpus.get(c, [])) for c in cpus}
    while True:
        best = None
        for c in sorted(queues):
            q = queues[c]
            if q and (best is None or q[0]["tsc"] < queues[best][0]["tsc"]):
                best = c
        if best is None:
            return
        yield best, queues[best]


def lost_line(cpu, n):
    if n == UNKNOWN:
        return "CPU:%d [LOST EVENTS]\n" % cpu
    return "CPU:%d [LOST %d EVENTS]\n" % (cpu, n)


class Graph:
    def __init__(self, st, opts, ncpus):
        self.st, self.o = st, opts
        self.cpu_w = len("%u" % (ncpus - 1))
        self.last_pid, self.depth, self.depth_irq = {}, {}, {}
        self.enter_funcs, self.enter_irq = {}, {}

    def ns(self, ticks):
        return ticks * NSEC // self.st.hz

    def proc(self, tid):
        comm = self.st.comm(tid)[:7]
        s = "%s-%d" % (comm, tid)
        sp = max(14 - len(s), 0)
        return " " * (sp // 2) + s + " " * (sp - sp // 2)

    def cpu(self, c):
        return " %*d) " % (self.cpu_w, c)

    def dur_on(self):
        return self.o["funcgraph-duration"] and self.o["context-info"]

    def context(self, ev):
        if not self.o["context-info"]:
            return ""
        s = ""
        if self.o["funcgraph-abstime"]:
            t = self.ns(ev["tsc"])
            s += "%5d.%06d |  " % (t // NSEC, t % NSEC // 1000)
        if self.o["funcgraph-cpu"]:
            s += self.cpu(ev["cpu"])
        if self.o["funcgraph-proc"]:
            s += self.proc(ev["tid"]) + " | "
        return s

    def verif_pid(self, ev):
        c, tid = ev["cpu"], ev["tid"]
        prev = self.last_pid.get(c, -1)
        if prev == tid:
            return ""
        self.last_pid[c] = tid
        if prev == -1:
            return ""
        dash = " " + "-" * 42 + "\n"
        return (dash + self.cpu(c) + self.proc(prev) + " => " + self.proc(tid) + "\n" +
                dash + "\n")

    def irq_line(self, ev, arrow):
        s = self.context(ev)
        if self.dur_on():
            return s + "  " + arrow + " |\n"
        return s + arrow + "\n"

    def duration(self, ticks):
        if not self.dur_on():
            return ""
        ns = self.ns(ticks)
        mark = " "
        if self.o["funcgraph-overhead"]:
            for lim, m in ((10**9, "$"), (10**8, "@"), (10**7, "*"), (10**6, "#"),
                           (10**5, "!"), (10**4, "+")):
                if ns > lim:
                    mark = m
                    break
        us = "%d" % (ns // 1000)
        if len(us) < 7:
            us += "." + ("%03d" % (ns % 1000))[:7 - len(us)]
        return mark + " " + us + " us " + " " * (8 - len(us)) + "|  "

    def nodur(self):
        return "              |  " if self.dur_on() else ""

    def entry(self, ev, q):
        c = ev["cpu"]
        d = ev["depth"]
        if not self.o["funcgraph-irqs"]:
            if self.depth_irq.get(c, -1) >= 0:
                return ""
            if ev["irq"]:
                self.depth_irq[c] = d
                return ""
        out = self.verif_pid(ev)
        if ev["irq"]:
            out += self.irq_line(ev, "==========>")
        out += self.context(ev)
        # Context switch records are not in Linux's function_graph buffer, nor are the
        # calls of interrupts that funcgraph-irqs off hides: the event Linux would see next
        # is the first other one. (Hidden interrupt calls go through entry/ret, which keep
        # their state and print nothing.)
        while q and not q[0]["lost"]:
            n = q[0]
            if n["kind"] == "s":
                q.pop(0)
            elif not self.o["funcgraph-irqs"] and (
                    (n["kind"] == "e" and (n["irq"] or self.depth_irq.get(c, -1) >= 0)) or
                    (n["kind"] == "r" and self.depth_irq.get(c, -1) >= 0)):
                self.event(q.pop(0), q)
            else:
                break
        nxt = q[0] if q else None
        name = self.st.sym(ev["func"])
        if (nxt and nxt["kind"] == "r" and not nxt["lost"] and nxt["tid"] == ev["tid"]
                and nxt["func"] == ev["func"]):
            q.pop(0)
            self.depth[c] = d - 1
            self.enter_funcs.setdefault(c, {})[d] = 0
            self.enter_irq.setdefault(c, {})[d] = False
            out += self.duration(nxt["ticks"]) + " " * (2 * d) + name + "();\n"
            if ev["irq"]:
                out += self.irq_line(ev, "<==========")
            return out
        self.depth[c] = d
        self.enter_funcs.setdefault(c, {})[d] = ev["func"]
        self.enter_irq.setdefault(c, {})[d] = ev["irq"]
        return out + self.nodur() + " " * (2 * d) + name + "() {\n"

    def ret(self, ev):
        c = ev["cpu"]
        d = ev["depth"]  # funcgraph_exit's depth: its entry's, in the buffer or not
        if not self.o["funcgraph-irqs"] and self.depth_irq.get(c, -1) >= 0:
            if self.depth_irq[c] >= d:
                self.depth_irq[c] = -1
            return ""
        self.depth[c] = d - 1
        match = self.enter_funcs.get(c, {}).get(d, 0) == ev["func"]
        irq = match and self.enter_irq.get(c, {}).get(d, False)
        self.enter_funcs.setdefault(c, {})[d] = 0
        self.enter_irq.setdefault(c, {})[d] = False
        out = self.verif_pid(ev) + self.context(ev) + self.duration(ev["ticks"]) + " " * (2 * d)
        if match and not self.o["funcgraph-tail"]:
            out += "}\n"
        else:
            out += "} /* %s */\n" % self.st.sym(ev["func"])
        if irq:
            out += self.irq_line(ev, "<==========")
        return out

    def comment(self, ev):
        d = self.depth.get(ev["cpu"], 0)
        text = ev["text"][:-1] if ev["text"].endswith("\n") else ev["text"]
        out = self.verif_pid(ev) + self.context(ev) + self.nodur()
        if d > 0:
            out += " " * ((d + 1) * 2)
        return out + "/* " + text + " */\n"

    def header(self):
        if not self.o["context-info"]:
            return ""
        a, b = "#", "#"
        if self.o["funcgraph-abstime"]:
            a, b = a + "     TIME       ", b + "      |         "
        if self.o["funcgraph-cpu"]:
            a, b = a + " CPU", b + " |  "
        if self.o["funcgraph-proc"]:
            a, b = a + "  TASK/PID       ", b + "   |    |        "
        if self.o["funcgraph-duration"]:
            a, b = a + "  DURATION   ", b + "   |   |      "
        return a + "               FUNCTION CALLS\n" + b + "               |   |   |   |\n"

    def event(self, ev, q):
        k = ev["kind"]
        if k == "e":
            return self.entry(ev, q)
        if k == "r":
            return self.ret(ev)
        if k == "t":
            return self.comment(ev)
        return ""


class Function:
    def __init__(self, st, opts, ncpus):
        self.st, self.o, self.ncpus = st, opts, ncpus

    def context(self, ev):
        if not self.o["context-info"]:
            return ""
        us = (ev["tsc"] * NSEC // self.st.hz + 500) // 1000
        s = "%16s-%-7d [%03d] " % (self.st.comm(ev["tid"])[:15], ev["tid"], ev["cpu"])
        if self.o["irq-info"]:
            s += "....."
        return s + " %5d.%06d: " % (us // 10**6, us % 10**6)

    def event(self, ev, q):
        k = ev["kind"]
        if k == "f":
            s = self.context(ev) + self.st.sym(ev["func"])
            if self.o["print-parent"] and ev["parent"]:
                s += " <-" + self.st.sym(ev["parent"])
            return s + "\n"
        if k == "t":
            text = ev["text"][:-1] if ev["text"].endswith("\n") else ev["text"]
            return self.context(ev) + "tracing_mark_write: " + text + "\n"
        return ""

    def header(self):
        if not self.o["context-info"]:
            return ""
        s = "# entries-in-buffer/entries-written: %d/%d   #P:%d\n#\n" % (
            self.st.entries, self.st.written, self.ncpus)
        if not self.o["irq-info"]:
            return (s + "#           TASK-PID    %s CPU#     TIMESTAMP  FUNCTION\n" % "" +
                    "#              | |      %s   |         |         |\n" % "")
        sp = "  "
        return (s + "#                            %s  _-----=> irqs-off/BH-disabled\n" % sp +
                "#                            %s / _----=> need-resched\n" % sp +
                "#                            %s| / _---=> hardirq/softirq\n" % sp +
                "#                            %s|| / _--=> preempt-depth\n" % sp +
                "#                            %s||| / _-=> migrate-disable\n" % sp +
                "#                            %s|||| /     delay\n" % sp +
                "#           TASK-PID  %s CPU#  |||||  TIMESTAMP  FUNCTION\n" % "  " +
                "#              | |    %s   |   |||||     |         |\n" % "  ")


def render(case):
    golden, events, tracer, header, cpus, ncpus = case[:6]
    opts = dict(DEFAULTS)
    st = Stream(os.path.join(HERE, events))
    stopped = None
    for w in case[6:]:
        if "=" in w:
            key, val = w.split("=", 1)
            if key == "stopped":
                stopped = val
            else:
                setattr(st, key, int(val))
        elif w.startswith("no"):
            opts[w[2:]] = 0
        else:
            opts[w] = 1
    n = st.ncpus if ncpus == "-" else int(ncpus)
    pr = (Graph if tracer == "function_graph" else Function)(st, opts, n)
    out = ""
    if header == "trace":
        out = "# tracer: %s\n#\n" % tracer
        if stopped:
            out += ("# WARNING: FUNCTION TRACING IS CORRUPTED\n"
                    "#          MAY BE MISSING FUNCTION EVENTS\n#          %s\n" % stopped)
        if tracer == "function_graph" and st.written > st.entries and opts["context-info"]:
            out += "# entries-in-buffer/entries-written: %d/%d   #P:%d\n#\n" % (
                st.entries, st.written, n)
        out += pr.header()
    sel = sorted(st.cpus) if cpus == "all" else [int(cpus)]
    for cpu, q in merged(st, sel):
        ev = q.pop(0)
        if ev["lost"] != 0:
            out += lost_line(cpu, ev["lost"])
        if ev["kind"] != "none":
            out += pr.event(ev, q)
    return golden, out


def main():
    for line in open(os.path.join(HERE, "cases.txt")):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        golden, text = render(w)
        with open(os.path.join(HERE, golden), "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
