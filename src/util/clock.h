/*
 * clock.h - time as milliseconds since the Unix epoch, and Kombo's time format
 * "YYYY-MM-DDTHH:MM:SS.mmmZ" (JavaScript's toISOString).
 */
#ifndef OA_CLOCK_H
#define OA_CLOCK_H

#include "util/oa.h"

#include <time.h>

#define OA_TIME_LEN 25 /* 24 characters and the NUL */

/* Wall-clock milliseconds since the epoch. */
int64_t oa_now_ms(void);
/* Monotonic milliseconds, for measuring intervals. */
int64_t oa_mono_ms(void);
/* Monotonic microseconds. */
int64_t oa_mono_us(void);
/* The wall-clock time `us` microseconds from now, as pthread_cond_timedwait takes it. */
struct timespec oa_deadline_us(int64_t us);
/* Formats ms as YYYY-MM-DDTHH:MM:SS.mmmZ into out. */
void oa_time_fmt(int64_t ms, char out[OA_TIME_LEN]);
/* Parses an RFC 3339 time (Z or +hh:mm offset, optional fraction) into ms. */
oa_status oa_time_parse(const char *s, int64_t *ms) OA_MUST_CHECK;
/* Validates an ISO 8601 calendar date "YYYY-MM-DD" (a real day). */
bool oa_date_valid(const char *s);

#endif
