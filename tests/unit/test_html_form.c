/*
 * test_html_form.c - the generic HTML driver's extraction, on saved career-site pages.
 *
 * Each fixture tests/fixtures/forms/NAME.html has a NAME.expected beside it: the page URL, the
 * page kind, and the extracted form rendered one line per fact (see render()):
 *
 *   URL https://boards.example.com/acme/jobs/1
 *   KIND FORM
 *   ACTION POST multipart/form-data https://boards.example.com/acme/jobs/1/applications
 *   HIDDEN authenticity_token=abc
 *   SECTION "Personal information"
 *     Q TEXT req FIRST_NAME - "First name" name=first_name ctl=text type=text
 *       D "As in your passport"
 *     Q SINGLE_SELECT opt GENDER EEO "Gender" name=gender ctl=select
 *       O MALE "Male" =m
 *
 * A mismatch prints a line diff. OA_UPDATE_EXPECTED=1 rewrites the files from the current
 * output (review the diff before committing). OA_DUMP=path prints the rendering of any page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "drivers/driver.h"
#include "drivers/html_internal.h"
#include "drivers/unified_keys.h"
#include "util/buf.h"

#ifndef OA_SOURCE_DIR
#define OA_SOURCE_DIR "."
#endif

/* ---- helpers ---------------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    oa_buf b;
    oa_buf_init(&b, 0);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(oa_buf_append(&b, chunk, n), OA_OK);
    fclose(f);
    *len = b.len;
    return oa_buf_take(&b);
}

static char *fixture_path(const char *name, const char *ext)
{
    const char *dir = getenv("OA_SOURCE_DIR");
    return xasprintf("%s/tests/fixtures/forms/%s%s", dir && *dir ? dir : OA_SOURCE_DIR, name,
                     ext);
}

static void put_quoted(oa_buf *b, const char *s)
{
    assert_int_equal(oa_buf_puts(b, "\""), OA_OK);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"' || *p == '\\')
            assert_int_equal(oa_buf_printf(b, "\\%c", *p), OA_OK);
        else if (*p == '\n')
            assert_int_equal(oa_buf_puts(b, "\\n"), OA_OK);
        else
            assert_int_equal(oa_buf_append(b, p, 1), OA_OK);
    }
    assert_int_equal(oa_buf_puts(b, "\""), OA_OK);
}

static void render_block(oa_buf *b, const oa_block *q, int indent)
{
    char pad[32];
    snprintf(pad, sizeof pad, "%*s", indent, "");
    if (q->kind == OA_BLOCK_SECTION) {
        assert_int_equal(oa_buf_printf(b, "%sSECTION ", pad), OA_OK);
        put_quoted(b, q->label);
        assert_int_equal(oa_buf_puts(b, "\n"), OA_OK);
        for (size_t i = 0; i < q->n_children; i++)
            render_block(b, &q->children[i], indent + 2);
        return;
    }
    assert_int_equal(oa_buf_printf(b, "%sQ %s %s %s %s ", pad, oa_qtype_name(q->type),
                                   q->required ? "req" : "opt",
                                   q->unified_key ? q->unified_key : "-",
                                   q->category ? q->category : "-"),
                     OA_OK);
    put_quoted(b, q->label);
    assert_int_equal(oa_buf_printf(b, " name=%s ctl=%s", q->field_name ? q->field_name : "",
                                   oa_control_name(q->control)),
                     OA_OK);
    if (q->input_type)
        assert_int_equal(oa_buf_printf(b, " type=%s", q->input_type), OA_OK);
    if (q->accept)
        assert_int_equal(oa_buf_printf(b, " accept=%s", q->accept), OA_OK);
    if (q->checked_value)
        assert_int_equal(oa_buf_printf(b, " checked=%s", q->checked_value), OA_OK);
    if (q->dw_field)
        assert_int_equal(oa_buf_printf(b, " dw=%s=%s%s", q->dw_field,
                                       q->dw_value ? q->dw_value : "",
                                       q->dw_answer ? "" : "(unresolved)"),
                         OA_OK);
    assert_int_equal(oa_buf_puts(b, "\n"), OA_OK);
    if (q->description) {
        assert_int_equal(oa_buf_printf(b, "%s  D ", pad), OA_OK);
        put_quoted(b, q->description);
        assert_int_equal(oa_buf_puts(b, "\n"), OA_OK);
    }
    for (size_t i = 0; i < q->n_options; i++) {
        const oa_option *o = &q->options[i];
        assert_int_equal(oa_buf_printf(b, "%s  O %s ", pad, o->unified_key ? o->unified_key : "-"),
                         OA_OK);
        put_quoted(b, o->label);
        assert_int_equal(oa_buf_printf(b, " =%s\n", o->value ? o->value : ""), OA_OK);
    }
}

/* Renders the result of an extraction (ids assigned first, so display_when resolution shows). */
static char *render(drv_page_kind kind, oa_form *f)
{
    static const char *const KINDS[] = {"FORM", "NO_FORM", "CLOSED"};
    oa_buf b;
    oa_buf_init(&b, 0);
    assert_int_equal(oa_buf_printf(&b, "KIND %s\n", KINDS[kind]), OA_OK);
    if (kind == DRV_PAGE_FORM) {
        oa_form_assign_ids(f, "posting-under-test");
        assert_int_equal(oa_buf_printf(&b, "ACTION %s %s %s\n", f->method, f->enctype, f->action),
                         OA_OK);
        for (size_t i = 0; i < f->n_hidden; i++)
            assert_int_equal(
                oa_buf_printf(&b, "HIDDEN %s=%s\n", f->hidden[i].name, f->hidden[i].value),
                OA_OK);
        for (size_t i = 0; i < f->n_blocks; i++)
            render_block(&b, &f->blocks[i], 0);
    }
    return oa_buf_take(&b);
}

/* Splits text into lines (in place). */
static size_t split_lines(char *s, char ***out)
{
    size_t n = 0, cap = 16;
    char **l = xmalloc(cap * sizeof *l);
    for (char *p = s; *p;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = '\0';
        if (n == cap)
            l = xrealloc(l, (cap *= 2) * sizeof *l);
        l[n++] = p;
        if (!e)
            break;
        p = e + 1;
    }
    *out = l;
    return n;
}

/* Prints a line diff (LCS) of expected vs actual. */
static void print_diff(const char *name, char *exp, char *act)
{
    char **a, **b;
    size_t na = split_lines(exp, &a), nb = split_lines(act, &b);
    size_t *t = xcalloc((na + 1) * (nb + 1), sizeof *t);
#define T_(i, j) t[(i) * (nb + 1) + (j)]
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            T_(i, j) = strcmp(a[i], b[j]) == 0 ? T_(i + 1, j + 1) + 1
                       : T_(i + 1, j) >= T_(i, j + 1) ? T_(i + 1, j)
                                                      : T_(i, j + 1);
    fprintf(stderr, "--- %s.expected\n+++ %s (extracted)\n", name, name);
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
            i++;
            j++;
        } else if (j < nb && (i == na || T_(i, j + 1) >= T_(i + 1, j))) {
            fprintf(stderr, "+%s\n", b[j++]);
        } else {
            fprintf(stderr, "-%s\n", a[i++]);
        }
    }
#undef T_
    free(t);
    free(a);
    free(b);
}

/* The expected rendering: the .expected file without comments, blank lines and URL. */
static char *expected_body(const char *text, char **url)
{
    oa_buf b;
    oa_buf_init(&b, 0);
    *url = NULL;
    char *copy = xstrdup(text);
    char **l;
    size_t n = split_lines(copy, &l);
    for (size_t i = 0; i < n; i++) {
        const char *s = l[i];
        if (!*s || s[0] == '#')
            continue;
        if (strncmp(s, "URL ", 4) == 0) {
            free(*url);
            *url = xstrdup(s + 4);
            continue;
        }
        assert_int_equal(oa_buf_printf(&b, "%s\n", s), OA_OK);
    }
    free(l);
    free(copy);
    return oa_buf_take(&b);
}

/* Extracts a page; asserts the status is OA_OK. */
static drv_page_kind extract(const char *html, size_t len, const char *url, oa_form *f, char **why)
{
    drv_page_kind kind;
    oa_status st = drv_html_extract(html, len, url, &kind, f, why);
    assert_int_equal(st, OA_OK);
    if (kind == DRV_PAGE_FORM)
        assert_null(*why);
    else
        assert_non_null(*why);
    return kind;
}

/* Every form must survive the storage round trip and serialise to Kombo's shape. */
static void check_round_trip(oa_form *f)
{
    json_t *j = oa_form_to_json(f, OA_FORM_INTERNAL);
    assert_non_null(j);
    oa_form back;
    assert_int_equal(oa_form_from_json(j, &back), OA_OK);
    char h1[65], h2[65];
    oa_form_hash(f, h1);
    oa_form_hash(&back, h2);
    assert_string_equal(h1, h2);
    oa_form_free(&back);
    json_decref(j);
    json_t *pub = oa_form_to_json(f, OA_FORM_PUBLIC);
    assert_true(json_is_array(pub));
    json_decref(pub);
}

static void run_fixture(const char *name)
{
    char *hp = fixture_path(name, ".html"), *ep = fixture_path(name, ".expected");
    size_t hlen = 0, elen = 0;
    char *html = read_file(hp, &hlen);
    if (!html)
        fail_msg("cannot read %s", hp);
    char *exp_text = read_file(ep, &elen);
    char *url = NULL;
    char *exp = exp_text ? expected_body(exp_text, &url) : xstrdup("");
    oa_form f;
    char *why = NULL;
    drv_page_kind kind = extract(html, hlen, url, &f, &why);
    char *act = render(kind, &f);
    if (kind == DRV_PAGE_FORM)
        check_round_trip(&f);
    if (getenv("OA_UPDATE_EXPECTED")) {
        FILE *o = fopen(ep, "w");
        assert_non_null(o);
        fprintf(o, "# %s.html extracted by drv_html_extract (see test_html_form.c)\n", name);
        fprintf(o, "URL %s\n", url ? url : "https://careers.example.com/jobs/1");
        fputs(act, o);
        fclose(o);
    } else if (strcmp(exp, act) != 0) {
        if (why)
            fprintf(stderr, "why: %s\n", why);
        print_diff(name, exp, act);
        fail_msg("%s: extracted form differs from %s.expected", name, name);
    }
    free(act);
    free(exp);
    free(exp_text);
    free(url);
    free(why);
    oa_form_free(&f);
    free(html);
    free(hp);
    free(ep);
}

#define FIXTURE(n)                                                                                 \
    static void test_fixture_##n(void **state)                                                     \
    {                                                                                              \
        (void)state;                                                                               \
        run_fixture(#n);                                                                           \
    }
FIXTURE(greenhouse)

int main(void)
{
    const char *dump = getenv("OA_DUMP");
    if (dump) {
        size_t len;
        char *html = read_file(dump, &len);
        if (!html)
            return 2;
        oa_form f;
        char *why = NULL;
        drv_page_kind kind;
        oa_status st = drv_html_extract(html, len, getenv("OA_DUMP_URL"), &kind, &f, &why);
        printf("status %s why %s\n", oa_status_str(st), why ? why : "-");
        if (st == OA_OK) {
            char *r = render(kind, &f);
            fputs(r, stdout);
            free(r);
        }
        oa_form_free(&f);
        free(why);
        free(html);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_greenhouse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
