/*
 * test_connectors.c - the driver registry (which URL belongs to which driver, the API roots)
 * and the ATS connectors: a vendor's documented JSON becomes a form, answers become the
 * documented submission, bad vendor input is refused with a reason and never crashes.
 *
 * Forms go through the real flow: extract, assign ids, validate answers, build the request.
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
#include "util/crypto.h"

static char *fixture(const char *name, size_t *len)
{
    return test_fixture("ats", name, len);
}

/* ---- the registry ---- */

static void expect(const char *url, const drv_driver *d, const char *account, const char *job)
{
    drv_target t;
    drv_match(url, &t);
    if (t.driver != d)
        fail_msg("%s: driver %s, expected %s", url, t.driver->name, d->name);
    if (account)
        assert_string_equal(t.parts[DRV_PART_ACCOUNT], account);
    else if (d != &drv_html)
        assert_null(t.parts[DRV_PART_ACCOUNT]);
    if (job)
        assert_string_equal(t.parts[DRV_PART_JOB], job);
    drv_target_free(&t);
}

static void test_match_urls(void **state)
{
    (void)state;
    expect("https://boards.greenhouse.io/acme/jobs/4012345", &drv_greenhouse, "acme", "4012345");
    expect("https://job-boards.greenhouse.io/acme/jobs/4012345?gh_src=abc", &drv_greenhouse, "acme",
           "4012345");
    expect("https://job-boards.eu.greenhouse.io/acme/jobs/77/", &drv_greenhouse, "acme", "77");
    expect("https://BOARDS.EU.GREENHOUSE.IO/acme/jobs/77", &drv_greenhouse, "acme", "77");
    expect("https://boards.greenhouse.io/embed/job_app?for=acme&token=4012345", &drv_greenhouse,
           "acme", "4012345");
    expect("https://careers.acme.example/open-roles?gh_jid=4012345", &drv_greenhouse, NULL,
           "4012345");
    expect("https://acme.recruitee.com/o/frontend-developer", &drv_recruitee, "acme",
           "frontend-developer");
    expect("https://acme.recruitee.com/o/frontend-developer/c/new", &drv_recruitee, "acme",
           "frontend-developer");
    /* Look-alikes and anything else are the generic driver's. */
    expect("https://boards.greenhouse.io.evil.example/acme/jobs/1", &drv_html, NULL, NULL);
    expect("https://evilgreenhouse.io/acme/jobs/1", &drv_html, NULL, NULL);
    expect("https://boards.greenhouse.io/acme/jobs", &drv_html, NULL, NULL);
    expect("https://boards.greenhouse.io/acme/jobs/1/extra", &drv_html, NULL, NULL);
    expect("https://recruitee.com/o/x", &drv_html, NULL, NULL);
    expect("https://a.b.recruitee.com/o/x", &drv_html, NULL, NULL);
    expect("https://jobs.example.com/careers/42", &drv_html, NULL, NULL);
    expect("not a url", &drv_html, NULL, NULL);
    /* Captured parts end up in API URLs: only plain identifiers are taken. */
    expect("https://boards.greenhouse.io/acme/jobs/..", &drv_html, NULL, NULL);
    expect("https://boards.greenhouse.io/a%2Fb/jobs/1", &drv_html, NULL, NULL);
    expect("https://x.example/?gh_jid=1%2F..%2F2", &drv_html, NULL, NULL);
    expect("https://x.example/?gh_jid=", &drv_html, NULL, NULL);
}

static void test_bases(void **state)
{
    (void)state;
    drv_target t;
    drv_match("https://acme.recruitee.com/o/dev", &t);
    char *b = drv_base_for(&t);
    assert_string_equal(b, "https://acme.recruitee.com");
    free(b);
    assert_int_equal(drv_set_base("recruitee", "http://127.0.0.1:9/rc/{account}/"), OA_OK);
    b = drv_base_for(&t);
    assert_string_equal(b, "http://127.0.0.1:9/rc/acme");
    free(b);
    drv_target_free(&t);
    drv_match("https://boards.greenhouse.io/acme/jobs/1", &t);
    b = drv_base_for(&t);
    assert_string_equal(b, "https://boards-api.greenhouse.io");
    free(b);
    drv_target_free(&t);
    assert_int_equal(drv_set_base("nope", "http://x"), OA_NOT_FOUND);
    assert_int_equal(drv_set_base("html", "http://x"), OA_NOT_FOUND);
    assert_int_equal(drv_set_base("greenhouse", "ftp://x"), OA_INVALID);
    assert_ptr_equal(drv_by_name("greenhouse"), &drv_greenhouse);
    assert_null(drv_by_name("workday-but-not"));
    assert_non_null(strstr(drv_names(), "greenhouse"));
    assert_non_null(strstr(drv_names(), "recruitee"));
    assert_null(strstr(drv_names(), "html"));
    drv_reset_bases();
}

/* ---- connectors ---- */

typedef struct {
    drv_target t;
    drv_ctx c;
    char *base;
    json_t *settings;
    oa_form form;
} conn;

static void conn_open(conn *x, const char *url, const char *settings_json, const char *fixture_name)
{
    memset(x, 0, sizeof *x);
    drv_match(url, &x->t);
    x->base = drv_base_for(&x->t);
    x->settings = settings_json ? json_loads(settings_json, 0, NULL) : NULL;
    x->c = (drv_ctx){.target = &x->t, .posting_url = url, .base = x->base, .settings = x->settings};
    if (fixture_name) {
        size_t len;
        char *body = fixture(fixture_name, &len);
        drv_page_kind kind;
        char *why = NULL;
        assert_int_equal(x->t.driver->extract(&x->c, body, len, url, &kind, &x->form, &why), OA_OK);
        if (kind != DRV_PAGE_FORM)
            fail_msg("%s: no form: %s", fixture_name, why ? why : "?");
        free(why);
        free(body);
        oa_form_assign_ids(&x->form, "posting-1");
    }
}

static void conn_close(conn *x)
{
    oa_form_free(&x->form);
    json_decref(x->settings);
    free(x->base);
    drv_target_free(&x->t);
}

static const oa_block *by_field(const oa_form *f, const char *name)
{
    const oa_block *found = NULL;
    struct {
        const char *name;
        const oa_block **out;
    } c = {name, &found};
    void each(const oa_block *q, void *ctx);
    oa_form_each_question(f, each, &c);
    return found;
}

void each(const oa_block *q, void *ctx)
{
    struct {
        const char *name;
        const oa_block **out;
    } *c = ctx;
    if (!*c->out && q->field_name && strcmp(q->field_name, c->name) == 0)
        *c->out = q;
}

static const char *opt_id(const oa_block *q, const char *label)
{
    for (size_t i = 0; i < q->n_options; i++)
        if (strcmp(q->options[i].label, label) == 0)
            return q->options[i].id;
    fail_msg("no option %s in %s", label, q->label);
    return NULL;
}

static void test_greenhouse_form(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, "https://boards.greenhouse.io/acme/jobs/4012345", NULL, "greenhouse_job.json");
    drv_request r = {0};
    char *why = NULL;
    assert_int_equal(x.t.driver->form_request(&x.c, &r, &why), OA_OK);
    assert_string_equal(
        r.url, "https://boards-api.greenhouse.io/v1/boards/acme/jobs/4012345?questions=true");
    drv_request_free(&r);
    const oa_form *f = &x.form;
    const oa_block *q = by_field(f, "first_name");
    assert_non_null(q);
    assert_true(q->required);
    assert_string_equal(q->unified_key, "FIRST_NAME");
    assert_string_equal(by_field(f, "last_name")->unified_key, "LAST_NAME");
    assert_string_equal(by_field(f, "email")->unified_key, "EMAIL");
    assert_false(by_field(f, "phone")->required);
    /* A file or its pasted text: one FILE question, the alternative is not a question. */
    q = by_field(f, "resume");
    assert_int_equal(q->type, OA_Q_FILE);
    assert_true(q->required);
    assert_string_equal(q->unified_key, "RESUME");
    assert_null(by_field(f, "resume_text"));
    assert_int_equal(by_field(f, "cover_letter")->type, OA_Q_FILE);
    q = by_field(f, "question_5502");
    assert_int_equal(q->type, OA_Q_SINGLE_SELECT);
    assert_int_equal(q->n_options, 2);
    assert_string_equal(q->options[0].value, "1");
    q = by_field(f, "question_5503[]");
    assert_int_equal(q->type, OA_Q_MULTI_SELECT);
    assert_int_equal(q->n_options, 3);
    assert_string_equal(q->description, "Pick all that apply");
    assert_int_equal(by_field(f, "question_5505")->type, OA_Q_FILE);
    assert_null(by_field(f, "question_5506")); /* an undocumented type is not guessed at */
    assert_non_null(by_field(f, "location"));
    assert_null(by_field(f, "latitude"));
    q = by_field(f, "gender");
    assert_string_equal(q->category, "EEO");
    assert_string_equal(q->options[0].unified_key, "MALE");
    assert_string_equal(q->options[1].unified_key, "FEMALE");
    q = by_field(f, "demographic_answers:88");
    assert_int_equal(q->type, OA_Q_MULTI_SELECT);
    assert_string_equal(q->category, "EEO");
    q = by_field(f, "data_compliance:gdpr_processing_consent_given");
    assert_int_equal(q->type, OA_Q_BOOLEAN);
    assert_true(q->required);
    assert_null(q->unified_key); /* consent to processing alone: not the terms */
    assert_string_equal(by_field(f, "data_compliance:gdpr_retention_consent_given")->unified_key,
                        "APPLICANT_POOL_CONSENT");
    assert_string_equal(by_field(f, "location")->unified_key, "RESIDENCE_CITY");
    assert_null(by_field(f, "data_compliance:gdpr_consent_given")); /* not required by the job */
    assert_false(by_field(f, "data_compliance:gdpr_retention_consent_given")->required);
    conn_close(&x);
}

static json_t *answer(const oa_block *q, json_t *v)
{
    return json_pack("{ssso}", "question_id", q->question_id, "answer", v);
}

static void build(conn *x, json_t *answers, drv_request *r, oa_status want, char **why)
{
    oa_answers ans = {0};
    char *msg = NULL, *bad = NULL;
    oa_status vr = oa_form_validate(&x->form, answers, &ans, &msg, &bad);
    if (vr != OA_OK)
        fail_msg("answers invalid: %s", msg);
    memset(r, 0, sizeof *r);
    *why = NULL;
    assert_int_equal(x->t.driver->submission(&x->c, &x->form, &x->form, &ans, r, why), want);
    oa_answers_free(&ans);
    json_decref(answers);
}

static json_t *gh_answers(const oa_form *f)
{
    const oa_block *multi = by_field(f, "question_5503[]");
    const oa_block *demo = by_field(f, "demographic_answers:88");
    const oa_block *auth = by_field(f, "question_5502");
    return json_pack(
        "[ooooooooo]", answer(by_field(f, "first_name"), json_string("Jana")),
        answer(by_field(f, "location"), json_string("Berlin")),
        answer(by_field(f, "last_name"), json_string("Nováková")),
        answer(by_field(f, "email"), json_string("jana@example.com")),
        answer(by_field(f, "resume"), json_pack("{ssssss}", "name", "cv.pdf", "content_type",
                                                "application/pdf", "data", "JVBERi0xLjQK")),
        answer(auth, json_string(opt_id(auth, "Yes"))),
        answer(multi, json_pack("[ss]", opt_id(multi, "Spark"), opt_id(multi, "dbt"))),
        answer(demo, json_pack("[s]", opt_id(demo, "English"))),
        answer(by_field(f, "data_compliance:gdpr_processing_consent_given"), json_true()));
}

static void test_greenhouse_submit(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, "https://boards.greenhouse.io/acme/jobs/4012345", NULL, "greenhouse_job.json");
    drv_request r;
    char *why;
    /* No employer key: review, saying what is missing. */
    build(&x, gh_answers(&x.form), &r, OA_DENIED, &why);
    assert_non_null(strstr(why, "connectors.greenhouse.api_key"));
    free(why);
    drv_request_free(&r);
    conn_close(&x);

    conn_open(&x, "https://boards.greenhouse.io/acme/jobs/4012345", "{\"api_key\":\"sekrit\"}",
              "greenhouse_job.json");
    build(&x, gh_answers(&x.form), &r, OA_OK, &why);
    assert_null(why);
    assert_string_equal(r.url, "https://boards-api.greenhouse.io/v1/boards/acme/jobs/4012345");
    assert_int_equal(r.body, DRV_BODY_RAW);
    assert_string_equal(r.raw_type, "application/json");
    /* Basic auth: the key as the user name, no password ("sekrit:" in base64). */
    bool auth = false;
    for (size_t i = 0; i < r.n_headers; i++)
        auth |= strcmp(r.headers[i], "Authorization: Basic c2Vrcml0Og==") == 0;
    assert_true(auth);
    json_t *b = json_loads(r.raw, 0, NULL);
    assert_non_null(b);
    assert_string_equal(json_string_value(json_object_get(b, "first_name")), "Jana");
    assert_string_equal(json_string_value(json_object_get(b, "last_name")), "Nováková");
    assert_string_equal(json_string_value(json_object_get(b, "resume_content")), "JVBERi0xLjQK");
    assert_string_equal(json_string_value(json_object_get(b, "resume_content_filename")), "cv.pdf");
    assert_int_equal(json_integer_value(json_object_get(b, "question_5502")), 1);
    json_t *m = json_object_get(b, "question_5503");
    assert_int_equal(json_array_size(m), 2);
    assert_int_equal(json_integer_value(json_array_get(m, 0)), 7001);
    assert_int_equal(json_integer_value(json_array_get(m, 1)), 7003);
    json_t *d = json_array_get(json_object_get(b, "demographic_answers"), 0);
    assert_int_equal(json_integer_value(json_object_get(d, "question_id")), 88);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(json_object_get(d, "answer_options"), 0),
                                           "answer_option_id")),
        213);
    assert_true(json_is_true(
        json_object_get(json_object_get(b, "data_compliance"), "gdpr_processing_consent_given")));
    json_decref(b);
    drv_request_free(&r);
    /* The answers of the documented statuses. */
    assert_int_equal(drv_greenhouse.classify(200, "application/json",
                                             "{\"success\":\"Candidate saved successfully\"}", 42,
                                             &why),
                     DRV_SUBMITTED);
    free(why);
    assert_int_equal(
        drv_greenhouse.classify(401, "text/plain", "HTTP Basic: Access denied.", 26, &why),
        DRV_REJECTED);
    assert_non_null(strstr(why, "credentials"));
    free(why);
    assert_int_equal(drv_greenhouse.classify(429, NULL, "", 0, &why), DRV_TRANSIENT);
    free(why);
    assert_int_equal(drv_greenhouse.classify(503, NULL, "", 0, &why), DRV_TRANSIENT);
    free(why);
    const char *err = "{\"error\":\"Invalid attachment\"}";
    assert_int_equal(drv_greenhouse.classify(422, "application/json", err, strlen(err), &why),
                     DRV_REJECTED);
    assert_non_null(strstr(why, "Invalid attachment"));
    free(why);
    assert_true(drv_greenhouse.closed(404, "{\"status\":404,\"error\":\"Job not found\"}", 38));
    assert_false(drv_greenhouse.closed(200, "{}", 2));
    conn_close(&x);
}

static void test_greenhouse_board_from_settings(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, "https://careers.acme.example/jobs?gh_jid=4012345", NULL, NULL);
    drv_request r = {0};
    char *why = NULL;
    assert_int_equal(x.t.driver->form_request(&x.c, &r, &why), OA_INVALID);
    assert_non_null(strstr(why, "board_token"));
    free(why);
    drv_request_free(&r);
    conn_close(&x);
    conn_open(&x, "https://careers.acme.example/jobs?gh_jid=4012345", "{\"board_token\":\"acme\"}",
              NULL);
    assert_int_equal(x.t.driver->form_request(&x.c, &r, &why), OA_OK);
    assert_string_equal(
        r.url, "https://boards-api.greenhouse.io/v1/boards/acme/jobs/4012345?questions=true");
    drv_request_free(&r);
    conn_close(&x);
}

static void test_recruitee(void **state)
{
    (void)state;
    conn x;
    conn_open(&x, "https://acme.recruitee.com/o/frontend-developer-amsterdam", NULL,
              "recruitee_offer.json");
    const oa_form *f = &x.form;
    assert_string_equal(by_field(f, "candidate[name]")->unified_key, "FULL_NAME");
    assert_false(by_field(f, "candidate[phone]")->required); /* options_phone: optional */
    assert_true(by_field(f, "candidate[cv]")->required);
    assert_null(by_field(f, "candidate[cover_letter]")); /* options_cover_letter: off */
    /* Open questions in their positions, each kind as its type. */
    size_t n = 0;
    const char *order[16];
    for (size_t i = 0; i < f->n_blocks && n < 16; i++)
        order[n++] = f->blocks[i].field_name;
    assert_string_equal(order[4], "open_question:301");
    assert_string_equal(order[5], "open_question:302");
    assert_string_equal(order[8], "open_question:305");
    assert_int_equal(by_field(f, "open_question:302")->type, OA_Q_SINGLE_SELECT);
    assert_int_equal(by_field(f, "open_question:303")->type, OA_Q_MULTI_SELECT);
    assert_int_equal(by_field(f, "open_question:304")->type, OA_Q_DATE);
    assert_int_equal(by_field(f, "open_question:306")->type, OA_Q_NUMBER);
    assert_int_equal(by_field(f, "open_question:307")->type, OA_Q_FILE);
    assert_int_equal(by_field(f, "open_question:305")->type, OA_Q_BOOLEAN);
    assert_true(by_field(f, "open_question:305")->required);

    const oa_block *years = by_field(f, "open_question:302"),
                   *fw = by_field(f, "open_question:303");
    json_t *answers = json_pack(
        "[ooooooo]", answer(by_field(f, "candidate[name]"), json_string("Daan de Vries")),
        answer(by_field(f, "candidate[email]"), json_string("daan@example.nl")),
        answer(by_field(f, "candidate[cv]"), json_pack("{ssssss}", "name", "cv.pdf", "content_type",
                                                       "application/pdf", "data", "JVBERi0xLjQK")),
        answer(by_field(f, "open_question:301"), json_string("https://linkedin.com/in/daan")),
        answer(years, json_string(opt_id(years, "3-5"))),
        answer(fw, json_pack("[ss]", opt_id(fw, "React"), opt_id(fw, "Vue"))),
        answer(by_field(f, "open_question:305"), json_true()));
    drv_request r;
    char *why;
    build(&x, answers, &r, OA_OK, &why);
    assert_string_equal(
        r.url, "https://acme.recruitee.com/api/offers/frontend-developer-amsterdam/candidates");
    assert_int_equal(r.body, DRV_BODY_MULTIPART);
    struct {
        const char *name, *value;
    } want[] = {
        {"candidate[name]", "Daan de Vries"},
        {"candidate[email]", "daan@example.nl"},
        {"candidate[cv]", NULL},
        {"candidate[open_question_answers_attributes][0][open_question_id]", "301"},
        {"candidate[open_question_answers_attributes][0][content]", "https://linkedin.com/in/daan"},
        {"candidate[open_question_answers_attributes][1][open_question_id]", "302"},
        {"candidate[open_question_answers_attributes][1][content]", "3-5"},
        {"candidate[open_question_answers_attributes][2][open_question_id]", "303"},
        {"candidate[open_question_answers_attributes][2][multi_content][]", "React"},
        {"candidate[open_question_answers_attributes][2][multi_content][]", "Vue"},
        {"candidate[open_question_answers_attributes][3][open_question_id]", "305"},
        {"candidate[open_question_answers_attributes][3][flag]", "true"},
    };
    assert_int_equal(r.fields.n, OA_ARRAY_LEN(want));
    for (size_t i = 0; i < OA_ARRAY_LEN(want); i++) {
        assert_string_equal(r.fields.items[i].name, want[i].name);
        if (want[i].value)
            assert_string_equal(r.fields.items[i].value, want[i].value);
        else
            assert_true(r.fields.items[i].is_file);
    }
    drv_request_free(&r);
    conn_close(&x);
}

static void test_lever(void **state)
{
    (void)state;
    const char *url = "https://jobs.lever.co/acme/7b0e5c1e-1111-4c3a-9d22-0123456789ab";
    expect("https://jobs.eu.lever.co/acme/7b0e5c1e-1111-4c3a-9d22-0123456789ab/apply", &drv_lever,
           "acme", "7b0e5c1e-1111-4c3a-9d22-0123456789ab");
    conn x;
    conn_open(&x, url, NULL, "lever_apply.html");
    drv_request r = {0};
    char *why = NULL;
    assert_int_equal(x.t.driver->form_request(&x.c, &r, &why), OA_OK);
    assert_string_equal(r.url,
                        "https://jobs.lever.co/acme/7b0e5c1e-1111-4c3a-9d22-0123456789ab/apply");
    drv_request_free(&r);
    const oa_form *f = &x.form;
    assert_string_equal(by_field(f, "email")->unified_key, "EMAIL");
    assert_int_equal(by_field(f, "resume")->type, OA_Q_FILE);
    /* The card template is the truth for required, and adds the card field the page did not
     * render. */
    const char *c0 = "cards[4f2a0c55-2222-4b4b-8c8c-abcdefabcdef][field0]";
    const char *c1 = "cards[4f2a0c55-2222-4b4b-8c8c-abcdefabcdef][field1]";
    const char *c2 = "cards[4f2a0c55-2222-4b4b-8c8c-abcdefabcdef][field2]";
    assert_true(by_field(f, c0)->required);
    assert_int_equal(by_field(f, c0)->type, OA_Q_SINGLE_SELECT);
    assert_int_equal(by_field(f, c0)->n_options, 3);
    assert_true(by_field(f, c1)->required);
    const oa_block *clouds = by_field(f, c2);
    assert_non_null(clouds);
    assert_int_equal(clouds->type, OA_Q_MULTI_SELECT);
    assert_int_equal(clouds->n_options, 3);
    assert_false(clouds->required);
    conn_close(&x);

    /* Without the employer's key: review. With it: the hosted form's fields to the Postings
     * API, the key escaped in the query. */
    conn_open(&x, url, NULL, "lever_apply.html");
    const oa_block *years = by_field(&x.form, c0);
    json_t *a = json_pack(
        "[oooooo]", answer(by_field(&x.form, "name"), json_string("Rita Sousa")),
        answer(by_field(&x.form, "email"), json_string("rita@example.pt")),
        answer(by_field(&x.form, "resume"), json_pack("{ssssss}", "name", "cv.pdf", "content_type",
                                                      "application/pdf", "data", "JVBERi0xLjQK")),
        answer(years, json_string(opt_id(years, "5+"))),
        answer(by_field(&x.form, c1), json_string("The big one.")),
        answer(by_field(&x.form, c2), json_pack("[s]", opt_id(by_field(&x.form, c2), "GCP"))));
    build(&x, json_incref(a), &r, OA_DENIED, &why);
    assert_non_null(strstr(why, "connectors.lever.api_key"));
    free(why);
    drv_request_free(&r);
    conn_close(&x);
    conn_open(&x, url, "{\"api_key\":\"k+y/1\"}", "lever_apply.html");
    json_decref(a);
    years = by_field(&x.form, c0);
    a = json_pack(
        "[ooooo]", answer(by_field(&x.form, "name"), json_string("Rita Sousa")),
        answer(by_field(&x.form, "email"), json_string("rita@example.pt")),
        answer(by_field(&x.form, "resume"), json_pack("{ssssss}", "name", "cv.pdf", "content_type",
                                                      "application/pdf", "data", "JVBERi0xLjQK")),
        answer(years, json_string(opt_id(years, "5+"))),
        answer(by_field(&x.form, c1), json_string("The big one.")));
    build(&x, a, &r, OA_OK, &why);
    assert_string_equal(r.url, "https://api.lever.co/v0/postings/acme/"
                               "7b0e5c1e-1111-4c3a-9d22-0123456789ab?key=k%2By%2F1");
    assert_int_equal(r.body, DRV_BODY_MULTIPART);
    bool tpl = false, card = false;
    for (size_t i = 0; i < r.fields.n; i++) {
        tpl |= strstr(r.fields.items[i].name, "[baseTemplate]") != NULL;
        card |=
            strcmp(r.fields.items[i].name, c0) == 0 && strcmp(r.fields.items[i].value, "5+") == 0;
    }
    assert_true(tpl);
    assert_true(card);
    drv_request_free(&r);
    conn_close(&x);
    /* {ok:false} with a 2xx is a refusal. */
    const char *nok = "{\"ok\":false,\"error\":\"Missing email\"}";
    assert_int_equal(drv_lever.classify(200, "application/json", nok, strlen(nok), &why),
                     DRV_REJECTED);
    assert_non_null(strstr(why, "Missing email"));
    free(why);
    /* With a --connector-base, the API goes there too. */
    assert_int_equal(drv_set_base("lever", "http://127.0.0.1:9/lever"), OA_OK);
    conn_open(&x, url, "{\"api_key\":\"k\"}", NULL);
    x.form = (oa_form){0};
    build(&x, json_array(), &r, OA_OK, &why);
    assert_string_equal(
        r.url,
        "http://127.0.0.1:9/lever/v0/postings/acme/7b0e5c1e-1111-4c3a-9d22-0123456789ab?key=k");
    drv_request_free(&r);
    conn_close(&x);
    drv_reset_bases();
}

/* Whatever the vendor answers, the connectors say why they cannot read it, and never crash. */
static void test_bad_vendor_json(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "",
        "{",
        "[]",
        "null",
        "{\"questions\": 5}",
        "{\"questions\": [1, \"x\", null, {}]}",
        "{\"questions\": [{\"label\": 7, \"fields\": [{\"name\": 1, \"type\": []}]}]}",
        "{\"offer\": []}",
        "{\"offer\": {\"open_questions\": [{\"kind\": \"single_choice\"}]}}",
        "{\"offer\": {\"status\": \"closed\"}}",
        "{\"a\": 1, \"a\": 2}",
        "{\"questions\": [{\"label\": \"x\", \"fields\": [{\"name\": \"q\", \"type\": "
        "\"multi_value_single_select\", \"values\": [{\"label\": 3}]}]}]}"};
    const drv_driver *ds[] = {&drv_greenhouse, &drv_recruitee, &drv_lever};
    for (size_t d = 0; d < OA_ARRAY_LEN(ds); d++) {
        for (size_t i = 0; i < OA_ARRAY_LEN(bodies); i++) {
            oa_form f = {0};
            drv_page_kind kind = DRV_PAGE_FORM;
            char *why = NULL;
            oa_status rc =
                ds[d]->extract(NULL, bodies[i], strlen(bodies[i]), "https://x", &kind, &f, &why);
            if (rc == OA_OK && kind == DRV_PAGE_FORM)
                assert_true(oa_form_count_questions(&f) > 0);
            else
                assert_non_null(why);
            free(why);
            oa_form_free(&f);
        }
    }
    /* Nesting deeper than the limit is refused before parsing. */
    char deep[400];
    memset(deep, '[', 300);
    deep[300] = '\0';
    oa_form f = {0};
    drv_page_kind kind;
    char *why = NULL;
    assert_int_equal(drv_greenhouse.extract(NULL, deep, 300, "https://x", &kind, &f, &why),
                     OA_INVALID);
    assert_non_null(strstr(why, "nests"));
    free(why);
    /* A closed offer is closed. */
    const char *closed = "{\"offer\": {\"status\": \"closed\", \"open_questions\": []}}";
    assert_int_equal(
        drv_recruitee.extract(NULL, closed, strlen(closed), "https://x", &kind, &f, &why), OA_OK);
    assert_int_equal(kind, DRV_PAGE_CLOSED);
    free(why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_urls),
        cmocka_unit_test(test_bases),
        cmocka_unit_test(test_greenhouse_form),
        cmocka_unit_test(test_greenhouse_submit),
        cmocka_unit_test(test_greenhouse_board_from_settings),
        cmocka_unit_test(test_recruitee),
        cmocka_unit_test(test_lever),
        cmocka_unit_test(test_bad_vendor_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
