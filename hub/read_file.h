/*
 * A small text file read whole (a register, a table of labels), as the
 * hostile input every file is: at most `max` bytes, and no NUL byte, which
 * would end the text early without saying so.
 */
#ifndef NRM_READ_FILE_H
#define NRM_READ_FILE_H

#include "util.h"

#include <stddef.h>

/* `what` names the file in the refusal of one that is too large ("a
 * register is a few lines").  0 with *text (NUL-terminated, caller frees),
 * or -1 with err: EX_NOINPUT, EX_IOERR or EX_DATAERR. */
int nrm_read_text_file(const char *path, size_t max, const char *what, char **text,
                       struct nrm_error *err);

/* The next line of `*text` (read by nrm_read_text_file), cut in place
 * without its "\n" or "\r\n", and *text moved past it; NULL at the end. */
char *nrm_next_line(char **text);

#endif
