/* Plots through gnuplot, run as a child process with the script and inline data blocks on
 * its stdin. --plot html writes SVGs with gnuplot's own mouse script (clicking a key entry
 * toggles that plot) and inlines them into one standalone page. */
#include "tools/runtime-breakdown/plot.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/lib/xalloc.h"
#include "tools/runtime-breakdown/table.h"
#include "tools/runtime-breakdown/threadname.h"

#define MAX_SERIES 12	/* functions in the per-thread chart; the rest is "other" */

static const char *gnuplot_path(void)
{
	const char *p = getenv("GNUPLOT");

	return p && *p ? p : "gnuplot";
}

/* Writes script to a gnuplot child and waits for it; PLOT_NO_GNUPLOT if it cannot run. */
static int run_gnuplot(const char *script, size_t len)
{
	int fd[2];
	pid_t pid;
	int status;

	if (pipe(fd) < 0) {
		perror("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execlp(gnuplot_path(), gnuplot_path(), (char *)NULL);
		fprintf(stderr, "runtime-breakdown: cannot run %s: %s\n", gnuplot_path(),
			strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	signal(SIGPIPE, SIG_IGN);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd[1], script + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return PLOT_NO_GNUPLOT;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "runtime-breakdown: gnuplot failed (status %d)\n",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

/* gnuplot single-quoted string: a quote is doubled. */
static void quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* Data block cells are tab-separated; names never hold tabs or line breaks, but a
 * corrupt input could, so they become spaces. */
static void cell(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static const char *const palette[13] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
	"#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#7f7f7f", "#c7c7c7",
};

static void terminal(FILE *f, const struct plot_cfg *c, const char *path)
{
	if (!strcmp(c->format, "png"))
		fputs("set terminal pngcairo size 1200,700 noenhanced font 'sans,10'\n", f);
	else if (!strcmp(c->format, "svg"))
		fputs("set terminal svg size 1200,700 dynamic noenhanced font 'sans,10'\n", f);
	else
		fputs("set terminal svg size 1200,700 noenhanced mouse standalone "
		      "font 'sans,10'\n", f);
	fputs("set output ", f);
	quoted(f, path);
	fputs("\nreset\nset datafile separator '\\t'\nset key autotitle columnhead\n"
	      "set style fill solid 0.85 border -1\nset grid ytics\nset yrange [0:*]\n", f);
	/* 13 distinct colours: MAX_SERIES functions and "other" never share one */
	for (int i = 0; i < 13; i++)
		fprintf(f, "set linetype %d lc rgb '%s'\n", i + 1, palette[i]);
	fputs("set linetype cycle 13\n", f);
}


/* The functions with the most self time overall, at most MAX_SERIES. */
static size_t top_functions(const struct plot_data *d, uint32_t *funcs)
{
	struct stat_entry **v = agg_sorted(d->all, d->st, SORT_SELF);
	size_t n = 0;

	for (size_t i = 0; i < d->all->n && n < MAX_SERIES; i++)
		funcs[n++] = v[i]->func;
	free(v);
	return n;
}

static void threads_data(FILE *f, const struct plot_data *d)
{
	uint32_t funcs[MAX_SERIES];
	size_t nf = top_functions(d, funcs);
	struct stat_entry **v = agg_sorted(d->by_thread, d->st, SORT_SELF);

	fputs("$threads << EOD\nthread", f);
	for (size_t j = 0; j < nf; j++)
		fputc('\t', f), cell(f, symtab_name(d->st, funcs[j]));
	fputs("\tother\n", f);
	for (size_t i = 0; i < d->by_thread->n;) {
		int64_t tid = v[i]->group;
		int64_t part[MAX_SERIES + 1] = { 0 };
		for (; i < d->by_thread->n && v[i]->group == tid; i++) {
			size_t j = 0;
			while (j < nf && funcs[j] != v[i]->func)
				j++;
			part[j] += v[i]->self_ns;
		}
		char label[THREAD_LABEL_MAX];
		cell(f, thread_label(label, tid));
		for (size_t j = 0; j <= nf; j++)
			fprintf(f, "\t%.3f", (double)part[j] / 1000.0);
		fputc('\n', f);
	}
	fprintf(f, "EOD\nnseries = %zu\n", nf + 1);
	free(v);
}

static void threads_plot(FILE *f, const struct plot_cfg *c, const struct plot_data *d,
			 const char *path)
{
	threads_data(f, d);
	terminal(f, c, path);
	fprintf(f, "set title 'Self time%s per thread, by function (us)'\n", c->time);
	fputs("set style data histograms\nset style histogram rowstacked\nset boxwidth 0.7\n"
	      "set key outside right top vertical\nset xtics rotate by -30\n"
	      "set ylabel 'self time (us)'\n"
	      "plot for [i=2:nseries+1] $threads using i:xtic(1)\n", f);
}

static void top_plot(FILE *f, const struct plot_cfg *c, const struct plot_data *d,
		     const char *path)
{
	struct stat_entry **v = agg_sorted(d->all, d->st, SORT_SELF);
	size_t n = d->all->n < c->top ? d->all->n : c->top;

	fputs("$top << EOD\nfunction\tself\ttotal\n", f);
	for (size_t i = 0; i < n; i++) {
		cell(f, symtab_name(d->st, v[i]->func));
		fprintf(f, "\t%.3f\t%.3f\n", (double)v[i]->self_ns / 1000.0,
			(double)v[i]->total_ns / 1000.0);
	}
	fputs("EOD\n", f);
	free(v);
	terminal(f, c, path);
	fprintf(f, "set title 'Top %zu functions by self time%s: self vs total (us)'\n"
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set xtics rotate by -40\nset ylabel 'time (us)'\nset key inside right top\n"
		"plot $top using 2:xtic(1), '' using 3\n", n, c->time);
}

static void hist_row(void *ctx, uint64_t lo, uint64_t hi, uint64_t count)
{
	fprintf(ctx, "%.3f\t%.3f\t%llu\n", (double)lo / 1000.0, (double)hi / 1000.0,
		(unsigned long long)count);
}

/* Latency histogram of one function, 8 bins per power of two, log x axis. */
static void hist_plot(FILE *f, const struct plot_cfg *c, const struct stat_entry *e,
		      const char *name, const char *path)
{
	fputs("$hist << EOD\nlo\thi\tcalls\n", f);
	hist_bins(&e->h, hist_row, f);
	fputs("EOD\n", f);
	terminal(f, c, path);
	fputs("set title ", f);
	quoted(f, name);
	fputs(" . ': latency histogram'\nset logscale x 10\nset xlabel 'latency (us)'\n"
	      "set ylabel 'calls'\nset key off\n"
	      "plot $hist using (sqrt($1*$2)):3:($2-$1) with boxes\n", f);
}

static char *path_for(const struct plot_cfg *c, const char *what, const char *ext)
{
	size_t n = strlen(c->prefix) + strlen(what) + strlen(ext) + 3;
	char *p = xmalloc(n);

	snprintf(p, n, "%s-%s.%s", c->prefix, what, ext);
	return p;
}

/* Inlines an SVG file (without its XML prolog) into the page. */
static int inline_svg(FILE *out, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs("<div class=\"chart\">\n", out);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "<?xml", 5) && strncmp(line, "<!DOCTYPE", 9) &&
		    strncmp(line, " \"http://www.w3.org/Graphics", 28))
			fputs(line, out);
	fputs("</div>\n", out);
	fclose(f);
	unlink(path);
	return 0;
}

static int write_html(const struct plot_cfg *c, char **svgs, size_t n)
{
	size_t len = strlen(c->prefix) + 6;
	char *path = xmalloc(len);
	FILE *f;
	int ret = 0;

	snprintf(path, len, "%s.html", c->prefix);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	      "<title>runtime-breakdown</title>\n<style>body{font-family:sans-serif}"
	      ".chart{margin:1em 0}</style></head><body>\n<h1>runtime-breakdown</h1>\n"
	      "<p>Click a legend entry to hide or show that function.</p>\n", f);
	for (size_t i = 0; i < n; i++)
		ret |= inline_svg(f, svgs[i]);
	fputs("</body></html>\n", f);
	if (fclose(f))
		ret = -1;
	if (!ret)
		fprintf(stderr, "wrote %s\n", path);
	free(path);
	return ret;
}

int plot_all(const struct plot_cfg *c, const struct plot_data *d)
{
	bool html = !strcmp(c->format, "html");
	const char *ext = html ? "svg" : c->format;
	char *paths[3];
	size_t n = 0;
	char *script = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&script, &len);
	int ret;

	paths[n] = path_for(c, "threads", ext);
	threads_plot(f, c, d, paths[n++]);
	paths[n] = path_for(c, "top", ext);
	top_plot(f, c, d, paths[n++]);
	if (c->function && d->function) {
		paths[n] = path_for(c, "hist", ext);
		hist_plot(f, c, d->function, c->function, paths[n++]);
	}
	fclose(f);
	ret = run_gnuplot(script, len);
	if (!ret && html)
		ret = write_html(c, paths, n);
	for (size_t i = 0; i < n; i++) {
		if (!ret && !html)
			fprintf(stderr, "wrote %s\n", paths[i]);
		free(paths[i]);
	}
	free(script);
	return ret;
}
