/* ratelimit.c - token buckets per tenant (see ratelimit.h). */
#include "api/ratelimit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

oa_status rl_parse(const char *s, rl_config *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(s, "off") == 0)
        return OA_OK;
    char buf[64];
    if (strlen(s) >= sizeof buf)
        return OA_INVALID;
    memcpy(buf, s, strlen(s) + 1);
    char *burst = strchr(buf, ',');
    if (burst)
        *burst++ = '\0';
    double per = 1.0;
    char *slash = strchr(buf, '/');
    if (slash) {
        if (strcmp(slash + 1, "s") == 0)
            per = 1.0;
        else if (strcmp(slash + 1, "m") == 0)
            per = 60.0;
        else
            return OA_INVALID;
        *slash = '\0';
    }
    int64_t rate = 0, b = 0;
    if (oa_parse_int(buf, 1, 1000000, &rate) != OA_OK)
        return OA_INVALID;
    out->rate = (double)rate / per;
    if (burst) {
        if (oa_parse_int(burst, 1, 10000000, &b) != OA_OK)
            return OA_INVALID;
        out->burst = (double)b;
    } else {
        out->burst = ceil(2.0 * out->rate);
        if (out->burst < 1)
            out->burst = 1;
    }
    return OA_OK;
}

void rl_init(rl_limiter *l, const rl_config *cfg)
{
    memset(l, 0, sizeof *l);
    l->cfg = *cfg;
    pthread_mutex_init(&l->mu, NULL);
}

void rl_free(rl_limiter *l)
{
    free(l->b);
    pthread_mutex_destroy(&l->mu);
}

static rl_bucket *bucket(rl_limiter *l, const char *tenant, int64_t now)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->b[i].tenant, tenant) == 0)
            return &l->b[i];
    l->b = xrealloc(l->b, (l->n + 1) * sizeof *l->b);
    rl_bucket *b = &l->b[l->n++];
    memset(b, 0, sizeof *b);
    snprintf(b->tenant, sizeof b->tenant, "%s", tenant);
    b->tokens = l->cfg.burst;
    b->at = now;
    return b;
}

rl_verdict rl_check(rl_limiter *l, const char *tenant, bool take, int64_t now)
{
    rl_verdict v = {.allowed = true};
    if (l->cfg.rate <= 0)
        return v;
    pthread_mutex_lock(&l->mu);
    rl_bucket *b = bucket(l, tenant, now);
    if (now > b->at) {
        b->tokens += l->cfg.rate * (double)(now - b->at) / 1000.0;
        if (b->tokens > l->cfg.burst)
            b->tokens = l->cfg.burst;
    }
    b->at = now;
    if (take) {
        if (b->tokens >= 1.0)
            b->tokens -= 1.0;
        else
            v.allowed = false;
    }
    v.limit = (int64_t)l->cfg.burst;
    v.remaining = (int64_t)floor(b->tokens);
    v.reset_s = (int64_t)ceil((l->cfg.burst - b->tokens) / l->cfg.rate);
    if (!v.allowed) {
        v.retry_after = (int64_t)ceil((1.0 - b->tokens) / l->cfg.rate);
        if (v.retry_after < 1)
            v.retry_after = 1;
    }
    pthread_mutex_unlock(&l->mu);
    return v;
}
