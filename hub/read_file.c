/*
 * A small text file read whole (read_file.h).
 */
#include "read_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

int nrm_read_text_file(const char *path, size_t max, const char *what, char **text,
                       struct nrm_error *err)
{
	*text = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return nrm_fail(err, EX_NOINPUT, "cannot open %s: %s", path, strerror(errno));
	char *buf = nrm_xmalloc(max + 1);
	size_t len = fread(buf, 1, max + 1, f);
	int bad = ferror(f);
	fclose(f);
	int rc = 0;
	if (bad)
		rc = nrm_fail(err, EX_IOERR, "cannot read %s", path);
	else if (len > max)
		rc = nrm_fail(err, EX_DATAERR, "%s: larger than %zu KiB; %s", path, max / 1024, what);
	else if (memchr(buf, '\0', len))
		rc = nrm_fail(err, EX_DATAERR, "%s: holds a NUL byte", path);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*text = buf;
	return 0;
}

char *nrm_next_line(char **text)
{
	char *line = *text;
	if (!*line)
		return NULL;
	char *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*text = nl + 1;
	} else {
		*text = line + strlen(line);
	}
	size_t len = strlen(line);
	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	return line;
}
