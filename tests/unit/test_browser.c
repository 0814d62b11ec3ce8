/* test_browser.c - the DevTools pipe's framing and calls (against a scripted peer on a pipe),
 * and the --allow-private targets of the SSRF guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "browser/cdp.h"
#include "util/clock.h"
#include "util/net.h"

static void test_frames(void **state)
{
    (void)state;
    oa_buf b;
    oa_buf_init(&b, 0);
    size_t scanned = 0;
    bool big = false;
    assert_null(cdp_frame_take(&b, &scanned, 100, &big));
    assert_int_equal(oa_buf_append(&b, "{\"a\":1}\0{\"b\"", 12), OA_OK);
    char *m = cdp_frame_take(&b, &scanned, 100, &big);
    assert_string_equal(m, "{\"a\":1}");
    free(m);
    assert_null(cdp_frame_take(&b, &scanned, 100, &big)); /* the second is not complete */
    assert_false(big);
    assert_int_equal(scanned, 4);
    assert_int_equal(oa_buf_append(&b, ":2}\0", 4), OA_OK);
    m = cdp_frame_take(&b, &scanned, 100, &big);
    assert_string_equal(m, "{\"b\":2}");
    free(m);
    assert_int_equal(b.len, 0);
    /* Over the limit without a NUL: too big, nothing taken. */
    char junk[64];
    memset(junk, 'x', sizeof junk);
    assert_int_equal(oa_buf_append(&b, junk, sizeof junk), OA_OK);
    assert_null(cdp_frame_take(&b, &scanned, 32, &big));
    assert_true(big);
    oa_buf_free(&b);
}

/* Writes text (with its NUL) to fd. */
static void peer_says(int fd, const char *text)
{
    assert_int_equal(write(fd, text, strlen(text) + 1), (ssize_t)strlen(text) + 1);
}

static int events_seen;
static void on_event(cdp *c, const char *method, json_t *params, const char *session, void *arg)
{
    (void)c;
    (void)params;
    (void)arg;
    assert_string_equal(method, "Page.loadEventFired");
    assert_string_equal(session, "S1");
    events_seen++;
}

static void test_calls(void **state)
{
    (void)state;
    int to_peer[2], from_peer[2];
    assert_int_equal(pipe(to_peer), 0);
    assert_int_equal(pipe(from_peer), 0);
    cdp c;
    cdp_init(&c, to_peer[1], from_peer[0]);
    c.on_event = on_event;
    /* The answer comes after an event and an answer to someone else: the event is handed
     * over, the other answer dropped. */
    peer_says(from_peer[1],
              "{\"method\":\"Page.loadEventFired\",\"params\":{},\"sessionId\":\"S1\"}");
    peer_says(from_peer[1], "{\"id\":99,\"result\":{}}");
    peer_says(from_peer[1], "{\"id\":1,\"result\":{\"product\":\"Chrome/1\"}}");
    json_t *res = NULL;
    char *why = NULL;
    assert_int_equal(
        cdp_call(&c, NULL, "Browser.getVersion", NULL, oa_mono_ms() + 2000, &res, &why), OA_OK);
    assert_string_equal(json_string_value(json_object_get(res, "product")), "Chrome/1");
    json_decref(res);
    assert_int_equal(events_seen, 1);
    /* What was sent: one NUL-terminated JSON command. */
    char sent[256];
    ssize_t n = read(to_peer[0], sent, sizeof sent - 1);
    assert_true(n > 0);
    sent[n] = '\0';
    assert_int_equal(sent[n - 1], '\0');
    assert_non_null(strstr(sent, "\"method\":\"Browser.getVersion\""));
    assert_non_null(strstr(sent, "\"id\":1"));
    /* An error answer. */
    peer_says(from_peer[1], "{\"id\":2,\"error\":{\"code\":-32000,\"message\":\"No target\"}}");
    assert_int_equal(
        cdp_call(&c, "S1", "Target.closeTarget", json_object(), oa_mono_ms() + 2000, NULL, &why),
        OA_INVALID);
    assert_non_null(strstr(why, "No target"));
    free(why);
    /* No answer: the deadline. */
    why = NULL;
    assert_int_equal(cdp_call(&c, NULL, "Page.navigate", NULL, oa_mono_ms() + 100, NULL, &why),
                     OA_AGAIN);
    free(why);
    /* Not JSON: broken. */
    peer_says(from_peer[1], "not json");
    why = NULL;
    assert_int_equal(cdp_call(&c, NULL, "Page.enable", NULL, oa_mono_ms() + 2000, NULL, &why),
                     OA_ERR);
    assert_true(c.broken);
    free(why);
    cdp_free(&c);
    close(to_peer[0]);
    close(from_peer[1]);
    /* The peer goes away: broken, at once. */
    assert_int_equal(pipe(to_peer), 0);
    assert_int_equal(pipe(from_peer), 0);
    cdp_init(&c, to_peer[1], from_peer[0]);
    close(from_peer[1]);
    why = NULL;
    assert_int_equal(cdp_call(&c, NULL, "Page.enable", NULL, oa_mono_ms() + 5000, NULL, &why),
                     OA_ERR);
    assert_non_null(strstr(why, "closed its pipe"));
    free(why);
    cdp_free(&c);
    close(to_peer[0]);
}

static struct sockaddr_in v4(const char *ip, int port)
{
    struct sockaddr_in s = {0};
    s.sin_family = AF_INET;
    s.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, ip, &s.sin_addr);
    return s;
}

static void test_allow_private(void **state)
{
    (void)state;
    oa_private_allow_clear();
    char *why = NULL;
    struct sockaddr_in a = v4("127.0.0.1", 8081), b = v4("127.0.0.1", 8082), c = v4("10.0.0.5", 80);
    assert_false(oa_addr_allowed((struct sockaddr *)&a));
    assert_int_equal(oa_private_allow_add("127.0.0.1:8081", &why), OA_OK);
    assert_true(oa_addr_allowed((struct sockaddr *)&a));
    assert_false(oa_addr_allowed((struct sockaddr *)&b)); /* another port */
    assert_false(oa_addr_allowed((struct sockaddr *)&c));
    assert_int_equal(oa_private_allow_add("10.0.0.5", &why), OA_OK); /* any port */
    assert_true(oa_addr_allowed((struct sockaddr *)&c));
    struct sockaddr_in pub = v4("93.184.216.34", 443);
    assert_true(oa_addr_allowed((struct sockaddr *)&pub));
    /* URLs: the allowed target passes, its neighbour does not; localhost by name. */
    assert_int_equal(oa_url_check("http://127.0.0.1:8081/jobs", false, &why), OA_OK);
    assert_int_equal(oa_url_check("http://127.0.0.1:8082/jobs", false, &why), OA_INVALID);
    assert_non_null(strstr(why, "--allow-private"));
    free(why);
    assert_int_equal(oa_url_check("http://localhost:9000/", false, &why), OA_INVALID);
    free(why);
    assert_int_equal(oa_private_allow_add("localhost:9000", &why), OA_OK);
    assert_int_equal(oa_url_check("http://localhost:9000/", false, &why), OA_OK);
    assert_int_equal(oa_url_check_resolved("http://localhost:9000/", false, &why), OA_OK);
    assert_int_equal(oa_url_check_resolved("http://localhost:9001/", false, &why), OA_INVALID);
    free(why);
    /* Bad specs. */
    assert_int_equal(oa_private_allow_add("127.0.0.1:0", &why), OA_INVALID);
    free(why);
    assert_int_equal(oa_private_allow_add("127.0.0.1:99999", &why), OA_INVALID);
    free(why);
    assert_int_equal(oa_private_allow_add(":80", &why), OA_INVALID);
    free(why);
    assert_int_equal(oa_private_allow_add("[::1]:8081", &why), OA_OK);
    oa_private_allow_clear();
    assert_false(oa_addr_allowed((struct sockaddr *)&a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_allow_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
