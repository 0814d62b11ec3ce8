/* test_form.c - form ids, JSON round trip, content hash, answer validation, tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "core/token.h"

static oa_block *q_add(oa_block **arr, size_t *n, const char *label, oa_qtype t, oa_control c,
                       const char *field, bool required)
{
    oa_block *q = oa_block_add(arr, n);
    q->kind = OA_BLOCK_QUESTION;
    q->label = strdup(label);
    q->type = t;
    q->control = c;
    q->field_name = strdup(field);
    q->required = required;
    return q;
}

static void opt(oa_block *q, const char *label, const char *value)
{
    oa_option *o = oa_option_add(q);
    o->label = strdup(label);
    o->value = strdup(value);
}

/* Section "Personal" {name*, email*}, arrangement* (radio), timezone* when remote, skills
 * (checkboxes), years (number), start (date), resume* (file), terms* (checkbox). */
static void build(oa_form *f)
{
    memset(f, 0, sizeof *f);
    f->action = strdup("https://jobs.example.com/apply");
    f->method = strdup("POST");
    f->enctype = strdup("multipart/form-data");
    oa_form_add_hidden(f, "_csrf", "abc");
    oa_block *sec = oa_block_add(&f->blocks, &f->n_blocks);
    sec->kind = OA_BLOCK_SECTION;
    sec->label = strdup("Personal");
    q_add(&sec->children, &sec->n_children, "Name", OA_Q_TEXT, OA_CTL_TEXT, "name", true);
    oa_block *em =
        q_add(&sec->children, &sec->n_children, "Email", OA_Q_TEXT, OA_CTL_TEXT, "email", true);
    em->input_type = strdup("email");
    oa_block *arr = q_add(&f->blocks, &f->n_blocks, "Arrangement", OA_Q_SINGLE_SELECT, OA_CTL_RADIO,
                          "arrangement", true);
    opt(arr, "Remote", "remote");
    opt(arr, "On-site", "onsite");
    oa_block *tz = q_add(&f->blocks, &f->n_blocks, "Timezone", OA_Q_TEXT, OA_CTL_TEXT, "tz", true);
    tz->dw_field = strdup("arrangement");
    tz->dw_value = strdup("remote");
    oa_block *sk = q_add(&f->blocks, &f->n_blocks, "Skills", OA_Q_MULTI_SELECT, OA_CTL_CHECKBOXES,
                         "skills[]", false);
    opt(sk, "C", "c");
    opt(sk, "Go", "go");
    q_add(&f->blocks, &f->n_blocks, "Years", OA_Q_NUMBER, OA_CTL_TEXT, "years", false);
    q_add(&f->blocks, &f->n_blocks, "Start", OA_Q_DATE, OA_CTL_TEXT, "start", false);
    q_add(&f->blocks, &f->n_blocks, "Resume", OA_Q_FILE, OA_CTL_FILE, "resume", true);
    oa_block *t =
        q_add(&f->blocks, &f->n_blocks, "Terms", OA_Q_BOOLEAN, OA_CTL_CHECKBOX, "terms", true);
    t->checked_value = strdup("yes");
    oa_form_assign_ids(f, "Posting1Posting1Posting1");
}

static const char *qid(const oa_form *f, const char *field)
{
    /* Walk the two levels the test form has. */
    for (size_t i = 0; i < f->n_blocks; i++) {
        const oa_block *b = &f->blocks[i];
        if (b->kind == OA_BLOCK_SECTION) {
            for (size_t k = 0; k < b->n_children; k++)
                if (strcmp(b->children[k].field_name, field) == 0)
                    return b->children[k].question_id;
        } else if (strcmp(b->field_name, field) == 0) {
            return b->question_id;
        }
    }
    fail_msg("no field %s", field);
    return NULL;
}

static const oa_block *qb(const oa_form *f, const char *field)
{
    return oa_form_find_question(f, qid(f, field));
}

/* Answers the valid baseline plus `extra` JSON items; returns the status and message. */
static oa_status check(const oa_form *f, json_t *answers, char **msg, char **bad)
{
    oa_answers out;
    oa_status rc = oa_form_validate(f, answers, &out, msg, bad);
    oa_answers_free(&out);
    json_decref(answers);
    return rc;
}

static json_t *base(const oa_form *f, bool remote)
{
    const oa_block *arr = qb(f, "arrangement");
    json_t *a =
        json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:{s:s,s:s,s:s}},{s:s,s:b}]", "question_id",
                  qid(f, "name"), "answer", "Ada", "question_id", qid(f, "email"), "answer",
                  "ada@example.com", "question_id", qid(f, "arrangement"), "answer",
                  arr->options[remote ? 0 : 1].id, "question_id", qid(f, "resume"), "answer",
                  "name", "cv.pdf", "content_type", "application/pdf", "data",
                  "JVBERi0=", "question_id", qid(f, "terms"), "answer", 1);
    return a;
}

static void add(json_t *a, const char *id, json_t *answer)
{
    json_array_append_new(a, json_pack("{s:s,s:o}", "question_id", id, "answer", answer));
}

static void test_ids_stable(void **state)
{
    (void)state;
    oa_form a, b;
    build(&a);
    build(&b);
    assert_string_equal(qid(&a, "name"), qid(&b, "name"));
    assert_string_not_equal(qid(&a, "name"), qid(&a, "email"));
    assert_string_equal(qb(&a, "arrangement")->options[0].id, qb(&b, "arrangement")->options[0].id);
    /* display_when resolved into Kombo's shape. */
    const oa_block *tz = qb(&a, "tz");
    assert_string_equal(tz->dw_question_id, qid(&a, "arrangement"));
    assert_string_equal(json_string_value(tz->dw_answer), qb(&a, "arrangement")->options[0].id);
    char h1[65], h2[65];
    oa_form_hash(&a, h1);
    /* A different CSRF value is the same revision... */
    free(b.hidden[0].value);
    b.hidden[0].value = strdup("other-token");
    oa_form_hash(&b, h2);
    assert_string_equal(h1, h2);
    /* ...a different label is not. */
    oa_block *nm = (oa_block *)qb(&b, "name");
    free(nm->label);
    nm->label = strdup("Full name");
    oa_form_hash(&b, h2);
    assert_string_not_equal(h1, h2);
    oa_form_free(&a);
    oa_form_free(&b);
}

static void test_json_roundtrip(void **state)
{
    (void)state;
    oa_form a, b;
    build(&a);
    json_t *j = oa_form_to_json(&a, OA_FORM_INTERNAL);
    assert_int_equal(oa_form_from_json(j, &b), OA_OK);
    json_t *j2 = oa_form_to_json(&b, OA_FORM_INTERNAL);
    assert_true(json_equal(j, j2));
    /* The public shape has exactly Kombo's keys. */
    json_t *pub = oa_form_to_json(&a, OA_FORM_PUBLIC);
    json_t *sec = json_array_get(pub, 0);
    assert_int_equal(json_object_size(sec), 3);
    json_t *q = json_array_get(json_object_get(sec, "children"), 0);
    assert_int_equal(json_object_size(q), 10);
    assert_null(json_object_get(q, "field_name"));
    json_t *radio = json_array_get(pub, 1);
    json_t *o0 = json_array_get(json_object_get(radio, "options"), 0);
    assert_int_equal(json_object_size(o0), 3); /* id, label, unified_key; no site value */
    json_t *tz = json_array_get(pub, 2);
    assert_true(json_is_object(json_object_get(tz, "display_when")));
    json_decref(j);
    json_decref(j2);
    json_decref(pub);
    oa_form_free(&a);
    oa_form_free(&b);
}

static void test_validate_ok_and_display_when(void **state)
{
    (void)state;
    oa_form f;
    build(&f);
    char *msg = NULL, *bad = NULL;
    /* On-site: timezone hidden, not required. */
    assert_int_equal(check(&f, base(&f, false), &msg, &bad), OA_OK);
    /* Remote: timezone now required. */
    assert_int_equal(check(&f, base(&f, true), &msg, &bad), OA_INVALID);
    assert_string_equal(bad, qid(&f, "tz"));
    assert_non_null(strstr(msg, "required"));
    free(msg);
    free(bad);
    json_t *a = base(&f, true);
    add(a, qid(&f, "tz"), json_string("CET"));
    add(a, qid(&f, "skills[]"),
        json_pack("[s,s]", qb(&f, "skills[]")->options[0].id, qb(&f, "skills[]")->options[1].id));
    add(a, qid(&f, "years"), json_real(4.5));
    add(a, qid(&f, "start"), json_string("2027-02-01"));
    oa_answers out;
    assert_int_equal(oa_form_validate(&f, a, &out, &msg, &bad), OA_OK);
    assert_int_equal(out.n, 9);
    assert_non_null(oa_answers_get(&out, qid(&f, "tz")));
    oa_answers_free(&out);
    json_decref(a);
    /* An answer to a hidden question is ignored, not sent. */
    a = base(&f, false);
    add(a, qid(&f, "tz"), json_string("CET"));
    assert_int_equal(oa_form_validate(&f, a, &out, &msg, &bad), OA_OK);
    assert_null(oa_answers_get(&out, qid(&f, "tz")));
    oa_answers_free(&out);
    json_decref(a);
    oa_form_free(&f);
}

static void test_validate_errors(void **state)
{
    (void)state;
    oa_form f;
    build(&f);
    struct {
        const char *field;
        json_t *answer;
        const char *expect;
    } cases[] = {
        {"years", json_string("five"), "expected a number"},
        {"start", json_string("01/02/2027"), "not an ISO 8601 date"},
        {"start", json_string("2027-02-30"), "not an ISO 8601 date"},
        {"skills[]", json_string("x"), "array of option ids"},
        {"skills[]", json_pack("[s]", "nope"), "not an option id"},
        {"tz", json_integer(3), "expected a string"},
        {"tz", json_pack("{}"), "expected a string"},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(cases); i++) {
        json_t *a = base(&f, false);
        add(a, qid(&f, cases[i].field), cases[i].answer);
        char *msg = NULL, *bad = NULL;
        assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
        if (!strstr(msg, cases[i].expect))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, msg, cases[i].expect);
        assert_string_equal(bad, qid(&f, cases[i].field));
        free(msg);
        free(bad);
    }
    char *msg = NULL, *bad = NULL;
    /* Unknown question id. */
    json_t *a = base(&f, false);
    add(a, "NotAQuestionNotAQuestion", json_string("x"));
    assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
    assert_string_equal(bad, "NotAQuestionNotAQuestion");
    free(msg);
    free(bad);
    /* Answered twice. */
    a = base(&f, false);
    add(a, qid(&f, "name"), json_string("Again"));
    assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
    assert_non_null(strstr(msg, "more than once"));
    free(msg);
    free(bad);
    /* Required checkbox must be true. */
    a = base(&f, false);
    json_object_set_new(json_array_get(a, 4), "answer", json_false());
    assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
    assert_string_equal(bad, qid(&f, "terms"));
    free(msg);
    free(bad);
    /* Blank required text. */
    a = base(&f, false);
    json_object_set_new(json_array_get(a, 0), "answer", json_string("   "));
    assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
    assert_string_equal(bad, qid(&f, "name"));
    free(msg);
    free(bad);
    /* Bad email, bad file. */
    a = base(&f, false);
    json_object_set_new(json_array_get(a, 1), "answer", json_string("not-an-email"));
    assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
    free(msg);
    free(bad);
    a = base(&f, false);
    json_object_set_new(json_object_get(json_array_get(a, 3), "answer"), "data",
                        json_string("***"));
    assert_int_equal(check(&f, a, &msg, &bad), OA_INVALID);
    assert_non_null(strstr(msg, "base64"));
    free(msg);
    free(bad);
    /* Not an array / items not objects. */
    assert_int_equal(check(&f, json_object(), &msg, &bad), OA_INVALID);
    free(msg);
    free(bad);
    assert_int_equal(check(&f, json_pack("[i]", 1), &msg, &bad), OA_INVALID);
    free(msg);
    free(bad);
    oa_form_free(&f);
}

static void test_token(void **state)
{
    (void)state;
    uint8_t key[32] = {1, 2, 3};
    oa_token_claims c = {0};
    snprintf(c.tenant, sizeof c.tenant, "acme");
    oa_id_new(c.posting_id);
    oa_id_new(c.revision_id);
    c.issued_at = 1000000;
    c.expires_at = c.issued_at + OA_TOKEN_TTL_MS;
    char *tok = core_token_issue(key, sizeof key, &c);
    assert_non_null(tok);
    oa_token_claims out;
    const char *why;
    assert_int_equal(core_token_verify(key, sizeof key, tok, c.issued_at + 1, &out, &why), OA_OK);
    assert_string_equal(out.tenant, "acme");
    assert_string_equal(out.posting_id, c.posting_id);
    assert_string_equal(out.revision_id, c.revision_id);
    assert_string_equal(out.jti, c.jti);
    /* Expired after two days. */
    assert_int_equal(core_token_verify(key, sizeof key, tok, c.expires_at, &out, &why), OA_INVALID);
    assert_non_null(strstr(why, "expired"));
    /* Another key, a flipped payload byte, junk. */
    uint8_t other[32] = {9};
    assert_int_equal(core_token_verify(other, sizeof other, tok, c.issued_at, &out, &why),
                     OA_INVALID);
    assert_string_equal(why, CORE_TOKEN_INVALID); /* the same answer as malformed */
    assert_int_equal(out.tenant[0], '\0');        /* no claims from an unverified token */
    char *t2 = strdup(tok);
    char *dot = strchr(t2, '.');
    dot[3] = dot[3] == 'A' ? 'B' : 'A';
    assert_int_equal(core_token_verify(key, sizeof key, t2, c.issued_at, &out, &why), OA_INVALID);
    const char *junk[] = {"", "a.b", "a.b.c.d", "eyJ.eyJ.sig", "....", "x"};
    for (size_t i = 0; i < OA_ARRAY_LEN(junk); i++)
        assert_int_equal(core_token_verify(key, sizeof key, junk[i], 0, &out, &why), OA_INVALID);
    free(t2);
    free(tok);
}

/* A date in three controls survives storage (the internal JSON) with its parts; a form
 * without parts serialises as before, so stored revisions keep their hashes. */
static void test_date_parts_roundtrip(void **state)
{
    (void)state;
    oa_form f = {0};
    oa_block *q = oa_block_add(&f.blocks, &f.n_blocks);
    q->label = xstrdup("Date of birth");
    q->type = OA_Q_DATE;
    q->field_name = xstrdup("dob_d");
    char h0[65], h1[65];
    oa_form_assign_ids(&f, "posting-1");
    oa_form_hash(&f, h0);
    json_t *plain = oa_form_to_json(&f, OA_FORM_INTERNAL);
    assert_null(json_object_get(json_array_get(json_object_get(plain, "blocks"), 0), "date_parts"));
    json_decref(plain);
    oa_date_part *d = oa_date_part_add(q, OA_DATE_DAY, "dob_d");
    oa_date_part_value(d, "01");
    oa_date_part_add(q, OA_DATE_MONTH, "dob_m");
    oa_date_part_add(q, OA_DATE_YEAR, "dob_y");
    oa_form_assign_ids(&f, "posting-1");
    oa_form_hash(&f, h1);
    assert_string_not_equal(h0, h1);
    json_t *j = oa_form_to_json(&f, OA_FORM_INTERNAL);
    json_t *pub = oa_form_to_json(&f, OA_FORM_PUBLIC);
    char *ps = json_dumps(pub, 0);
    assert_null(strstr(ps, "date_parts"));
    free(ps);
    oa_form back;
    assert_int_equal(oa_form_from_json(j, &back), OA_OK);
    const oa_block *b = &back.blocks[0];
    assert_int_equal(b->n_date_parts, 3);
    assert_int_equal(b->date_parts[0].unit, OA_DATE_DAY);
    assert_string_equal(b->date_parts[0].values[0], "01");
    assert_int_equal(b->date_parts[2].unit, OA_DATE_YEAR);
    assert_string_equal(b->date_parts[2].field_name, "dob_y");
    json_decref(j);
    json_decref(pub);
    oa_form_free(&back);
    oa_form_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_stable),
        cmocka_unit_test(test_json_roundtrip),
        cmocka_unit_test(test_validate_ok_and_display_when),
        cmocka_unit_test(test_validate_errors),
        cmocka_unit_test(test_token),
        cmocka_unit_test(test_date_parts_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
