/*
 * fuzz_verify.c - libFuzzer target for webhook verification (oaw_verify_ex, the signers and
 * the header parsing behind them).
 *
 * Input layout: byte 0 is a set of flags, then '\n'-separated lines: the secret (unless flag 1
 * picks a fixed good one), header lines "name: value" up to an empty line, and the rest is the
 * body. Flag 2 replaces the signature headers with correct ones for the fuzzed id and body, so
 * the matching path is explored too; flag 4 requires the Standard Webhooks headers; bits 3-4
 * pick the tolerance. Invariants checked: no crash, no leak, a known result code with a
 * message, a correctly signed webhook verifies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openapply/webhook.h"

#define MAX_HEADERS  24
#define FIXED_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define NOW          1700000000

/* Splits off the next line (NUL-terminating it in place); NULL at the end of the input. */
static char *next_line(char **p, char *end)
{
    if (*p >= end)
        return NULL;
    char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl) {
        *p = end;
        return s;
    }
    *nl = '\0';
    *p = nl + 1;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    char *buf = malloc(size + 1); /* lines are NUL-terminated in place; body stays binary */
    if (!buf)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    char *p = buf, *end = buf + size - 1;
    const char *secret = FIXED_SECRET;
    if (!(flags & 1)) {
        char *s = next_line(&p, end);
        secret = s ? s : "";
    }
    oaw_header h[MAX_HEADERS + 3];
    size_t n = 0;
    char *line;
    while (n < MAX_HEADERS && (line = next_line(&p, end)) && *line) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        h[n].name = line;
        h[n].value = colon[1] == ' ' ? colon + 2 : colon + 1;
        n++;
    }
    const char *body = p < end ? p : NULL;
    size_t body_len = p < end ? (size_t)(end - p) : 0;

    char sig[OAW_SIGNATURE_MAX], kombo[OAW_SIGNATURE_MAX], ts[24];
    int signed_ok = 0;
    if (flags & 2) {
        /* Correct signatures for the first header's value as the id. */
        const char *id = n ? h[0].value : "msg_fuzz";
        if (oaw_sign_standard(secret, id, NOW, body, body_len, sig) == OAW_OK &&
            oaw_sign_kombo(secret, body, body_len, kombo) == OAW_OK) {
            n = 0;
            h[n++] = (oaw_header){"webhook-id", id};
            memcpy(ts, "1700000000", 11);
            h[n++] = (oaw_header){"webhook-timestamp", ts};
            h[n++] = (oaw_header){"webhook-signature", sig};
            h[n++] = (oaw_header){"X-Kombo-Signature", kombo};
            signed_ok = 1;
        }
    } else {
        /* Exercise the signers on arbitrary input too. */
        (void)oaw_sign_standard(secret, n ? h[0].value : "", (int64_t)flags * 1000, body, body_len,
                                sig);
        (void)oaw_sign_kombo(secret, body, body_len, kombo);
    }
    static const int tolerances[] = {0, 1, 300, 86400};
    oaw_verify_opts o = {.tolerance_s = tolerances[(flags >> 3) & 3],
                         .now = NOW,
                         .require_standard = (flags & 4) != 0};
    oaw_verify_info info;
    oaw_result r = oaw_verify_ex(secret, h, n, body, body_len, &o, &info);
    if (r > OAW_ERR_STORE || !oaw_strerror(r) || !*oaw_strerror(r))
        abort();
    if (signed_ok && r != OAW_OK && r != OAW_ERR_MALFORMED_ID)
        abort(); /* what we signed must verify (unless the id itself is unacceptable) */
    if (r == OAW_OK && info.signature_index < 0)
        abort();
    free(buf);
    return 0;
}
