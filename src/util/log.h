/*
 * log.h - structured logging: one line per event, key=value pairs.
 *
 *   ts=2026-11-26T22:06:04.123Z level=info event=http.request req_id=... status=200
 *
 * Callers format the key=value tail themselves; values that may hold spaces, quotes or control
 * characters go through oa_logq(). Never log secrets, API keys or candidate data beyond ids.
 */
#ifndef OA_LOG_H
#define OA_LOG_H

#include "util/oa.h"

typedef enum { OA_LOG_DEBUG = 0, OA_LOG_INFO, OA_LOG_WARN, OA_LOG_ERROR } oa_log_level;

/* Sets the minimum level written (default info) and where (default stderr). */
void oa_log_set_level(oa_log_level lvl);
oa_log_level oa_log_parse_level(const char *s, bool *ok);
bool oa_log_enabled(oa_log_level lvl);

/* Writes one line: ts, level, event, then the formatted tail. Thread-safe (one write(2)). */
void oa_log(oa_log_level lvl, const char *event, const char *fmt, ...) OA_PRINTF(3, 4);

/* Quotes s for a log value into out (size n): bare when safe, else "..." with escapes,
 * truncated to fit. Returns out. */
const char *oa_logq(char *out, size_t n, const char *s);

#define OA_LOGQ_SIZE 256

#endif
