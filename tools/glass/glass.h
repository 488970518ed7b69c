/* The glass command: one function per subcommand (tools/glass/<name>.c), uftrace-style. */
#ifndef TOOLS_GLASS_GLASS_H
#define TOOLS_GLASS_GLASS_H

/* Each takes the arguments after the subcommand's name (argv[0] is the name) and returns
 * the exit status: 0 ok, 1 bad input or I/O error, 2 usage error. */
int glass_record(int argc, char **argv);
int glass_report(int argc, char **argv);

#endif
