-- Created after the bulk insert (cheaper than keeping them up to date row by row).
CREATE INDEX calls_parent ON calls(parent_id);
CREATE INDEX calls_function ON calls(function_id);
CREATE INDEX calls_start ON calls(start_ns);
CREATE INDEX switches_cpu ON switches(cpu, ts_ns);
CREATE INDEX samples_stack ON samples(stack_id);
CREATE INDEX samples_thread ON samples(thread_id, ts_ns);
CREATE INDEX allocations_stack ON allocations(stack_id);
CREATE INDEX stack_frames_function ON stack_frames(function_id);
CREATE INDEX spans_thread ON spans(thread_id, begin_ns);
CREATE INDEX spans_name ON spans(name);
