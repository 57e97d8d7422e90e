/*
 * The progress line redraws at most five times a second, with a carriage
 * return, and is erased when the work ends so it never mixes with output.
 */
#include "progress.h"

#include "log.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void nrm_progress_start(struct nrm_progress *p, uint64_t total_bytes)
{
	p->enabled = isatty(STDERR_FILENO) && nrm_log_get_level() >= NRM_LOG_WARNING;
	p->drawn = false;
	p->total_bytes = total_bytes;
	p->started = now_seconds();
	p->last_draw = 0; /* the first check draws, so short work shows a frame too */
	p->calls = 0;
}

static void draw(struct nrm_progress *p, uint64_t bytes, uint64_t records, double t)
{
	double mb = (double)bytes / 1e6;
	double rate = t > p->started ? (double)records / (t - p->started) : 0;
	if (p->total_bytes) {
		int pct = (int)(100.0 * (double)bytes / (double)p->total_bytes);
		if (pct > 100)
			pct = 100;
		char bar[31];
		int fill = pct * 30 / 100;
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : ' ';
		bar[30] = '\0';
		fprintf(stderr, "\r[%s] %3d%%  %.1f MB  %llu records  %.0f/s ", bar, pct, mb,
		        (unsigned long long)records, rate);
	} else {
		fprintf(stderr, "\r%.1f MB  %llu records  %.0f/s ", mb,
		        (unsigned long long)records, rate);
	}
	p->drawn = true;
}

void nrm_progress_update(struct nrm_progress *p, uint64_t bytes, uint64_t records)
{
	if (!p->enabled || (++p->calls & 1023))
		return;
	double t = now_seconds();
	if (t - p->last_draw < 0.2)
		return;
	p->last_draw = t;
	draw(p, bytes, records, t);
}

void nrm_progress_end(struct nrm_progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = false;
}
