# Checks a profile decoded by `protoc --decode=perftools.profiles.Profile` (text format)
# against the rules pprof's reader applies (../shared/spec/pprof.md section 3). Prints the
# counts and "ok", or one line per broken rule.
function fail(msg) { print msg; bad = 1 }
/^sample_type \{/ { ntypes++ }
/^sample \{/ { in_sample = 1; nvalues = 0; nsamples++ }
/^location \{/ { section = "location"; nloc++ }
/^function \{/ { section = "function"; nfn++ }
/^mapping \{/ { section = "mapping" }
in_sample && /^  value:/ { nvalues++ }
in_sample && /^  location_id:/ { used_loc[$2] = 1; if ($2 == 0) fail("location_id 0") }
/^}/ { if (in_sample && nvalues != ntypes) fail("sample " nsamples " has " nvalues " values");
       in_sample = 0; section = "" }
/^  id:/ && section != "" {
	if ($2 == 0) fail(section " id 0")
	if ((section, $2) in ids) fail("duplicate " section " id " $2)
	ids[section, $2] = 1
}
/^    function_id:/ { used_fn[$2] = 1 }
/^  *(type|unit|key|str|name|system_name|filename|comment|default_sample_type):/ {
	idx[$2] = 1
}
/^comment:|^default_sample_type:/ { idx[$2] = 1 }
/^string_table:/ { if (nstr == 0 && $2 != "\"\"") fail("string_table[0] is " $2); nstr++ }
END {
	for (l in used_loc) if (!(("location", l) in ids)) fail("location " l " undefined")
	for (f in used_fn) if (!(("function", f) in ids)) fail("function " f " undefined")
	for (i in idx) if (i + 0 >= nstr) fail("string index " i " outside the table")
	if (!bad)
		print "strings " nstr ", samples " nsamples ", locations " nloc ", functions " nfn ", ok"
}
