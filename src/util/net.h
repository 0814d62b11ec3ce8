/*
 * net.h - URL checks and the address classification behind the SSRF guard.
 *
 * Outbound requests (career-site fetches, webhook deliveries) must not reach the engine's own
 * network unless the operator allows it: loopback, private, link-local (which holds the cloud
 * metadata address 169.254.169.254), CGNAT, multicast, reserved and unspecified ranges, in IPv4
 * and IPv6 (including IPv4-mapped and NAT64 forms) are refused. URLs are checked when they are
 * given to us, and the address actually connected is checked again at connect time, because
 * DNS can change in between.
 */
#ifndef OA_NET_H
#define OA_NET_H

#include <curl/curl.h>
#include <sys/socket.h>

#include "util/oa.h"

#define OA_MAX_URL 2048

/* True when the address is a public unicast address. */
bool oa_addr_is_public(const struct sockaddr *sa);

/* The connect-time guard for libcurl transfers: set CURLOPT_OPENSOCKETFUNCTION to
 * oa_curl_open_socket and CURLOPT_OPENSOCKETDATA to a guard. Every address curl is about to
 * connect to (after DNS, on every redirect) is refused unless public or allow_private;
 * `refused` records that it happened, to explain the transfer's error. */
typedef struct {
    bool allow_private;
    bool refused;
} oa_net_guard;

curl_socket_t oa_curl_open_socket(void *guard, curlsocktype purpose, struct curl_sockaddr *addr);

/* Checks an http(s) URL given by a client: scheme, host, no credentials, length, and (unless
 * allow_private) no literal private address or localhost name. *why is malloc'd on failure. */
oa_status oa_url_check(const char *url, bool allow_private, char **why) OA_MUST_CHECK;

/* Resolves the URL's host and refuses it when any address is not public (unless
 * allow_private). Resolution failures are OA_AGAIN (DNS may come back). */
oa_status oa_url_check_resolved(const char *url, bool allow_private, char **why) OA_MUST_CHECK;

/* --allow-private HOST[:PORT] (repeatable): private targets allowed one by one while private
 * networks as a whole stay refused. The host's addresses are resolved when it is added (at
 * start, before any request); a target is allowed when its address and port match an entry
 * (no port: any port). At most OA_PRIVATE_ALLOW_MAX entries. */
#define OA_PRIVATE_ALLOW_MAX 16
oa_status oa_private_allow_add(const char *spec, char **why) OA_MUST_CHECK;
void oa_private_allow_clear(void);
/* True when sa (its address and port) is public or an allowed private target. */
bool oa_addr_allowed(const struct sockaddr *sa);

#endif
