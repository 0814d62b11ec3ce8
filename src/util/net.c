/* net.c - URL validation and public/private address classification. */
#include "util/net.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool v4_public(uint32_t a) /* host byte order */
{
    uint8_t b0 = a >> 24, b1 = (a >> 16) & 0xff;
    if (b0 == 0 || b0 == 10 || b0 == 127)
        return false; /* this network, private, loopback */
    if (b0 == 100 && (b1 & 0xc0) == 64)
        return false; /* CGNAT 100.64.0.0/10 */
    if (b0 == 169 && b1 == 254)
        return false; /* link-local, cloud metadata */
    if (b0 == 172 && (b1 & 0xf0) == 16)
        return false; /* 172.16.0.0/12 */
    if (b0 == 192 && b1 == 168)
        return false;
    if (b0 == 192 && b1 == 0 && ((a >> 8) & 0xff) == 0)
        return false; /* 192.0.0.0/24 IETF protocol assignments */
    if (b0 == 192 && b1 == 0 && ((a >> 8) & 0xff) == 2)
        return false; /* TEST-NET-1 */
    if (b0 == 198 && (b1 == 18 || b1 == 19))
        return false; /* benchmarking */
    if (b0 == 198 && b1 == 51 && ((a >> 8) & 0xff) == 100)
        return false; /* TEST-NET-2 */
    if (b0 == 203 && b1 == 0 && ((a >> 8) & 0xff) == 113)
        return false; /* TEST-NET-3 */
    if (b0 >= 224)
        return false; /* multicast, reserved, broadcast */
    return true;
}

bool oa_addr_is_public(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        return v4_public(ntohl(s4->sin_addr.s_addr));
    }
    if (sa->sa_family != AF_INET6)
        return false;
    const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const uint8_t zero[16] = {0};
    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
        return false; /* :: and ::1 */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0 || memcmp(b, zero, 12) == 0) {
        uint32_t a =
            ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) | ((uint32_t)b[14] << 8) | b[15];
        return v4_public(a);
    }
    if ((b[0] & 0xfe) == 0xfc)
        return false; /* fc00::/7 unique local (incl. fd00:ec2::254 metadata) */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return false; /* fe80::/10 link-local */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return false; /* fec0::/10 site-local (deprecated) */
    if (b[0] == 0xff)
        return false; /* multicast */
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return false;                   /* documentation */
    if (b[0] == 0x20 && b[1] == 0x02) { /* 6to4: judge the embedded IPv4 */
        uint32_t a = ((uint32_t)b[2] << 24) | ((uint32_t)b[3] << 16) | ((uint32_t)b[4] << 8) | b[5];
        return v4_public(a);
    }
    return true;
}

curl_socket_t oa_curl_open_socket(void *guard, curlsocktype purpose, struct curl_sockaddr *addr)
{
    oa_net_guard *g = guard;
    (void)purpose;
    if (!g->allow_private && !oa_addr_is_public(&addr->addr)) {
        g->refused = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

static bool name_is_local(const char *host)
{
    size_t n = strlen(host);
    const char *suffixes[] = {"localhost", ".localhost", ".local", ".internal", ".localdomain"};
    if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "metadata.google.internal") == 0)
        return true;
    for (size_t i = 1; i < OA_ARRAY_LEN(suffixes); i++) {
        size_t m = strlen(suffixes[i]);
        if (n > m && strcasecmp(host + n - m, suffixes[i]) == 0)
            return true;
    }
    return false;
}

/* Returns the URL's host (malloc'd, IPv6 without brackets) or NULL with *why. */
static char *url_host(const char *url, char **why)
{
    if (strlen(url) > OA_MAX_URL) {
        *why = xasprintf("URL is longer than %d characters", OA_MAX_URL);
        return NULL;
    }
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) {
        *why = xstrdup("URL must start with http:// or https://");
        return NULL;
    }
    for (const char *p = url; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            *why = xstrdup("URL must not contain spaces or control characters");
            return NULL;
        }
    }
    CURLU *u = curl_url();
    char *host = NULL, *user = NULL, *res = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host) {
        *why = xstrdup("URL is not a valid absolute http(s) URL with a host");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && user) {
        *why = xstrdup("URL must not contain credentials (user:password@)");
        goto out;
    }
    size_t n = strlen(host);
    if (host[0] == '[' && n >= 2 && host[n - 1] == ']')
        res = xstrndup(host + 1, n - 2);
    else
        res = xstrdup(host);
    /* Strip an IPv6 zone id. */
    char *pct = strchr(res, '%');
    if (pct)
        *pct = '\0';
out:
    curl_free(host);
    curl_free(user);
    curl_url_cleanup(u);
    return res;
}

static bool literal_addr(const char *host, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        return true;
    }
    /* Numeric forms inet_pton refuses but resolvers accept (0x7f.1, 2130706433, 127.1). */
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_family = AF_INET;
    if (getaddrinfo(host, NULL, &hints, &ai) == 0 && ai) {
        memcpy(ss, ai->ai_addr, ai->ai_addrlen);
        freeaddrinfo(ai);
        return true;
    }
    return false;
}

oa_status oa_url_check(const char *url, bool allow_private, char **why)
{
    *why = NULL;
    char *host = url_host(url, why);
    if (!host)
        return OA_INVALID;
    oa_status rc = OA_OK;
    struct sockaddr_storage ss;
    if (!allow_private) {
        if (literal_addr(host, &ss)) {
            if (!oa_addr_is_public((struct sockaddr *)&ss)) {
                *why = xasprintf("URL host %s is a loopback, private, link-local or reserved "
                                 "address (allowed only with --allow-private-networks)",
                                 host);
                rc = OA_INVALID;
            }
        } else if (name_is_local(host)) {
            *why = xasprintf("URL host %s names the local network (allowed only with "
                             "--allow-private-networks)",
                             host);
            rc = OA_INVALID;
        }
    }
    free(host);
    return rc;
}

oa_status oa_url_check_resolved(const char *url, bool allow_private, char **why)
{
    oa_status rc = oa_url_check(url, allow_private, why);
    if (rc != OA_OK || allow_private)
        return rc;
    char *host = url_host(url, why);
    if (!host)
        return OA_INVALID;
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, NULL, &hints, &ai);
    if (gai != 0) {
        *why = xasprintf("cannot resolve %s: %s", host, gai_strerror(gai));
        free(host);
        return OA_AGAIN;
    }
    for (struct addrinfo *p = ai; p; p = p->ai_next) {
        if (!oa_addr_is_public(p->ai_addr)) {
            *why = xasprintf("URL host %s resolves to a private or reserved address (allowed "
                             "only with --allow-private-networks)",
                             host);
            rc = OA_INVALID;
            break;
        }
    }
    freeaddrinfo(ai);
    free(host);
    return rc;
}
