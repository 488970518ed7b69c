-- parse-trace --format sqlite: the tables (docs/sqlite.md). Times are integer nanoseconds;
-- NULL where the trace does not say (no funcgraph-abstime, no duration column).
-- samples, stacks and allocations hold glass's profile events (profile_sample,
-- offcpu_stack, alloc, free, net_io), which the trace prints with their stacks resolved.

-- One row per input file that was a trace, in command-line order.
CREATE TABLE capture (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL,              -- the file as named on the command line, <stdin>
	format TEXT NOT NULL,              -- 'function_graph' or 'trace-cmd report'
	tool TEXT NOT NULL,                -- 'parse-trace VERSION'
	lines INTEGER NOT NULL,
	entries INTEGER NOT NULL,          -- entry, leaf and return lines
	calls INTEGER NOT NULL,            -- its rows in calls
	unparsed_lines INTEGER NOT NULL,
	returns_without_entry INTEGER NOT NULL,
	unclosed_calls INTEGER NOT NULL,
	lost_events INTEGER NOT NULL,      -- from CPU:N [LOST M EVENTS] lines
	cpus INTEGER NOT NULL,             -- distinct CPUs among its calls and switches
	threads INTEGER NOT NULL,          -- its rows in threads
	switches INTEGER NOT NULL,         -- its rows in switches
	first_ns INTEGER,                  -- earliest call start (abstime only)
	last_ns INTEGER,                   -- latest call end (abstime only)
	header TEXT NOT NULL               -- its '#' lines (and trace-cmd's preamble) before
	                                   -- the first event, as printed
);

-- Every function name the trace mentions (callers and tails included).
CREATE TABLE functions (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE          -- as printed: 'ovl_open [overlay]', 'f.isra.0'
);

-- Threads of each capture: tid 0 is the idle task, -1 stands for "the trace does not say".
CREATE TABLE threads (
	id INTEGER PRIMARY KEY,
	capture_id INTEGER NOT NULL REFERENCES capture(id),
	tid INTEGER NOT NULL,
	comm TEXT,                         -- task name from the proc column or switch blocks
	name TEXT NOT NULL,                -- 'comm-tid', as in the other exports
	UNIQUE (capture_id, tid)
);

-- One row per completed call: the rows of the CSV.
CREATE TABLE calls (
	id INTEGER PRIMARY KEY,            -- calls are numbered in the order they began
	parent_id INTEGER,                 -- the caller's id, NULL for a root (see docs)
	thread_id INTEGER NOT NULL REFERENCES threads(id),
	cpu INTEGER NOT NULL,              -- CPU of the line that completed the call
	function_id INTEGER NOT NULL REFERENCES functions(id),
	depth INTEGER NOT NULL,            -- 0 = outermost traced call
	start_ns INTEGER,                  -- abstime of the entry
	dur_ns INTEGER,                    -- duration as printed
	self_ns INTEGER,                   -- dur_ns minus the direct children's
	offcpu_ns INTEGER,                 -- its thread switched out during the call
	offcpu_self_ns INTEGER             -- ... while it was the innermost call
);

-- Context switches: from this point next_thread runs on cpu.
CREATE TABLE switches (
	id INTEGER PRIMARY KEY,
	capture_id INTEGER NOT NULL REFERENCES capture(id),
	kind TEXT NOT NULL,                -- 'block' (function_graph's) or 'sched_switch' (event)
	line INTEGER NOT NULL,             -- line of the block or event in the source file
	cpu INTEGER NOT NULL,
	prev_thread_id INTEGER NOT NULL REFERENCES threads(id),
	next_thread_id INTEGER NOT NULL REFERENCES threads(id),
	ts_ns INTEGER                      -- event: its time; block: next_thread's next line's
);

-- Distinct stacks of the profile events, shared by all captures of the database.
CREATE TABLE stacks (
	id INTEGER PRIMARY KEY,
	depth INTEGER NOT NULL,            -- frames
	function_id INTEGER NOT NULL REFERENCES functions(id),  -- the innermost frame
	folded TEXT NOT NULL               -- 'root;...;leaf', as --format folded prints paths
);

-- The frames of each stack: position 0 is the innermost (where the sample hit).
CREATE TABLE stack_frames (
	stack_id INTEGER NOT NULL REFERENCES stacks(id),
	position INTEGER NOT NULL,
	function_id INTEGER NOT NULL REFERENCES functions(id),
	PRIMARY KEY (stack_id, position)
) WITHOUT ROWID;

-- Time on a stack: a CPU sample (kind 'cpu': one sampling period, ns = 1e9 / hz) or the
-- time a thread was away from its CPU after it blocked there (kind 'offcpu', at its
-- switch-in).
CREATE TABLE samples (
	id INTEGER PRIMARY KEY,
	capture_id INTEGER NOT NULL REFERENCES capture(id),
	kind TEXT NOT NULL,                -- 'cpu' or 'offcpu'
	thread_id INTEGER NOT NULL REFERENCES threads(id),
	cpu INTEGER NOT NULL,
	ts_ns INTEGER,                     -- the event's timestamp
	stack_id INTEGER NOT NULL REFERENCES stacks(id),
	ns INTEGER NOT NULL,               -- the time it stands for
	hz INTEGER,                        -- cpu: the sampling frequency
	state TEXT,                        -- offcpu: how it left (R, S, D...)
	guest_stack_id INTEGER             -- the guest's stack id, as printed
);

-- Heap and page allocations recorded (one in `every`), and when they were freed.
CREATE TABLE allocations (
	id INTEGER PRIMARY KEY,
	capture_id INTEGER NOT NULL REFERENCES capture(id),
	kind TEXT NOT NULL,                -- 'heap' or 'page'
	thread_id INTEGER NOT NULL REFERENCES threads(id),
	cpu INTEGER NOT NULL,
	ts_ns INTEGER,
	ptr INTEGER NOT NULL,
	bytes INTEGER NOT NULL,
	every INTEGER NOT NULL,            -- it stands for `every` allocations like it
	stack_id INTEGER NOT NULL REFERENCES stacks(id),
	freed_ns INTEGER                   -- NULL: still live at the end of the capture
);

-- Network bytes per connection and stack.
CREATE TABLE net_io (
	id INTEGER PRIMARY KEY,
	capture_id INTEGER NOT NULL REFERENCES capture(id),
	thread_id INTEGER NOT NULL REFERENCES threads(id),
	cpu INTEGER NOT NULL,
	ts_ns INTEGER,
	conn TEXT NOT NULL,
	dir TEXT NOT NULL,                 -- 'tx' or 'rx'
	bytes INTEGER NOT NULL,
	stack_id INTEGER NOT NULL REFERENCES stacks(id)
);

-- App spans (span_begin ... span_end events, docs/events.md): a webg request, compute's
-- `work`. Numbered in the order they ended; spans still open at the end of the input last.
CREATE TABLE spans (
	id INTEGER PRIMARY KEY,
	capture_id INTEGER NOT NULL REFERENCES capture(id),
	thread_id INTEGER NOT NULL REFERENCES threads(id),
	cpu INTEGER NOT NULL,              -- CPU of its span_begin
	name TEXT NOT NULL,                -- the text before its key=value words: 'GET /x'
	args TEXT NOT NULL,                -- those words: 'status=200' ('' if none)
	begin_ns INTEGER,                  -- NULL without timestamps
	end_ns INTEGER,                    -- NULL: never ended in the trace (or no timestamps)
	dur_ns INTEGER,
	depth INTEGER NOT NULL             -- spans of its thread open when it began; 0 outermost
);

-- calls with their names, for queries that read better than joins.
CREATE VIEW call_names AS
	SELECT c.id, c.parent_id, c.cpu, c.depth, c.start_ns, c.dur_ns, c.self_ns, c.offcpu_ns,
	       c.offcpu_self_ns, f.name AS function, t.tid, t.name AS thread, t.capture_id
	FROM calls c JOIN functions f ON f.id = c.function_id JOIN threads t ON t.id = c.thread_id;
