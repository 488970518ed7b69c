/* The profile events' printers (trace/profile_print.c), in the form of the event table's
 * (trace/out_event.c): "name: fields" after the context columns, NULL if the payload is
 * malformed. Stacks print resolved, innermost first: "stack=ID: f <- g <- h", so the text
 * alone says where every sample was (tools/lib/tsample.h parses it). */
#ifndef TRACE_PROFILE_PRINT_H
#define TRACE_PROFILE_PRINT_H

struct out_printer;

char *profile_print_sample(struct out_printer *p, char *s, const char *pl, unsigned len);
char *profile_print_stack(struct out_printer *p, char *s, const char *pl, unsigned len);
char *profile_print_offcpu(struct out_printer *p, char *s, const char *pl, unsigned len);
char *profile_print_alloc(struct out_printer *p, char *s, const char *pl, unsigned len);
char *profile_print_free(struct out_printer *p, char *s, const char *pl, unsigned len);
char *profile_print_net(struct out_printer *p, char *s, const char *pl, unsigned len);

#endif
