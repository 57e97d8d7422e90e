/*
 * Orphans of a job (job_orphans.h), found by their parent in /proc/PID/stat.
 * The whole tree is sent SIGKILL before any of it is reaped, so a process
 * cannot slip away by forking while its parent is being waited for; what a
 * dying process forked in the meantime is reparented to us and is found on
 * the next pass.
 */
#include "job_orphans.h"

#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fork bomb is killed a generation per pass; this many is plenty. */
#define MAX_PASSES 1000

/* The parent of `pid`, or -1.  The command name in parentheses may hold
 * spaces and ')', so the fields are read after its last ')'. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *end = strrchr(buf, ')');
	char state;
	long ppid;
	if (!end || sscanf(end + 1, " %c %ld", &state, &ppid) != 2)
		return -1;
	return (pid_t)ppid;
}

static void add(struct nrm_pid_set *set, pid_t pid)
{
	set->pid = nrm_xrealloc(set->pid, (set->n + 1) * sizeof(*set->pid));
	set->pid[set->n++] = pid;
}

static bool has(const struct nrm_pid_set *set, pid_t pid)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->pid[i] == pid)
			return true;
	return false;
}

/* Every process whose parent is in `parents`. */
static void children_of(const struct nrm_pid_set *parents, struct nrm_pid_set *out)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atol(e->d_name);
		if (has(parents, parent_of(pid)) && !has(out, pid))
			add(out, pid);
	}
	closedir(d);
}

void nrm_children_now(struct nrm_pid_set *set)
{
	set->pid = NULL;
	set->n = 0;
	struct nrm_pid_set self = {.pid = (pid_t[]){getpid()}, .n = 1};
	children_of(&self, set);
}

void nrm_pid_set_free(struct nrm_pid_set *set)
{
	free(set->pid);
	set->pid = NULL;
	set->n = 0;
}

/* Kills the tree below (and including) `roots`, a generation at a time. */
static size_t kill_tree(const struct nrm_pid_set *roots)
{
	size_t killed = 0;
	struct nrm_pid_set level = {0};
	for (size_t i = 0; i < roots->n; i++)
		add(&level, roots->pid[i]);
	while (level.n > 0) {
		for (size_t i = 0; i < level.n; i++)
			if (kill(level.pid[i], SIGKILL) == 0)
				killed++;
		struct nrm_pid_set next = {0};
		children_of(&level, &next);
		nrm_pid_set_free(&level);
		level = next;
	}
	return killed;
}

size_t nrm_end_orphans(const struct nrm_pid_set *before)
{
	size_t killed = 0;
	for (int pass = 0; pass < MAX_PASSES; pass++) {
		struct nrm_pid_set now, orphans = {0};
		nrm_children_now(&now);
		for (size_t i = 0; i < now.n; i++)
			if (!has(before, now.pid[i]))
				add(&orphans, now.pid[i]);
		nrm_pid_set_free(&now);
		if (orphans.n == 0)
			break;
		killed += kill_tree(&orphans);
		for (size_t i = 0; i < orphans.n; i++)
			while (waitpid(orphans.pid[i], NULL, 0) < 0 && errno == EINTR)
				;
		nrm_pid_set_free(&orphans);
	}
	return killed;
}
