/*
 * test_html_submit.c - the generic HTML driver's submission half: answers become the fields a
 * browser would post, and the site's answer becomes SUBMITTED / REJECTED / TRANSIENT.
 *
 * Answers go through the real flow: extract a page, assign ids, validate answers with
 * oa_form_validate, then build the fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "drivers/driver.h"
#include "util/buf.h"
#include "util/crypto.h"

#ifndef OA_SOURCE_DIR
#define OA_SOURCE_DIR "."
#endif

#define PAGE                                                                                       \
    "<html><body><form id=application method=post action=/apply enctype=multipart/form-data>"      \
    "<input type=hidden name=_csrf value=%s><input type=hidden name=job value=42>"                 \
    "<label for=fn>First name</label><input id=fn name=first_name required>"                       \
    "<label for=yrs>Years</label><input id=yrs type=number name=years>"                            \
    "<label for=sal>Salary</label><input id=sal type=number name=salary>"                          \
    "<label for=sd>Start date</label><input id=sd type=date name=start>"                           \
    "<label for=mo>Graduation month</label><input id=mo type=month name=grad>"                     \
    "<label><input type=checkbox name=pool value=yes> Talent pool</label>"                         \
    "<label><input type=checkbox name=news> Newsletter</label>"                                    \
    "<label for=team>Team</label><select id=team name=team><option value=''>Choose</option>"       \
    "<option value=plat>Platform</option><option value=data>Data</option></select>"                \
    "<p>Arrangement</p><label><input type=radio name=arr value=remote> Remote</label>"             \
    "<label><input type=radio name=arr value=office> Office</label>"                               \
    "<p>Skills</p><label><input type=checkbox name='skills[]' value=go> Go</label>"                \
    "<label><input type=checkbox name='skills[]' value=c> C</label>"                               \
    "<label><input type=checkbox name='skills[]' value=rust> Rust</label>"                         \
    "<label for=cv>CV</label><input id=cv type=file name=cv>"                                      \
    "<label for=note>Note</label><textarea id=note name=note></textarea>"                          \
    "<button>Apply</button></form></body></html>"

static void load(oa_form *f, const char *token)
{
    char *html = xasprintf(PAGE, token);
    drv_page_kind kind;
    char *why = NULL;
    assert_int_equal(
        drv_html_extract(html, strlen(html), "https://jobs.example/j/1", &kind, f, &why), OA_OK);
    assert_int_equal(kind, DRV_PAGE_FORM);
    assert_null(why);
    oa_form_assign_ids(f, "posting-1");
    free(html);
}

struct find_ctx {
    const char *name;
    const oa_block *q;
};

static void find_fn(const oa_block *q, void *c)
{
    struct find_ctx *fc = c;
    if (!fc->q && strcmp(q->field_name, fc->name) == 0)
        fc->q = q;
}

static const oa_block *q_named(const oa_form *f, const char *name)
{
    struct find_ctx fc = {name, NULL};
    oa_form_each_question(f, find_fn, &fc);
    assert_non_null(fc.q);
    return fc.q;
}

static const char *opt_id(const oa_block *q, const char *value)
{
    for (size_t i = 0; i < q->n_options; i++)
        if (strcmp(q->options[i].value, value) == 0)
            return q->options[i].id;
    fail_msg("no option %s", value);
    return NULL;
}

static void answer(json_t *arr, const oa_form *f, const char *name, json_t *value)
{
    json_t *a = json_object();
    json_object_set_new(a, "question_id", json_string(q_named(f, name)->question_id));
    json_object_set_new(a, "answer", value);
    json_array_append_new(arr, a);
}

/* Values of all fields named name, joined with '|'. Malloc'd. */
static char *values(const drv_fields *fs, const char *name)
{
    oa_buf b;
    oa_buf_init(&b, 0);
    for (size_t i = 0; i < fs->n; i++) {
        if (strcmp(fs->items[i].name, name) != 0)
            continue;
        assert_int_equal(oa_buf_printf(&b, "%s%s", b.len ? "|" : "",
                                       fs->items[i].is_file ? "<file>" : fs->items[i].value),
                         OA_OK);
    }
    return oa_buf_take(&b);
}

#define ASSERT_VALUES(fs, name, want)                                                              \
    do {                                                                                           \
        char *v_ = values((fs), (name));                                                           \
        assert_string_equal(v_, (want));                                                           \
        free(v_);                                                                                  \
    } while (0)

static void test_build_fields_every_type(void **state)
{
    (void)state;
    oa_form rev, fresh;
    load(&rev, "OLD-TOKEN");
    load(&fresh, "FRESH-TOKEN");
    static const uint8_t pdf[] = {'%',  'P',  'D',  'F',  '-',  '1',  '.',  '4',
                                  '\n', 0x00, 0xff, 0x80, 0x7f, '\r', '\n', 0x00};
    char *b64 = oa_b64_encode(pdf, sizeof pdf);
    json_t *file = json_object();
    json_object_set_new(file, "name", json_string("cv.pdf"));
    json_object_set_new(file, "content_type", json_string("application/pdf"));
    json_object_set_new(file, "data", json_string(b64));
    free(b64);

    json_t *arr = json_array();
    answer(arr, &rev, "first_name", json_string("Ada"));
    answer(arr, &rev, "years", json_integer(3));
    answer(arr, &rev, "salary", json_real(65000.0));
    answer(arr, &rev, "start", json_string("2025-03-01T09:30:00.000Z"));
    answer(arr, &rev, "grad", json_string("2019-07-01"));
    answer(arr, &rev, "pool", json_true());
    answer(arr, &rev, "news", json_false());
    answer(arr, &rev, "team", json_string(opt_id(q_named(&rev, "team"), "data")));
    answer(arr, &rev, "arr", json_string(opt_id(q_named(&rev, "arr"), "office")));
    json_t *multi = json_array();
    json_array_append_new(multi, json_string(opt_id(q_named(&rev, "skills[]"), "go")));
    json_array_append_new(multi, json_string(opt_id(q_named(&rev, "skills[]"), "rust")));
    answer(arr, &rev, "skills[]", multi);
    answer(arr, &rev, "cv", file);
    /* "note" is not answered: nothing is sent for it */

    oa_answers ans;
    char *msg = NULL, *bad = NULL;
    assert_int_equal(oa_form_validate(&rev, arr, &ans, &msg, &bad), OA_OK);

    drv_fields fs;
    char *why = NULL;
    assert_int_equal(drv_html_build_fields(&rev, &fresh, &ans, &fs, &why), OA_OK);
    assert_null(why);
    /* hidden inputs first, from the fresh page */
    assert_string_equal(fs.items[0].name, "_csrf");
    assert_string_equal(fs.items[0].value, "FRESH-TOKEN");
    assert_string_equal(fs.items[1].name, "job");
    ASSERT_VALUES(&fs, "first_name", "Ada");
    ASSERT_VALUES(&fs, "years", "3");
    ASSERT_VALUES(&fs, "salary", "65000");
    ASSERT_VALUES(&fs, "start", "2025-03-01");
    ASSERT_VALUES(&fs, "grad", "2019-07");
    ASSERT_VALUES(&fs, "pool", "yes");
    ASSERT_VALUES(&fs, "news", "");
    ASSERT_VALUES(&fs, "team", "data");
    ASSERT_VALUES(&fs, "arr", "office");
    ASSERT_VALUES(&fs, "skills[]", "go|rust");
    ASSERT_VALUES(&fs, "note", "");
    ASSERT_VALUES(&fs, "cv", "<file>");
    const drv_field *cv = NULL;
    for (size_t i = 0; i < fs.n; i++)
        if (strcmp(fs.items[i].name, "cv") == 0)
            cv = &fs.items[i];
    assert_non_null(cv);
    assert_true(cv->is_file);
    assert_string_equal(cv->filename, "cv.pdf");
    assert_string_equal(cv->content_type, "application/pdf");
    assert_int_equal(cv->len, sizeof pdf);
    assert_memory_equal(cv->data, pdf, sizeof pdf);
    /* 2 hidden + 11 answers (news=false sends nothing, skills two) */
    assert_int_equal(fs.n, 2 + 11);
    drv_fields_free(&fs);

    /* Without a fresh page the revision's hidden inputs are used. */
    assert_int_equal(drv_html_build_fields(&rev, NULL, &ans, &fs, &why), OA_OK);
    assert_string_equal(fs.items[0].value, "OLD-TOKEN");
    drv_fields_free(&fs);

    oa_answers_free(&ans);
    json_decref(arr);
    oa_form_free(&rev);
    oa_form_free(&fresh);
}

/* A date asked as day, month and year controls is answered back into the three: a select
 * gets its own value for the number, a text control the number with leading zeros. */
static void date_parts_case(const char *fixture, const char *first, const char *d, const char *m,
                            const char *y, const char *want_d, const char *want_m,
                            const char *want_y)
{
    size_t n;
    char *html = test_fixture("forms", fixture, &n);
    oa_form f;
    drv_page_kind kind;
    char *why = NULL;
    assert_int_equal(drv_html_extract(html, n, "https://jobs.example/j", &kind, &f, &why), OA_OK);
    assert_int_equal(kind, DRV_PAGE_FORM);
    oa_form_assign_ids(&f, "posting-1");
    const oa_block *q = q_named(&f, first);
    assert_int_equal(q->type, OA_Q_DATE);
    assert_int_equal(q->n_date_parts, 3);
    drv_fields out = {0};
    json_t *tmp;
    char *err = drv_answer_fields(&out, q, (tmp = json_string("1990-05-07")));
    json_decref(tmp);
    assert_null(err);
    char *v;
    assert_string_equal(v = values(&out, d), want_d);
    free(v);
    assert_string_equal(v = values(&out, m), want_m);
    free(v);
    assert_string_equal(v = values(&out, y), want_y);
    free(v);
    drv_fields_free(&out);
    /* A year the select does not offer is an error, not a guess. */
    err = drv_answer_fields(&out, q, (tmp = json_string("1850-05-07")));
    json_decref(tmp);
    if (strstr(fixture, "nl")) {
        assert_non_null(err);
        assert_non_null(strstr(err, "year 1850"));
    }
    free(err);
    drv_fields_free(&out);
    err = drv_answer_fields(&out, q, (tmp = json_string("07.05.1990")));
    json_decref(tmp);
    assert_non_null(err);
    free(err);
    drv_fields_free(&out);
    oa_form_free(&f);
    free(html);
}

static void test_build_fields_date_parts(void **state)
{
    (void)state;
    date_parts_case("rules_nl.html", "geboortedatum_dag", "geboortedatum_dag",
                    "geboortedatum_maand", "geboortedatum_jaar", "7", "5", "1990");
    date_parts_case("rules_it.html", "nascita_gg", "nascita_gg", "nascita_mm", "nascita_aaaa", "07",
                    "05", "1990");
}

/* A date asked in a text box in a stated format is a DATE answered in that format. */
static void test_text_date_formats(void **state)
{
    (void)state;
    static const struct {
        const char *control, *want; /* want NULL: stays TEXT */
    } c[] = {
        {"<input name=d placeholder='mm/dd/yyyy'>", "05/07/1990"},
        {"<input name=d placeholder='jj/mm/aaaa'>", "07/05/1990"},
        {"<input name=d placeholder='TT.MM.JJ'>", "07.05.90"},
        {"<input name=d> (TT.MM.JJJJ)", "07.05.1990"},
        {"<input name=d placeholder='dd-mm-yyyy'>", "07-05-1990"},
        {"<input name=d placeholder='YYYY-MM-DD'>", "1990-05-07"},
        {"<input name=d class='form-control datepicker'>", "1990-05-07"},
        {"<input name=signatureDate>", NULL}, /* labelled "Birthday" below: no date word */
        {"<input name=d placeholder='e.g. Jane'>", NULL},
        {"<input name=d placeholder='mm/dd'>", NULL},
        {"<input name=d placeholder='ab.cd.efgh'>", NULL},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(c); i++) {
        char *html = xasprintf("<html><body><form method=post action=/a><label for=x>Birthday"
                               "</label>%s<input name=email type=email><button>Apply</button>"
                               "</form></body></html>",
                               c[i].control);
        oa_form f;
        drv_page_kind kind;
        char *why = NULL;
        assert_int_equal(
            drv_html_extract(html, strlen(html), "https://j.example/", &kind, &f, &why), OA_OK);
        assert_int_equal(kind, DRV_PAGE_FORM);
        oa_form_assign_ids(&f, "p");
        const oa_block *q = &f.blocks[0];
        if (!c[i].want) {
            if (q->type != OA_Q_TEXT)
                fail_msg("case %zu: %s", i, c[i].control);
        } else {
            if (q->type != OA_Q_DATE)
                fail_msg("case %zu: not a DATE: %s", i, c[i].control);
            drv_fields out = {0};
            json_t *a = json_string("1990-05-07");
            char *err = drv_answer_fields(&out, q, a);
            json_decref(a);
            assert_null(err);
            assert_int_equal(out.n, 1);
            assert_string_equal(out.items[0].value, c[i].want);
            drv_fields_free(&out);
        }
        oa_form_free(&f);
        free(html);
    }
}

static void test_build_fields_numbers_and_errors(void **state)
{
    (void)state;
    oa_form f;
    load(&f, "T");
    const oa_block *years = q_named(&f, "years");
    const oa_block *cv = q_named(&f, "cv");
    const oa_block *start = q_named(&f, "start");
    static const struct {
        double d;
        const char *text;
    } nums[] = {
        {2.5, "2.5"}, {0.1, "0.1"}, {-3.0, "-3"}, {1e-7, "1e-07"}, {123456.75, "123456.75"}};
    for (size_t i = 0; i < OA_ARRAY_LEN(nums); i++) {
        json_t *v = json_real(nums[i].d);
        oa_answer item = {years, v};
        oa_answers ans = {&item, 1};
        drv_fields fs;
        char *why = NULL;
        assert_int_equal(drv_html_build_fields(&f, NULL, &ans, &fs, &why), OA_OK);
        assert_string_equal(fs.items[fs.n - 1].value, nums[i].text);
        drv_fields_free(&fs);
        json_decref(v);
    }
    /* bad base64 and a bad date are refused with a reason, and nothing leaks */
    json_t *file = json_pack("{s:s, s:s, s:s}", "name", "cv.pdf", "content_type", "application/pdf",
                             "data", "not base64!");
    oa_answer bad_file = {cv, file};
    oa_answers ans = {&bad_file, 1};
    drv_fields fs;
    char *why = NULL;
    assert_int_equal(drv_html_build_fields(&f, NULL, &ans, &fs, &why), OA_INVALID);
    assert_non_null(strstr(why, "base64"));
    assert_int_equal(fs.n, 0);
    free(why);
    json_decref(file);
    json_t *d = json_string("03/01/2025");
    oa_answer bad_date = {start, d};
    ans.items = &bad_date;
    assert_int_equal(drv_html_build_fields(&f, NULL, &ans, &fs, &why), OA_INVALID);
    assert_non_null(strstr(why, "start"));
    free(why);
    json_decref(d);
    oa_form_free(&f);
}

/* ---- classify --------------------------------------------------------------------------- */

static drv_outcome classify(long status, const char *ct, const char *body, char **why)
{
    *why = NULL;
    drv_outcome o = drv_html_classify(status, ct, body, body ? strlen(body) : 0, why);
    assert_non_null(*why);
    return o;
}

#define ASSERT_OUTCOME(status, ct, body, want, needle)                                             \
    do {                                                                                           \
        char *w_ = NULL;                                                                           \
        drv_outcome o_ = classify((status), (ct), (body), &w_);                                    \
        if (o_ != (want) || ((needle) && !strstr(w_, (needle))))                                   \
            fail_msg("status %ld: outcome %d (%s), want %d with \"%s\"", (long)(status), o_, w_,   \
                     (want), (needle) ? (needle) : "");                                            \
        free(w_);                                                                                  \
    } while (0)

static const char *THANKS =
    "<html><head><title>Application received</title></head><body><div class=notice>"
    "<h1>Thank you for your application</h1><p>We will be in touch.</p>"
    "<div class='alert alert-info' role=alert>Your session ends in 5 minutes.</div>"
    "<div class=form-error style='display:none'>Please correct the errors below.</div>"
    "</div></body></html>";

static const char *REJECTED_FORM =
    "<html><body><h1>Apply</h1><div class=error role=alert id=form-errors>"
    "<p><strong>Please correct the following:</strong></p><ul>"
    "<li>Email: is not a valid email address</li><li>Resume: is required</li></ul></div>"
    "<form id=application method=post action=/apply enctype=multipart/form-data>"
    "<label for=e>Email</label><input id=e name=email aria-invalid=true value=nope>"
    "<label for=f>First name</label><input id=f name=first>"
    "<label for=c>Resume</label><input id=c type=file name=resume aria-invalid=true>"
    "<button>Submit application</button></form></body></html>";

static void test_classify_statuses(void **state)
{
    (void)state;
    ASSERT_OUTCOME(303, "text/plain", "", DRV_SUBMITTED, "303");
    ASSERT_OUTCOME(302, NULL, NULL, DRV_SUBMITTED, "redirect");
    ASSERT_OUTCOME(500, "text/html", "<h1>Internal error</h1>", DRV_TRANSIENT, "500");
    ASSERT_OUTCOME(503, "text/html", "", DRV_TRANSIENT, "503");
    ASSERT_OUTCOME(429, "text/html", "slow down", DRV_TRANSIENT, "rate");
    ASSERT_OUTCOME(408, NULL, NULL, DRV_TRANSIENT, "408");
    ASSERT_OUTCOME(403, "text/html", "<h1>Forbidden: bad CSRF token</h1>", DRV_REJECTED, "403");
    ASSERT_OUTCOME(404, "text/html", "", DRV_REJECTED, "404");
    ASSERT_OUTCOME(0, NULL, NULL, DRV_TRANSIENT, "no HTTP");
    ASSERT_OUTCOME(422, "text/html; charset=utf-8", REJECTED_FORM, DRV_REJECTED,
                   "site answered 422 with 2 field errors: Email: is not a valid email address; "
                   "Resume: is required");
}

static void test_classify_bodies(void **state)
{
    (void)state;
    ASSERT_OUTCOME(200, "text/html", THANKS, DRV_SUBMITTED, "thank you");
    ASSERT_OUTCOME(200, "text/html", REJECTED_FORM, DRV_REJECTED, "Email: is not a valid email");
    ASSERT_OUTCOME(200, "text/html", "", DRV_SUBMITTED, "empty");
    ASSERT_OUTCOME(200, "text/html",
                   "<html><body><p>Vielen Dank für Ihre Bewerbung!</p></body></html>",
                   DRV_SUBMITTED, "vielen dank");
    ASSERT_OUTCOME(200, "text/html",
                   "<html><body><p class=ok>Merci, votre candidature a bien été envoyée.</p>"
                   "</body></html>",
                   DRV_SUBMITTED, "merci");
    /* a thank-you phrase does not hide field errors on the re-rendered form */
    char *both = xasprintf("<p>Thank you for your interest in Acme.</p>%s", REJECTED_FORM);
    ASSERT_OUTCOME(200, "text/html", both, DRV_REJECTED, "field errors");
    free(both);
    /* errors without a form and without thanks (a CF7-style response) */
    ASSERT_OUTCOME(200, "text/html",
                   "<div class='wpcf7-response-output'>x</div><span class=wpcf7-not-valid-tip>"
                   "Bitte füllen Sie dieses Feld aus.</span>",
                   DRV_REJECTED, "Bitte");
    /* the form shown again without any error: counted as submitted, and said so */
    ASSERT_OUTCOME(200, "text/html",
                   "<form id=application method=post><input type=file name=cv>"
                   "<input name=a><input name=b><input name=c></form>",
                   DRV_SUBMITTED, "shown again");
    /* JSON answers */
    ASSERT_OUTCOME(200, "application/json", "{\"success\":true,\"id\":12}", DRV_SUBMITTED,
                   "no error");
    ASSERT_OUTCOME(200, "application/json", "{\"errors\":{\"email\":[\"is invalid\"]}}",
                   DRV_REJECTED, "JSON errors");
    ASSERT_OUTCOME(200, NULL, "{\"status\":\"error\",\"message\":\"CV missing\"}", DRV_REJECTED,
                   "CV missing");
    ASSERT_OUTCOME(422, "application/json", "{\"ok\":true}", DRV_REJECTED, "422");
    /* garbage and huge bodies do not crash */
    ASSERT_OUTCOME(200, "text/html", "<<<\xff\xfe<div class=error", DRV_SUBMITTED, "200");
    size_t n = DRV_MAX_PAGE_BYTES + 10;
    char *big = xmalloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    char *why = NULL;
    assert_int_equal(drv_html_classify(200, "text/html", big, n, &why), DRV_SUBMITTED);
    assert_non_null(strstr(why, "too large"));
    free(why);
    free(big);
}

/* The sample career site's own pages, when present. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    oa_buf b;
    oa_buf_init(&b, 0);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(oa_buf_append(&b, chunk, n), OA_OK);
    fclose(f);
    return oa_buf_take(&b);
}

static char *site_page(const char *name)
{
    const char *dir = getenv("OA_SOURCE_DIR");
    char *p =
        xasprintf("%s/examples/career-site/pages/%s", dir && *dir ? dir : OA_SOURCE_DIR, name);
    char *s = read_all(p);
    free(p);
    return s;
}

/* Replaces the first occurrence (all when all) of from with to. Malloc'd. */
static char *replace_n(const char *s, const char *from, const char *to, bool all)
{
    oa_buf b;
    oa_buf_init(&b, 0);
    size_t fl = strlen(from);
    for (const char *p = s; *p;) {
        const char *h = strstr(p, from);
        if (!h) {
            assert_int_equal(oa_buf_puts(&b, p), OA_OK);
            break;
        }
        assert_int_equal(oa_buf_append(&b, p, (size_t)(h - p)), OA_OK);
        assert_int_equal(oa_buf_puts(&b, to), OA_OK);
        p = h + fl;
        if (!all) {
            assert_int_equal(oa_buf_puts(&b, p), OA_OK);
            break;
        }
    }
    return oa_buf_take(&b);
}

static void test_classify_career_site(void **state)
{
    (void)state;
    char *thanks = site_page("thanks.html");
    char *job = site_page("backend-engineer.html");
    if (!thanks || !job) {
        free(thanks);
        free(job);
        skip();
    }
    ASSERT_OUTCOME(200, "text/html; charset=utf-8", thanks, DRV_SUBMITTED, "thank you");
    /* The site re-renders the form with an alert summary and aria-invalid controls. */
    char *a = replace_n(job, "<!--{{errors}}-->",
                        "<div class=\"error\" role=\"alert\" id=\"form-errors\"><p><strong>Please "
                        "correct the following:</strong></p><ul><li data-field=\"email\">Email "
                        "address: is not a valid email address</li></ul></div>",
                        true);
    /* only the application form's email (the newsletter form has one too) */
    char *b = replace_n(a, "name=\"email\"", "aria-invalid=\"true\" name=\"email\"", false);
    ASSERT_OUTCOME(422, "text/html; charset=utf-8", b, DRV_REJECTED, "422 with 1 field error");
    ASSERT_OUTCOME(200, "text/html; charset=utf-8", b, DRV_REJECTED,
                   "1 field error: Email address: is not a valid email address");
    /* the untouched job page (form, no errors) is not an error page */
    ASSERT_OUTCOME(200, "text/html; charset=utf-8", job, DRV_SUBMITTED, "shown again");
    free(a);
    free(b);
    free(thanks);
    free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_fields_every_type),
        cmocka_unit_test(test_build_fields_numbers_and_errors),
        cmocka_unit_test(test_build_fields_date_parts),
        cmocka_unit_test(test_text_date_formats),
        cmocka_unit_test(test_classify_statuses),
        cmocka_unit_test(test_classify_bodies),
        cmocka_unit_test(test_classify_career_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
