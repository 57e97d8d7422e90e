/*
 * Examining a module in a child process: nrmhub runs itself again as a
 * scanner (`nrmhub --scan-plugin FD PATH`, not for users), which dlopens the
 * module, runs the loader's checks and sends the descriptor back over a pipe
 * as JSON.  A module that aborts in its constructor, crashes, hangs or fails
 * a check then costs only the scanner, and is reported as bad.
 */
#ifndef NRM_PLUGIN_SCAN_H
#define NRM_PLUGIN_SCAN_H

#include <jansson.h>

#define NRM_SCAN_FLAG "--scan-plugin"
/* How long a scanner may take, in seconds, unless
 * $NRMHUB_PLUGIN_SCAN_TIMEOUT says otherwise. */
#define NRM_SCAN_DEFAULT_TIMEOUT_S 10

/* The scanner's result for `path`: {"ok": DESCRIPTOR} (plugin_desc.h) or
 * {"bad": REASON}, REASON saying why it must not be loaded, without the
 * path, and "transient": true when the scanner could not even be started
 * (the verdict is then not to be kept).  Never NULL. */
json_t *nrm_plugin_scan(const char *path);

/* The scanner itself, run from main() for NRM_SCAN_FLAG: examines `path`
 * and writes the result to descriptor `fd`.  Returns the exit status. */
int nrm_plugin_scan_main(const char *fd, const char *path);

#endif
