/* One version for all host tools, printed by --version. */
#ifndef TOOLS_LIB_VERSION_H
#define TOOLS_LIB_VERSION_H

#define GLASS_TOOLS_VERSION "0.1.0"

#endif
