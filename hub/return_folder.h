/*
 * Whether `return build -o DIR` may replace DIR whole (folder_swap.h): only
 * a folder that is missing, empty, or holds one return and nothing else
 * (return.json and the files its `files` member lists).  A folder that also
 * holds other things (the current folder with the store and keys/ in it)
 * is written into file by file instead, each file atomically and
 * return.json last: replacing it would throw those things away.
 */
#ifndef NRM_RETURN_FOLDER_H
#define NRM_RETURN_FOLDER_H

#include <stdbool.h>

/* True when `dir` is missing, empty or only a return's own files, and is
 * not the current folder (which cannot be renamed from under us). */
bool nrm_return_folder_replaceable(const char *dir);

#endif
