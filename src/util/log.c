/* log.c - structured key=value log lines on stderr, written with a single write(2). */
#include "util/log.h"
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static oa_log_level g_level = OA_LOG_INFO;

void oa_log_set_level(oa_log_level lvl)
{
    g_level = lvl;
}

bool oa_log_enabled(oa_log_level lvl)
{
    return lvl >= g_level;
}

oa_log_level oa_log_parse_level(const char *s, bool *ok)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    for (size_t i = 0; i < OA_ARRAY_LEN(names); i++) {
        if (strcasecmp(s, names[i]) == 0) {
            *ok = true;
            return (oa_log_level)i;
        }
    }
    *ok = false;
    return OA_LOG_INFO;
}

void oa_log(oa_log_level lvl, const char *event, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (lvl < g_level)
        return;
    char line[2048];
    char ts[OA_TIME_LEN];
    oa_time_fmt(oa_now_ms(), ts);
    int n = snprintf(line, sizeof line, "ts=%s level=%s event=%s", ts, names[lvl], event);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (fmt && *fmt && len < sizeof line - 2) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + len, sizeof line - len, fmt, ap);
        va_end(ap);
        if (m > 0)
            len += (size_t)m < sizeof line - len ? (size_t)m : sizeof line - len - 1;
    }
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    OA_UNUSED(w);
}

const char *oa_logq(char *out, size_t n, const char *s)
{
    if (n < 3) {
        if (n)
            out[0] = '\0';
        return out;
    }
    if (!s)
        s = "";
    bool bare = *s != '\0';
    for (const char *p = s; *p && bare; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' || *p == 0x7f)
            bare = false;
    size_t o = 0;
    if (bare) {
        while (*s && o < n - 1)
            out[o++] = *s++;
        out[o] = '\0';
        return out;
    }
    out[o++] = '"';
    for (; *s && o < n - 5; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (c < ' ' || c == 0x7f) {
            out[o++] = '?';
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}
