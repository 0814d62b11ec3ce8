/*
 * ratelimit.h - API rate limits per key's tenant: a token bucket each, RATE tokens a second up
 * to BURST. Writes (every authenticated call that is not GET or HEAD: parse submissions,
 * applies, bulk imports, endpoint changes ...) take a token; reads do not, nor /healthz and
 * /metrics. Every authenticated answer says where the caller stands (RateLimit-Limit,
 * RateLimit-Remaining, RateLimit-Reset); over the limit the answer is 429 with Retry-After.
 * Pure apart from its mutex: times are passed in.
 */
#ifndef OA_API_RATELIMIT_H
#define OA_API_RATELIMIT_H

#include <pthread.h>

#include "util/oa.h"

typedef struct {
    double rate;  /* tokens per second; 0 = off */
    double burst; /* bucket size */
} rl_config;

typedef struct {
    char tenant[128];
    double tokens;
    int64_t at; /* ms of the last refill */
} rl_bucket;

typedef struct {
    rl_config cfg;
    pthread_mutex_t mu;
    rl_bucket *b;
    size_t n;
} rl_limiter;

/* Parses "RATE[,BURST]" (RATE as N, N/s or N/m; BURST defaults to twice a second's worth) or
 * "off". */
oa_status rl_parse(const char *s, rl_config *out) OA_MUST_CHECK;
void rl_init(rl_limiter *l, const rl_config *cfg);
void rl_free(rl_limiter *l);

typedef struct {
    bool allowed;
    int64_t limit;       /* the burst, as RateLimit-Limit */
    int64_t remaining;   /* whole tokens left */
    int64_t reset_s;     /* seconds until the bucket is full again */
    int64_t retry_after; /* seconds until one token is back (when refused) */
} rl_verdict;

/* Takes a token from tenant's bucket when `take` (a write), or only reports. */
rl_verdict rl_check(rl_limiter *l, const char *tenant, bool take, int64_t now_ms);

#endif
