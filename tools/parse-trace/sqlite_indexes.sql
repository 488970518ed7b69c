-- Created after the bulk insert (cheaper than keeping them up to date row by row).
CREATE INDEX calls_parent ON calls(parent_id);
CREATE INDEX calls_function ON calls(function_id);
CREATE INDEX calls_start ON calls(start_ns);
CREATE INDEX switches_cpu ON switches(cpu, ts_ns);
