/* Microseconds as other tools write them, for reading CSV: "12.5", "1e-05", "3.2E+02",
 * "-0.25" (Python's repr of floats, which Nanos's parse-trace.py writes). */
#ifndef TOOLS_LIB_USNUM_H
#define TOOLS_LIB_USNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses s[0..n) as [-]digits[.digits][e[+|-]digits] microseconds (a sign only with
 * signed) into ns, rounded to the nearest ns. Returns 0, or -1 if malformed or beyond
 * about 100 days. */
int us_to_ns(const char *s, size_t n, bool signed_ok, int64_t *ns);

#endif
