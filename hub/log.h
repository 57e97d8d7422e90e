/*
 * Messages for people: on stderr, prefixed "nrmhub: ", filtered by level.
 * Data problems found in inputs are not logged here but reported by the
 * pipeline in the FILE:LINE: FIELD: reason form.
 */
#ifndef NRM_LOG_H
#define NRM_LOG_H

enum nrm_log_level { NRM_LOG_ERROR, NRM_LOG_WARNING, NRM_LOG_INFO, NRM_LOG_DEBUG };

void nrm_log_set_level(enum nrm_log_level level);
enum nrm_log_level nrm_log_get_level(void);
void nrm_log(enum nrm_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Where lines go: text on stderr (the default), one JSON object a line on
 * stderr ({"time","level","job","message"}), or syslog(3) (openlog'd as
 * "nrmhub", facility LOG_USER, with the PID). */
enum nrm_log_format { NRM_LOG_TEXT, NRM_LOG_JSON, NRM_LOG_SYSLOG };
void nrm_log_set_format(enum nrm_log_format format);
/* The job the lines are about (set in a job's child), or NULL. */
void nrm_log_set_job(const char *job);

/* A problem found in input data, already formatted as FILE:LINE: FIELD:
 * reason: as it is in text, as an "error" line in JSON or syslog. */
void nrm_log_report(const char *line);

#define nrm_log_error(...) nrm_log(NRM_LOG_ERROR, __VA_ARGS__)
#define nrm_warn(...) nrm_log(NRM_LOG_WARNING, __VA_ARGS__)
#define nrm_info(...) nrm_log(NRM_LOG_INFO, __VA_ARGS__)
#define nrm_debug(...) nrm_log(NRM_LOG_DEBUG, __VA_ARGS__)

#endif
