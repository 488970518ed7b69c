/* How function_graph sees returns, chosen at build time (mk/flags.mk FGRAPH): 1 for return
 * sites the compiler placed (rethook), 0 for the rewritten return address (hijack). */
#ifndef TRACE_FGRAPH_MODE_H
#define TRACE_FGRAPH_MODE_H

#ifndef CONFIG_FGRAPH_RETHOOK
#define CONFIG_FGRAPH_RETHOOK 1
#endif

#endif
