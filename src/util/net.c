/* net.c - URL validation and public/private address classification. */
#include "util/net.h"
#include "util/text.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
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

/* ---- --allow-private: one entry per HOST[:PORT], its addresses resolved when added ---- */

#define ALLOW_ADDRS 8
static struct {
    char host[256];
    int port; /* 0: any */
    struct sockaddr_storage addrs[ALLOW_ADDRS];
    int n_addrs;
} g_allow[OA_PRIVATE_ALLOW_MAX];
static int g_n_allow;

static int sa_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return 0;
}

static bool same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return false;
    if (a->sa_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    if (a->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
    return false;
}

oa_status oa_private_allow_add(const char *spec, char **why)
{
    *why = NULL;
    if (g_n_allow >= OA_PRIVATE_ALLOW_MAX) {
        *why = xasprintf("at most %d --allow-private targets", OA_PRIVATE_ALLOW_MAX);
        return OA_TOO_LARGE;
    }
    char host[256];
    int port = 0;
    const char *colon = strrchr(spec, ':');
    const char *end = spec + strlen(spec);
    if (spec[0] == '[') { /* [v6]:port */
        const char *rb = strchr(spec, ']');
        if (!rb || (rb[1] && rb[1] != ':')) {
            *why = xasprintf("--allow-private %s: expected HOST, HOST:PORT or [IPV6]:PORT", spec);
            return OA_INVALID;
        }
        colon = rb[1] == ':' ? rb + 1 : NULL;
        end = rb;
        spec++;
    } else if (colon && strchr(spec, ':') != colon) {
        colon = NULL; /* a bare IPv6 address */
    } else if (colon) {
        end = colon;
    }
    if (colon) {
        int64_t v = 0;
        if (oa_parse_int(colon + 1, 1, 65535, &v) != OA_OK) {
            *why = xasprintf("--allow-private: bad port in %s", spec);
            return OA_INVALID;
        }
        port = (int)v;
    }
    size_t n = (size_t)(end - spec);
    if (n == 0 || n >= sizeof host) {
        *why = xasprintf("--allow-private %s: expected HOST, HOST:PORT or [IPV6]:PORT", spec);
        return OA_INVALID;
    }
    memcpy(host, spec, n);
    host[n] = '\0';
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, NULL, &hints, &ai);
    if (gai != 0) {
        *why =
            xasprintf("--allow-private %s: cannot resolve %s: %s", spec, host, gai_strerror(gai));
        return OA_INVALID;
    }
    int k = g_n_allow;
    memset(&g_allow[k], 0, sizeof g_allow[k]);
    snprintf(g_allow[k].host, sizeof g_allow[k].host, "%s", host);
    g_allow[k].port = port;
    for (struct addrinfo *p = ai; p && g_allow[k].n_addrs < ALLOW_ADDRS; p = p->ai_next) {
        if (p->ai_addrlen > sizeof(struct sockaddr_storage))
            continue;
        memcpy(&g_allow[k].addrs[g_allow[k].n_addrs++], p->ai_addr, p->ai_addrlen);
    }
    freeaddrinfo(ai);
    g_n_allow++;
    return OA_OK;
}

void oa_private_allow_clear(void)
{
    g_n_allow = 0;
}

bool oa_addr_allowed(const struct sockaddr *sa)
{
    if (oa_addr_is_public(sa))
        return true;
    int port = sa_port(sa);
    for (int i = 0; i < g_n_allow; i++) {
        if (g_allow[i].port && g_allow[i].port != port)
            continue;
        for (int k = 0; k < g_allow[i].n_addrs; k++)
            if (same_addr(sa, (const struct sockaddr *)&g_allow[i].addrs[k]))
                return true;
    }
    return false;
}

/* True when host:port names an --allow-private entry by its name. */
static bool name_allowed(const char *host, int port)
{
    for (int i = 0; i < g_n_allow; i++)
        if (strcasecmp(g_allow[i].host, host) == 0 && (!g_allow[i].port || g_allow[i].port == port))
            return true;
    return false;
}

curl_socket_t oa_curl_open_socket(void *guard, curlsocktype purpose, struct curl_sockaddr *addr)
{
    oa_net_guard *g = guard;
    (void)purpose;
    if (!g->allow_private && !oa_addr_allowed(&addr->addr)) {
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

/* Returns the URL's host (malloc'd, IPv6 without brackets) or NULL with *why; *port gets
 * its port (the scheme's default when none is given). */
static char *url_host(const char *url, int *port, char **why)
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
    char *pstr = NULL;
    *port = 0;
    if (curl_url_get(u, CURLUPART_PORT, &pstr, CURLU_DEFAULT_PORT) == CURLUE_OK && pstr) {
        int64_t v = 0;
        if (oa_parse_int(pstr, 0, 65535, &v) == OA_OK)
            *port = (int)v;
    }
    curl_free(pstr);
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

static void set_port(struct sockaddr *sa, int port)
{
    if (sa->sa_family == AF_INET)
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
    else if (sa->sa_family == AF_INET6)
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
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
    int port = 0;
    char *host = url_host(url, &port, why);
    if (!host)
        return OA_INVALID;
    oa_status rc = OA_OK;
    struct sockaddr_storage ss;
    if (!allow_private) {
        if (literal_addr(host, &ss)) {
            set_port((struct sockaddr *)&ss, port);
            if (!oa_addr_allowed((struct sockaddr *)&ss)) {
                *why = xasprintf(
                    "URL host %s is a loopback, private, link-local or reserved "
                    "address (allowed only with --allow-private-networks or --allow-private)",
                    host);
                rc = OA_INVALID;
            }
        } else if (name_is_local(host) && !name_allowed(host, port)) {
            *why = xasprintf("URL host %s names the local network (allowed only with "
                             "--allow-private-networks or --allow-private)",
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
    int port = 0;
    char *host = url_host(url, &port, why);
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
        set_port(p->ai_addr, port);
        if (!oa_addr_allowed(p->ai_addr)) {
            *why = xasprintf("URL host %s resolves to a private or reserved address (allowed "
                             "only with --allow-private-networks or --allow-private)",
                             host);
            rc = OA_INVALID;
            break;
        }
    }
    freeaddrinfo(ai);
    free(host);
    return rc;
}
