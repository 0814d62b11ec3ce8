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

#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    return test_read_file(path, len);
}

static char *fixture_path(const char *name, const char *ext)
{
    const char *dir = getenv("OA_SOURCE_DIR");
    return xasprintf("%s/tests/fixtures/forms/%s%s", dir && *dir ? dir : OA_SOURCE_DIR, name, ext);
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
    for (size_t i = 0; i < q->n_date_parts; i++) {
        static const char *const U[] = {"day", "month", "year"};
        const oa_date_part *p = &q->date_parts[i];
        assert_int_equal(oa_buf_printf(b, " %s=%s(%zu)", U[p->unit], p->field_name, p->n_values),
                         OA_OK);
    }
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
                oa_buf_printf(&b, "HIDDEN %s=%s\n", f->hidden[i].name, f->hidden[i].value), OA_OK);
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
            T_(i, j) = strcmp(a[i], b[j]) == 0        ? T_(i + 1, j + 1) + 1
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
FIXTURE(lever)
FIXTURE(personio_de)
FIXTURE(rules_nl)
FIXTURE(rules_it)
FIXTURE(rules_placeholders)
FIXTURE(french)
FIXTURE(spanish)
FIXTURE(cf7_wordpress)
FIXTURE(bootstrap)
FIXTURE(multi_forms)
FIXTURE(no_form)
FIXTURE(closed_en)
FIXTURE(closed_de)
FIXTURE(closed_fr)
FIXTURE(closed_es)
FIXTURE(conditional)
FIXTURE(table_layout)
FIXTURE(formless)
FIXTURE(gravity_forms)

/* ---- targeted extraction tests ---------------------------------------------------------- */

static drv_page_kind ex(const char *html, const char *url, oa_form *f)
{
    char *why = NULL;
    drv_page_kind k = extract(html, strlen(html), url, f, &why);
    free(why);
    return k;
}

struct find_ctx {
    const char *name;
    const oa_block *found;
};

static void find_fn(const oa_block *q, void *c)
{
    struct find_ctx *fc = c;
    if (!fc->found && q->field_name && strcmp(q->field_name, fc->name) == 0)
        fc->found = q;
}

static const oa_block *q_named(const oa_form *f, const char *name)
{
    struct find_ctx fc = {name, NULL};
    oa_form_each_question(f, find_fn, &fc);
    if (!fc.found)
        fail_msg("no question named %s", name);
    return fc.found;
}

static const char *key_or_dash(const char *k)
{
    return k ? k : "-";
}

#define FORM_OPEN  "<form method=post action=/apply id=application>"
#define FORM_CLOSE "<input type=file name=cv><button>Apply</button></form>"

static void test_labels_preference(void **state)
{
    (void)state;
    const char *html =
        "<html><body>" FORM_OPEN "<span id=l1>Given</span><span id=l2>name</span>"
        "<label for=a>Ignored label</label><input id=a name=a aria-labelledby='l1 l2'>"
        "<label for=b>For label</label><label>Wrap <input id=b name=b aria-label=Aria></label>"
        "<label>Wrapped <em>text</em> <input name=c placeholder=Ph></label>"
        "<input name=d aria-label='Aria only' placeholder=Ph title=T>"
        "<div class=field><span class=label>Container text</span><div><input name=e "
        "placeholder=Ph></div></div>"
        "<div class=row><input name=f placeholder='Placeholder only'></div>"
        "<div class=row><input name=g title='Title only'></div>"
        "<div class=row><input name='applicant[home_town]'></div>"
        "<div class=row><input name=work_email placeholder='e.g. jane@doe.com'></div>"
        "<div class=row><input name=geburtsdatum placeholder='TT.MM.JJJJ'></div>" FORM_CLOSE
        "</body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://x.example/jobs/1", &f), DRV_PAGE_FORM);
    assert_string_equal(q_named(&f, "a")->label, "Given name");
    assert_string_equal(q_named(&f, "b")->label, "For label");
    assert_string_equal(q_named(&f, "c")->label, "Wrapped text");
    assert_string_equal(q_named(&f, "d")->label, "Aria only");
    assert_string_equal(q_named(&f, "e")->label, "Container text");
    assert_string_equal(q_named(&f, "f")->label, "Placeholder only");
    assert_string_equal(q_named(&f, "g")->label, "Title only");
    assert_string_equal(q_named(&f, "applicant[home_town]")->label, "Home town");
    assert_string_equal(q_named(&f, "work_email")->label, "Work email");
    assert_string_equal(q_named(&f, "geburtsdatum")->label, "Geburtsdatum");
    oa_form_free(&f);
}

static void test_required_markers(void **state)
{
    (void)state;
    const char *html =
        "<html><body>" FORM_OPEN "<label for=a>First name *</label><input id=a name=a>"
        "<label for=b>* Last name</label><input id=b name=b>"
        "<label for=c>Email (required)</label><input id=c name=c>"
        "<label for=d>Phone (optional)</label><input id=d name=d>"
        "<label for=e>Stadt (Pflichtfeld)</label><input id=e name=e>"
        "<label for=g>Ville <span class=obligatoire>obligatoire</span></label><input id=g name=g>"
        "<label for=h>Note <abbr title=required>*</abbr></label><input id=h name=h>"
        "<div class='form-group required'><label for=i>Class marked</label><input id=i name=i>"
        "</div>"
        "<label for=j>Attr</label><input id=j name=j required>"
        "<label for=k>Aria</label><input id=k name=k aria-required=true>"
        "<label for=l>Optional but attr (optional)</label><input id=l name=l required>"
        "<label for=m>Plain</label><input id=m name=m>" FORM_CLOSE "</body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://x.example/", &f), DRV_PAGE_FORM);
    static const struct {
        const char *name, *label;
        bool req;
    } want[] = {{"a", "First name", true},
                {"b", "Last name", true},
                {"c", "Email", true},
                {"d", "Phone", false},
                {"e", "Stadt", true},
                {"g", "Ville", true},
                {"h", "Note", true},
                {"i", "Class marked", true},
                {"j", "Attr", true},
                {"k", "Aria", true},
                {"l", "Optional but attr", true},
                {"m", "Plain", false}};
    for (size_t i = 0; i < OA_ARRAY_LEN(want); i++) {
        const oa_block *q = q_named(&f, want[i].name);
        assert_string_equal(q->label, want[i].label);
        if (q->required != want[i].req)
            fail_msg("%s: required %d, want %d", want[i].name, q->required, want[i].req);
    }
    oa_form_free(&f);
}

static void test_clean_label(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        bool req, opt;
    } c[] = {{"  First   name:  ", "First name", false, false},
             {"Name *", "Name", true, false},
             {"\xE2\x9C\xB1 Name", "Name", true, false},
             {"Name\xC2\xA0*:", "Name", true, false},
             {"Telefon (optional)", "Telefon", false, true},
             {"E-Mail [Pflichtfeld]", "E-Mail", true, false},
             {"Nom (obligatoire) *", "Nom", true, false},
             {"Correo electrónico (obligatorio)", "Correo electrónico", true, false},
             {"Website - optional", "Website", false, true},
             {"Salary (EUR)", "Salary (EUR)", false, false},
             {"*", "", true, false},
             {"", "", false, false}};
    for (size_t i = 0; i < OA_ARRAY_LEN(c); i++) {
        bool req = false, opt = false;
        char *s = hx_clean_label(c[i].in, &req, &opt);
        assert_string_equal(s, c[i].out);
        assert_int_equal(req, c[i].req);
        assert_int_equal(opt, c[i].opt);
        free(s);
    }
}

static void test_types_and_options(void **state)
{
    (void)state;
    const char *html =
        "<html><body>" FORM_OPEN "<label for=n>Age</label><input id=n type=number name=n>"
        "<label for=r>Level</label><input id=r type=range name=r>"
        "<label for=d>Start date</label><input id=d type=DATE name=d>"
        "<label for=m>Month</label><input id=m type=month name=m>"
        "<label for=u>Site</label><input id=u type=url name=u>"
        "<label for=x>Unknown</label><input id=x type=weird name=x>"
        "<label for=s>Pick</label><select id=s name=s>"
        "<option value=''>Bitte wählen</option><option value=0>Please select...</option>"
        "<option>-- --</option><option value=a>Alpha</option>"
        "<optgroup label=Group><option value=b label='Beta label'>Beta text</option>"
        "<option>Gamma</option></optgroup><option value=a>Alpha again</option></select>"
        "<label for=ms>Many</label><select id=ms name='ms[]' multiple>"
        "<option value=1>One</option><option value=2>Two</option></select>"
        "<fieldset><legend>Skills</legend><label><input type=checkbox name='sk[]' value=c> "
        "C</label><label><input type=checkbox name='sk[]' value=go> Go</label></fieldset>"
        "<label><input type=checkbox name=lone> I like it</label>"
        "<p>Yes or no?</p><label><input type=radio name=yn value=y> Yes</label>"
        "<label><input type=radio name=yn value=n> No</label>"
        "<label for=dis>Disabled</label><input id=dis name=dis disabled>"
        "<fieldset disabled><input name=dis2 placeholder=x></fieldset>"
        "<input type=password name=pw placeholder=Password>"
        "<input type=submit name=go value=Go><input type=reset><input type=image name=img>"
        "<button type=button name=b>B</button>" FORM_CLOSE "</body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://x.example/", &f), DRV_PAGE_FORM);
    assert_int_equal(q_named(&f, "n")->type, OA_Q_NUMBER);
    assert_int_equal(q_named(&f, "r")->type, OA_Q_NUMBER);
    assert_int_equal(q_named(&f, "d")->type, OA_Q_DATE);
    assert_string_equal(q_named(&f, "d")->input_type, "date");
    assert_int_equal(q_named(&f, "m")->type, OA_Q_DATE);
    assert_int_equal(q_named(&f, "u")->type, OA_Q_TEXT);
    assert_string_equal(q_named(&f, "u")->input_type, "url");
    assert_int_equal(q_named(&f, "x")->type, OA_Q_TEXT);
    const oa_block *s = q_named(&f, "s");
    assert_int_equal(s->type, OA_Q_SINGLE_SELECT);
    assert_int_equal(s->control, OA_CTL_SELECT);
    assert_int_equal(s->n_options, 3); /* placeholders, optgroup label and duplicate gone */
    assert_string_equal(s->options[0].label, "Alpha");
    assert_string_equal(s->options[1].label, "Beta label");
    assert_string_equal(s->options[1].value, "b");
    assert_string_equal(s->options[2].label, "Gamma");
    assert_string_equal(s->options[2].value, "Gamma");
    const oa_block *ms = q_named(&f, "ms[]");
    assert_int_equal(ms->type, OA_Q_MULTI_SELECT);
    assert_int_equal(ms->control, OA_CTL_SELECT);
    const oa_block *sk = q_named(&f, "sk[]");
    assert_int_equal(sk->type, OA_Q_MULTI_SELECT);
    assert_int_equal(sk->control, OA_CTL_CHECKBOXES);
    assert_string_equal(sk->label, "Skills");
    assert_int_equal(sk->n_options, 2);
    assert_string_equal(sk->options[1].label, "Go");
    const oa_block *lone = q_named(&f, "lone");
    assert_int_equal(lone->type, OA_Q_BOOLEAN);
    assert_int_equal(lone->control, OA_CTL_CHECKBOX);
    assert_string_equal(lone->checked_value, "on");
    assert_string_equal(lone->label, "I like it");
    const oa_block *yn = q_named(&f, "yn");
    assert_int_equal(yn->type, OA_Q_SINGLE_SELECT);
    assert_int_equal(yn->control, OA_CTL_RADIO);
    assert_string_equal(yn->label, "Yes or no?");
    /* disabled, password, buttons and the fieldset's disabled control are not questions */
    assert_int_equal(oa_form_count_questions(&f), 12);
    assert_int_equal(q_named(&f, "cv")->type, OA_Q_FILE);
    oa_form_free(&f);
}

static void test_hidden_and_honeypots(void **state)
{
    (void)state;
    const char *html =
        "<html><body>" FORM_OPEN "<input type=hidden name=t1 value=one>"
        "<input type=hidden value=noname><input type=hidden name=t2>"
        "<div style='display: none'><input name=website></div>"
        "<p class=hp-field><label>Leave this field empty</label><input name=email_confirm_x></p>"
        "<input name=hp_trap tabindex=-1 autocomplete=off>"
        "<div style='position:absolute; left:-9999px'><input name=fax tabindex=-1></div>"
        "<div style='display:none'><label for=q>Leave blank</label><input id=q name=q2></div>"
        "<div hidden><input name=reason placeholder='Tell us why'></div>"
        "<label for=w>Website</label><input id=w name=website_url>"
        "<input type=hidden name=t3 value=three disabled>"
        "<div class='wpforms-field wpforms-field-hp'><label for=hp>Name</label>"
        "<input id=hp name='wpforms[hp]'></div>" FORM_CLOSE "</body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://x.example/", &f), DRV_PAGE_FORM);
    static const char *const names[] = {"t1",      "t2",  "website", "email_confirm_x",
                                        "hp_trap", "fax", "q2",      "wpforms[hp]"};
    static const char *const values[] = {"one", "", "", "", "", "", "", ""};
    assert_int_equal(f.n_hidden, OA_ARRAY_LEN(names));
    for (size_t i = 0; i < OA_ARRAY_LEN(names); i++) {
        assert_string_equal(f.hidden[i].name, names[i]);
        assert_string_equal(f.hidden[i].value, values[i]);
    }
    /* a hidden field without honeypot evidence stays a question (a script shows it) */
    assert_string_equal(q_named(&f, "reason")->label, "Tell us why");
    assert_string_equal(q_named(&f, "website_url")->label, "Website");
    oa_form_free(&f);
}

static void test_action_resolution(void **state)
{
    (void)state;
    static const struct {
        const char *url, *form, *action, *method, *enctype;
    } c[] = {
        {"https://a.example/jobs/1?x=1#frag", "<form method=post action='apply'>",
         "https://a.example/jobs/apply", "POST", "multipart/form-data"},
        {"https://a.example/jobs/1", "<form method=POST action='/x/y?z=1#top'>",
         "https://a.example/x/y?z=1", "POST", "multipart/form-data"},
        {"https://a.example/jobs/1", "<form method=post action='?step=2'>",
         "https://a.example/jobs/1?step=2", "POST", "multipart/form-data"},
        {"https://a.example/jobs/1?src=x#apply", "<form method=post action=''>",
         "https://a.example/jobs/1?src=x", "POST", "multipart/form-data"},
        {"https://a.example/jobs/1", "<form method=post>", "https://a.example/jobs/1", "POST",
         "multipart/form-data"},
        {"https://a.example/jobs/1", "<form method=post action='javascript:void(0)'>",
         "https://a.example/jobs/1", "POST", "multipart/form-data"},
        {"https://a.example/jobs/1", "<form method=post action='https://ats.example/s'>",
         "https://ats.example/s", "POST", "multipart/form-data"},
        {"https://a.example/jobs/1", "<form method=post action='//cdn.example/p'>",
         "https://cdn.example/p", "POST", "multipart/form-data"},
        {NULL, "<form method=post action='/rel'>", "/rel", "POST", "multipart/form-data"},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(c); i++) {
        char *html = xasprintf("<html><body>%s<label for=a>Name</label><input id=a name=a>"
                               "<label for=b>Email</label><input id=b name=b type=email>"
                               "<input type=file name=cv><button>Apply</button></form>",
                               c[i].form);
        oa_form f;
        assert_int_equal(ex(html, c[i].url, &f), DRV_PAGE_FORM);
        assert_string_equal(f.action, c[i].action);
        assert_string_equal(f.method, c[i].method);
        assert_string_equal(f.enctype, c[i].enctype);
        oa_form_free(&f);
        free(html);
    }
    /* <base href>, formaction on the submit button, GET without files, urlencoded */
    const char *html = "<html><head><base href='https://b.example/base/'></head><body>"
                       "<form action=ignored method=get id=application_form>"
                       "<label for=a>First name</label><input id=a name=a>"
                       "<label for=b>Last name</label><input id=b name=b>"
                       "<label for=c>Email</label><input id=c name=c>"
                       "<button formaction='submit.php' formmethod=POST>Apply</button></form>";
    oa_form f;
    assert_int_equal(ex(html, "https://a.example/jobs/1", &f), DRV_PAGE_FORM);
    assert_string_equal(f.action, "https://b.example/base/submit.php");
    assert_string_equal(f.method, "POST");
    assert_string_equal(f.enctype, "application/x-www-form-urlencoded");
    oa_form_free(&f);
    html = "<html><body><form action=/s method=get id=application>"
           "<label for=a>First name</label><input id=a name=a>"
           "<label for=b>Last name</label><input id=b name=b>"
           "<label for=c>Email</label><input id=c name=c><button>Apply</button></form>";
    assert_int_equal(ex(html, "https://a.example/jobs/1", &f), DRV_PAGE_FORM);
    assert_string_equal(f.method, "GET");
    oa_form_free(&f);
}

static void test_form_attribute_and_choice(void **state)
{
    (void)state;
    /* A control outside the form joins it through form=; a login form loses. */
    const char *html =
        "<html><body><form id=login method=post action=/login><input name=user>"
        "<input type=password name=pw><button>Sign in</button></form>"
        "<form id=apply-form method=post action=/apply><label for=a>First name</label>"
        "<input id=a name=first></form>"
        "<label for=b>Last name</label><input id=b name=last form=apply-form>"
        "<label for=c>Email</label><input id=c type=email name=email form=apply-form>"
        "<button form=apply-form>Send application</button></body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://a.example/j", &f), DRV_PAGE_FORM);
    assert_string_equal(f.action, "https://a.example/apply");
    assert_int_equal(oa_form_count_questions(&f), 3);
    assert_string_equal(key_or_dash(q_named(&f, "last")->unified_key), "LAST_NAME");
    oa_form_free(&f);

    /* Only a search form and a newsletter form: no application form. */
    html = "<html><body><form action=/s><input name=q><button>Search</button></form>"
           "<form method=post action=/nl><input type=email name=email>"
           "<label><input type=checkbox name=ok> Yes, send me news</label>"
           "<button>Subscribe</button></form><p>Great job, apply by email.</p></body></html>";
    char *why = NULL;
    drv_page_kind k;
    assert_int_equal(drv_html_extract(html, strlen(html), "https://a.example/", &k, &f, &why),
                     OA_OK);
    assert_int_equal(k, DRV_PAGE_NO_FORM);
    assert_non_null(strstr(why, "search form"));
    assert_non_null(strstr(why, "newsletter form"));
    assert_int_equal(f.n_blocks, 0);
    free(why);
}

static void test_sections(void **state)
{
    (void)state;
    const char *html =
        "<html><body><form method=post action=/a id=application>"
        "<h3>About you</h3>"
        "<label for=a>First name</label><input id=a name=a>"
        "<label for=b>Last name</label><input id=b name=b>"
        "<fieldset><legend>Address</legend><label for=c>Street</label><input id=c name=c>"
        "<label for=d>City</label><input id=d name=d></fieldset>"
        "<fieldset><legend>Gender</legend><label><input type=radio name=g value=m> "
        "Male</label><label><input type=radio name=g value=f> Female</label></fieldset>"
        "<h3>Documents</h3><label for=e>CV</label><input id=e type=file name=e>"
        "<h3>Empty heading</h3><button>Apply</button></form></body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://a.example/", &f), DRV_PAGE_FORM);
    assert_int_equal(f.n_blocks, 4);
    assert_int_equal(f.blocks[0].kind, OA_BLOCK_SECTION);
    assert_string_equal(f.blocks[0].label, "About you");
    assert_int_equal(f.blocks[0].n_children, 2);
    assert_string_equal(f.blocks[1].label, "Address");
    assert_int_equal(f.blocks[1].n_children, 2);
    assert_string_equal(key_or_dash(f.blocks[1].children[0].unified_key), "RESIDENCE_LINE_1");
    /* the radio group's own fieldset names the question, not a section; it falls under the
     * heading before it */
    assert_int_equal(f.blocks[2].kind, OA_BLOCK_SECTION);
    assert_string_equal(f.blocks[2].label, "About you");
    assert_string_equal(f.blocks[2].children[0].label, "Gender");
    assert_string_equal(key_or_dash(f.blocks[2].children[0].unified_key), "GENDER");
    assert_string_equal(f.blocks[3].label, "Documents");
    assert_int_equal(f.blocks[3].n_children, 1);
    oa_form_free(&f);
}

static void test_decoys_errors_and_hidden_closed(void **state)
{
    (void)state;
    /* a hidden decoy "email" does not take the key from the visible one; an error message
     * inside a label is not part of the label */
    const char *html = "<html><body>" FORM_OPEN "<input type=text name=email style='display:none'>"
                       "<label for=e>Email <span class=error>This field is required</span>"
                       "</label><input id=e name=email_real type=email>" FORM_CLOSE;
    oa_form f;
    assert_int_equal(ex(html, "https://a.example/", &f), DRV_PAGE_FORM);
    assert_null(q_named(&f, "email")->unified_key);
    assert_string_equal(q_named(&f, "email_real")->unified_key, "EMAIL");
    assert_string_equal(q_named(&f, "email_real")->label, "Email");
    oa_form_free(&f);
    /* a hidden application form under a "no longer available" banner */
    html = "<html><body><div class=banner>This job is no longer available.</div>"
           "<div style='display:none'>" FORM_OPEN "<label for=a>Name</label><input id=a name=a>"
           "<label for=b>Email</label><input id=b name=b>" FORM_CLOSE "</div></body></html>";
    assert_int_equal(ex(html, "https://a.example/", &f), DRV_PAGE_CLOSED);
    /* the same hidden form without the banner is a form (revealed by an Apply button) */
    html = "<html><body><button>Apply</button><div style='display:none'>" FORM_OPEN
           "<label for=a>Name</label><input id=a name=a><label for=b>Email</label>"
           "<input id=b name=b>" FORM_CLOSE "</div></body></html>";
    assert_int_equal(ex(html, "https://a.example/", &f), DRV_PAGE_FORM);
    oa_form_free(&f);
}

static void test_script_rendered_forms(void **state)
{
    (void)state;
    /* Server-rendered React: ids, no names; floating labels after the field. */
    const char *html =
        "<html><body><div id=app><form class=application--form>"
        "<div class=field><label id=fn-label for=first_name>First Name<span aria-hidden=true>*"
        "</span></label><input id=first_name aria-required=true autocomplete=given-name></div>"
        "<div class=field><input id=email type=email placeholder=' '><label>Email</label></div>"
        "<div class=field><label for=resume>Resume/CV</label><input id=resume type=file></div>"
        "<fieldset><legend>Work authorization</legend><label><input type=radio id=wa1> Yes"
        "</label><label><input type=radio id=wa2> No</label></fieldset>"
        "<button type=submit>Submit application</button></form></div></body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://job-boards.example/acme/jobs/9", &f), DRV_PAGE_FORM);
    const oa_block *fn = q_named(&f, "first_name");
    assert_string_equal(fn->label, "First Name");
    assert_true(fn->required);
    assert_string_equal(fn->unified_key, "FIRST_NAME");
    assert_string_equal(q_named(&f, "email")->label, "Email");
    assert_string_equal(q_named(&f, "resume")->unified_key, "RESUME");
    assert_int_equal(oa_form_count_questions(&f), 3); /* nameless radios cannot be sent */
    oa_form_free(&f);
    /* In a form with names, id-only controls are UI helpers and stay out. */
    html = "<html><body>" FORM_OPEN "<input id=select_all type=checkbox>"
           "<label for=a>Name</label><input id=a name=a>" FORM_CLOSE;
    assert_int_equal(ex(html, "https://a.example/", &f), DRV_PAGE_FORM);
    assert_int_equal(oa_form_count_questions(&f), 2);
    oa_form_free(&f);
}

/* ---- unified keys ----------------------------------------------------------------------- */

static const char *qkey(const char *label, const char *name, const char *ac, oa_qtype t)
{
    uk_question q = {label, name, ac, t, 0};
    uk_source src;
    return uk_question_key(&q, &src);
}

static void test_norm_and_phrases(void **state)
{
    (void)state;
    char *n = uk_norm("  Straße & Hausnr.  Prénom—Nachname ŒUVRE n’est ");
    assert_string_equal(n, "strasse hausnr prenom nachname oeuvre n est");
    free(n);
    n = uk_name_words("job_application[firstName]2");
    assert_string_equal(n, "job application first name 2");
    free(n);
    assert_true(uk_has_phrase("your user name", "user name"));
    assert_false(uk_has_phrase("username", "name"));
    assert_true(uk_has_phrase("telefonnummer privat", "telefon*"));
    assert_false(uk_has_phrase("mobiltelefon", "telefon*"));
    assert_int_equal(uk_word_count("a bb ccc"), 3);
}

static void test_question_keys(void **state)
{
    (void)state;
    static const struct {
        const char *label, *name, *ac;
        oa_qtype t;
        const char *key;
    } c[] = {
        {"Vorname", "f1", NULL, OA_Q_TEXT, "FIRST_NAME"},
        {"Nachname", "f2", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Name", "f3", NULL, OA_Q_TEXT, "FULL_NAME"},
        {"Vor- und Nachname", "f4", NULL, OA_Q_TEXT, "FULL_NAME"},
        {"Nombre y apellidos", "x", NULL, OA_Q_TEXT, "FULL_NAME"},
        {"Company name", "company", NULL, OA_Q_TEXT, NULL},
        {"Username", "username", NULL, OA_Q_TEXT, NULL},
        {"Name of your university", "uni", NULL, OA_Q_TEXT, NULL},
        {"Reference email", "ref_email", NULL, OA_Q_TEXT, NULL},
        {"Confirm email", "email2", NULL, OA_Q_TEXT, NULL},
        {"Cover letter", "cover_letter", NULL, OA_Q_FILE, NULL},
        {"Lettre de motivation", "lm", NULL, OA_Q_FILE, NULL},
        {"Résumé", "upload", NULL, OA_Q_FILE, "RESUME"},
        {"Paste your resume", "resume_text", NULL, OA_Q_TEXT, NULL},
        {"Anything else", "x", "section-a shipping given-name", OA_Q_TEXT, "FIRST_NAME"},
        {"Tel", "x", "billing tel-national", OA_Q_TEXT, "PHONE_NATIONAL_NUMBER"},
        {"x", "x", "address-level2", OA_Q_TEXT, "RESIDENCE_CITY"},
        {"x", "x", "off", OA_Q_TEXT, NULL},
        {"Nachname", "name", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Name", "full_name", NULL, OA_Q_TEXT, "FULL_NAME"},
        {"Courriel", "c", NULL, OA_Q_TEXT, "EMAIL"},
        /* Dutch, Italian, Portuguese, Polish, Swedish, Danish (the keys data files) */
        {"Achternaam", "f", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Telefoonnummer", "f", NULL, OA_Q_TEXT, "FULL_PHONE_NUMBER"},
        {"Geboortedatum", "f", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Vanaf wanneer ben je beschikbaar?", "f", NULL, OA_Q_DATE, "EXPECTED_START_DATE"},
        {"Cognome", "f", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Data di nascita", "f", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Cellulare", "f", NULL, OA_Q_TEXT, "FULL_PHONE_NUMBER"},
        {"Apelido", "f", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Telemóvel", "f", NULL, OA_Q_TEXT, "FULL_PHONE_NUMBER"},
        {"Data de nascimento", "f", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Nazwisko", "f", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Data urodzenia", "f", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Imię i nazwisko", "f", NULL, OA_Q_TEXT, "FULL_NAME"},
        {"Efternamn", "f", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Födelsedatum", "f", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Efternavn", "f", NULL, OA_Q_TEXT, "LAST_NAME"},
        {"Fødselsdato", "f", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Correo electrónico", "c", NULL, OA_Q_TEXT, "EMAIL"},
        {"Handynummer", "h", NULL, OA_Q_TEXT, "FULL_PHONE_NUMBER"},
        {"Telefonisch erreichbar ab", "t", NULL, OA_Q_TEXT, NULL},
        {"Fax", "fax", NULL, OA_Q_TEXT, NULL},
        {"Date de naissance", "dn", NULL, OA_Q_DATE, "BIRTH_DATE"},
        {"Place of birth", "pob", NULL, OA_Q_TEXT, NULL},
        {"Fecha de inicio", "fi", NULL, OA_Q_DATE, "EXPECTED_START_DATE"},
        {"Disponibilidad para viajar", "dv", NULL, OA_Q_TEXT, NULL},
        {"PLZ / Ort", "po", NULL, OA_Q_TEXT, NULL},
        {"Straße, PLZ, Ort", "adr", NULL, OA_Q_TEXT, "RESIDENCE_FULL_STRING"},
        {"Email address", "e", NULL, OA_Q_TEXT, "EMAIL"},
        {"Address line 2", "a2", NULL, OA_Q_TEXT, "RESIDENCE_LINE_2"},
        {"Nationality", "nat", NULL, OA_Q_SINGLE_SELECT, NULL},
        {"Country", "c", NULL, OA_Q_SINGLE_SELECT, "RESIDENCE_COUNTRY"},
        {"Preferred country", "c", NULL, OA_Q_SINGLE_SELECT, NULL},
        {"Estado civil", "ec", NULL, OA_Q_SINGLE_SELECT, NULL},
        {"State", "st", NULL, OA_Q_TEXT, "RESIDENCE_STATE"},
        {"State your salary expectations for this role please", "s", NULL, OA_Q_TEXT, NULL},
        {"I accept the privacy policy", "privacy", NULL, OA_Q_BOOLEAN, NULL},
        {"Ich akzeptiere die AGB", "agb", NULL, OA_Q_BOOLEAN, "TERMS_AND_CONDITIONS"},
        {"Aceptar términos y condiciones", "t", NULL, OA_Q_BOOLEAN, "TERMS_AND_CONDITIONS"},
        {"Keep my profile in your talent pool for future opportunities", "p", NULL, OA_Q_BOOLEAN,
         "APPLICANT_POOL_CONSENT"},
        {"Je souhaite rejoindre le vivier de candidats", "v", NULL, OA_Q_BOOLEAN,
         "APPLICANT_POOL_CONSENT"},
        {"Gender", "g", NULL, OA_Q_SINGLE_SELECT, "GENDER"},
        {"Sexual orientation", "so", NULL, OA_Q_SINGLE_SELECT, NULL},
        {"Anrede", "a", NULL, OA_Q_SINGLE_SELECT, NULL}, /* no gender options given */
        {"Extension", "ext", NULL, OA_Q_TEXT, "PHONE_EXTENSION"},
        {"x", "job_application[phone]", NULL, OA_Q_TEXT, "FULL_PHONE_NUMBER"},
        {"x", "emergency_contact_phone", NULL, OA_Q_TEXT, NULL},
        {"x", "your-email", NULL, OA_Q_TEXT, "EMAIL"},
        {"x", "zip", NULL, OA_Q_TEXT, "RESIDENCE_ZIP_CODE"},
        {"x", "lebenslauf", NULL, OA_Q_FILE, "RESUME"},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(c); i++) {
        const char *k = qkey(c[i].label, c[i].name, c[i].ac, c[i].t);
        if ((k == NULL) != (c[i].key == NULL) || (k && strcmp(k, c[i].key) != 0))
            fail_msg("\"%s\" / %s: key %s, want %s", c[i].label, c[i].name, key_or_dash(k),
                     key_or_dash(c[i].key));
    }
    uk_question anrede = {"Anrede", "anrede", NULL, OA_Q_SINGLE_SELECT, 2};
    uk_source src;
    assert_string_equal(uk_question_key(&anrede, &src), "GENDER");
}

static void test_option_keys(void **state)
{
    (void)state;
    static const struct {
        uk_opts_kind kind;
        const char *label, *value, *key;
    } c[] = {
        {UK_OPTS_GENDER, "Herr", "1", "MALE"},
        {UK_OPTS_GENDER, "weiblich", "w", "FEMALE"},
        {UK_OPTS_GENDER, "Femme", "f", "FEMALE"},
        {UK_OPTS_GENDER, "Masculino", "m", "MALE"},
        {UK_OPTS_GENDER, "Divers", "d", "NON_BINARY"},
        {UK_OPTS_GENDER, "Non-binary", "nb", "NON_BINARY"},
        {UK_OPTS_GENDER, "No binario", "nb", "NON_BINARY"},
        {UK_OPTS_GENDER, "Prefer not to say", "x", "NOT_SPECIFIED"},
        {UK_OPTS_GENDER, "Keine Angabe", "x", "NOT_SPECIFIED"},
        {UK_OPTS_GENDER, "Je préfère ne pas répondre", "x", "NOT_SPECIFIED"},
        {UK_OPTS_GENDER, "Prefiero no decirlo", "x", "NOT_SPECIFIED"},
        {UK_OPTS_GENDER, "Other", "o", NULL},
        {UK_OPTS_GENDER, "Transgender woman", "tw", NULL},
        {UK_OPTS_PHONE_TYPE, "Mobile", "m", "MOBILE"},
        {UK_OPTS_PHONE_TYPE, "Festnetz", "f", "LANDLINE"},
        {UK_OPTS_RESIDENCE, "Home", "h", "HOME"},
        {UK_OPTS_RESIDENCE, "Geschäftlich", "g", "WORK"},
        {UK_OPTS_RESIDENCE, "Postal address", "p", "MAILING"},
        {UK_OPTS_COUNTRY, "Deutschland", "x", "DE"},
        {UK_OPTS_COUNTRY, "Allemagne", "x", "DE"},
        {UK_OPTS_COUNTRY, "Alemania", "x", "DE"},
        {UK_OPTS_COUNTRY, "Österreich", "x", "AT"},
        {UK_OPTS_COUNTRY, "Royaume-Uni", "x", "GB"},
        {UK_OPTS_COUNTRY, "Estados Unidos", "x", "US"},
        {UK_OPTS_COUNTRY, "Schweiz (+41)", "x", "CH"},
        {UK_OPTS_COUNTRY, "Whatever", "fr", "FR"},
        {UK_OPTS_COUNTRY, "Whatever", "UK", "GB"},
        {UK_OPTS_COUNTRY, "Kosovo", "XK", NULL}, /* not in Kombo's enum */
        {UK_OPTS_COUNTRY, "Atlantis", "ZZ", NULL},
        {UK_OPTS_SOURCE, "Other job board", "x", "SOURCE_OTHER_JOB_BOARD"},
        {UK_OPTS_SOURCE, "Andere Jobbörse", "x", "SOURCE_OTHER_JOB_BOARD"},
        {UK_OPTS_SOURCE, "Other (please specify)", "x", "SOURCE_OTHER"},
        {UK_OPTS_SOURCE, "LinkedIn", "x", NULL},
        {UK_OPTS_NONE, "Male", "m", NULL},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(c); i++) {
        const char *k = uk_option_key(c[i].kind, c[i].label, c[i].value);
        if ((k == NULL) != (c[i].key == NULL) || (k && strcmp(k, c[i].key) != 0))
            fail_msg("option \"%s\": key %s, want %s", c[i].label, key_or_dash(k),
                     key_or_dash(c[i].key));
    }
    assert_int_equal(uk_options_kind(NULL, "Wie sind Sie auf uns aufmerksam geworden?"),
                     UK_OPTS_SOURCE);
    assert_int_equal(uk_options_kind(NULL, "Nationalité"), UK_OPTS_COUNTRY);
    assert_int_equal(uk_options_kind("GENDER", "Anrede"), UK_OPTS_GENDER);
    assert_true(uk_country_code_valid("DE"));
    assert_false(uk_country_code_valid("XK"));
    assert_false(uk_country_code_valid("de"));
}

/* Every country the name table knows maps to a code of Kombo's enum. */
static void test_country_table(void **state)
{
    (void)state;
    static const char *const names[] = {
        "Germany",       "France",      "Spain",          "Italy",       "United Kingdom",
        "United States", "Netherlands", "Belgium",        "Switzerland", "Austria",
        "Poland",        "Portugal",    "Ireland",        "Sweden",      "Norway",
        "Denmark",       "Finland",     "Czech Republic", "Hungary",     "Romania",
        "Greece",        "Croatia",     "Turkey",         "Ukraine",     "Canada",
        "Mexico",        "Brazil",      "Argentina",      "Chile",       "Colombia",
        "China",         "Japan",       "South Korea",    "India",       "Singapore",
        "Australia",     "New Zealand", "South Africa",   "Israel",      "United Arab Emirates",
        "Egypt",         "Morocco",     "Nigeria",        "Kenya",       "Luxembourg",
        "Slovakia",      "Slovenia",    "Bulgaria",       "Serbia",      "Estonia",
        "Latvia",        "Lithuania",   "Espagne",        "Spanien",     "Países Bajos",
        "Suisse",        "Polonia",     "Tschechien",     "Marruecos",   "Japon"};
    for (size_t i = 0; i < OA_ARRAY_LEN(names); i++) {
        const char *c = uk_country_code(names[i]);
        if (!c || !uk_country_code_valid(c))
            fail_msg("country %s: %s", names[i], key_or_dash(c));
    }
}

static void test_placeholders_and_texts(void **state)
{
    (void)state;
    static const char *const ph[] = {"Please select",
                                     "Select...",
                                     "Choose",
                                     "-- --",
                                     "---",
                                     "Bitte wählen",
                                     "Bitte auswählen",
                                     "Sélectionnez",
                                     "Seleccione",
                                     "Selecciona una opción",
                                     "",
                                     "…"};
    for (size_t i = 0; i < OA_ARRAY_LEN(ph); i++)
        if (!uk_is_placeholder_option(ph[i]))
            fail_msg("\"%s\" should be a placeholder", ph[i]);
    static const char *const real[] = {"Selected works", "Chooser", "None", "Other", "No"};
    for (size_t i = 0; i < OA_ARRAY_LEN(real); i++)
        if (uk_is_placeholder_option(real[i]))
            fail_msg("\"%s\" is a real option", real[i]);
    static const char *const closed[] = {"Sorry, this job is no longer available.",
                                         "Diese Stelle ist leider nicht mehr verfügbar",
                                         "Die Position wurde bereits besetzt.",
                                         "Cette offre n'est plus disponible",
                                         "Offre expirée",
                                         "Esta oferta ya no está disponible",
                                         "Vacante cerrada",
                                         "This position has been filled"};
    for (size_t i = 0; i < OA_ARRAY_LEN(closed); i++) {
        char *n = uk_norm(closed[i]);
        if (!uk_is_closed_text(n, NULL))
            fail_msg("\"%s\" should read as closed", closed[i]);
        free(n);
    }
    char *n = uk_norm("We are hiring! Apply now for this open position.");
    assert_false(uk_is_closed_text(n, NULL));
    free(n);
    assert_true(uk_is_eeo_topic("Are you Hispanic/Latino?"));
    assert_true(uk_is_eeo_topic("Veteran status"));
    assert_false(uk_is_eeo_topic("Gender"));
    assert_false(uk_is_eeo_topic("Tell us about the hardest race condition you have debugged"));
    assert_true(uk_is_eeo_section("Voluntary Self-Identification"));
    assert_false(uk_is_eeo_section("Personal information"));
}

static void test_eeo_category(void **state)
{
    (void)state;
    const char *html =
        "<html><body><form method=post action=/a id=application>"
        "<label for=g1>Anrede</label><select id=g1 name=anrede><option>Herr</option>"
        "<option>Frau</option></select>"
        "<label for=a>Email</label><input id=a name=email type=email>"
        "<label for=b>CV</label><input id=b name=cv type=file>"
        "<div class=eeo><h3>Voluntary Self-Identification</h3>"
        "<label for=c>Gender</label><select id=c name=eeo_gender><option>Male</option>"
        "<option>Female</option></select>"
        "<label for=d>Race</label><select id=d name=race><option>Asian</option></select>"
        "</div><label for=e>Veteran status</label><select id=e name=vet><option>No</option>"
        "</select><button>Apply</button></form></body></html>";
    oa_form f;
    assert_int_equal(ex(html, "https://a.example/", &f), DRV_PAGE_FORM);
    assert_null(q_named(&f, "anrede")->category);
    assert_null(q_named(&f, "email")->category);
    assert_string_equal(q_named(&f, "eeo_gender")->category, "EEO");
    assert_string_equal(q_named(&f, "race")->category, "EEO");
    assert_string_equal(q_named(&f, "vet")->category, "EEO");
    /* two gender questions: the salutation yields the key to the real one */
    assert_null(q_named(&f, "anrede")->unified_key);
    assert_string_equal(q_named(&f, "eeo_gender")->unified_key, "GENDER");
    assert_string_equal(key_or_dash(q_named(&f, "anrede")->options[0].unified_key), "MALE");
    oa_form_free(&f);
}

/* ---- robustness ------------------------------------------------------------------------- */

static void expect_no_crash(const char *html, size_t len)
{
    oa_form f;
    char *why = NULL;
    drv_page_kind k;
    oa_status st = drv_html_extract(html, len, "https://junk.example/", &k, &f, &why);
    assert_true(st == OA_OK || st == OA_TOO_LARGE || st == OA_INVALID);
    if (st == OA_OK && k == DRV_PAGE_FORM) {
        oa_form_assign_ids(&f, "junk");
        json_t *j = oa_form_to_json(&f, OA_FORM_PUBLIC);
        json_decref(j);
    }
    oa_form_free(&f);
    free(why);
}

static void test_junk(void **state)
{
    (void)state;
    static const char *const small[] = {
        "",
        "<",
        "<form",
        "<form method=post><input name=a",
        "<form><label for=><input id= name=></form>",
        "<form method=post id=apply><input type=file name=cv><select name=s><option",
        "<form><fieldset><legend></legend><input type=radio name=r></fieldset>",
        "<table><form><tr><td>Name<td><input name=n><td><input type=file name=f></form>",
        "<form aria-labelledby=x><input aria-labelledby='a b c' aria-describedby=' ' name=x>",
        "<form><input name=x data-show-if='=' ><input name=y data-show-if='!=z'>"
        "<input name=z data-depends-on='#' ></form>",
        "<html><body><form method=post action='http://[::1'><input type=file name=cv>"
        "<input name=a><input name=b></form>",
        "<svg><form><input name=a></form></svg><math><input name=b></math>",
        "<template><form method=post><input type=file name=cv></form></template>",
        "<form>\xff\xfe\x00\x01<input name='\xc3\x28'>\xe2\x82</form>",
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(small); i++)
        expect_no_crash(small[i], strlen(small[i]));
    /* NULL html with length 0 */
    expect_no_crash(NULL, 0);
    /* embedded NULs */
    static const char nul[] = "<form method=post id=apply>\0<input type=file name=cv>\0</form>";
    expect_no_crash(nul, sizeof nul - 1);
    /* binary garbage */
    size_t n = 1 << 16;
    char *g = xmalloc(n);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        g[i] = (char)(x & 0xff);
        if (i % 97 == 0)
            g[i] = '<';
    }
    expect_no_crash(g, n);
    free(g);
}

static void test_huge_values_and_caps(void **state)
{
    (void)state;
    oa_buf b;
    oa_buf_init(&b, 0);
    assert_int_equal(oa_buf_puts(&b, "<form method=post id=application><input type=file "
                                     "name=cv><label for=big>"),
                     OA_OK);
    for (int i = 0; i < 200000; i++)
        assert_int_equal(oa_buf_puts(&b, "Long label "), OA_OK);
    assert_int_equal(oa_buf_puts(&b, "</label><input id=big name=big placeholder='"), OA_OK);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(oa_buf_puts(&b, "xxxxxxxxxx"), OA_OK);
    assert_int_equal(oa_buf_puts(&b, "'><select name=many>"), OA_OK);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(oa_buf_printf(&b, "<option value=%d>Option %d", i, i), OA_OK);
    assert_int_equal(oa_buf_puts(&b, "</select>"), OA_OK);
    for (int i = 0; i < 700; i++)
        assert_int_equal(oa_buf_printf(&b,
                                       "<label for=q%d>Question %d</label><input id=q%d "
                                       "name=q%d>",
                                       i, i, i, i),
                         OA_OK);
    assert_int_equal(oa_buf_puts(&b, "<button>Apply</button></form>"), OA_OK);
    oa_form f;
    char *why = NULL;
    drv_page_kind k;
    assert_int_equal(drv_html_extract(b.data, b.len, "https://a.example/", &k, &f, &why), OA_OK);
    assert_int_equal(k, DRV_PAGE_FORM);
    assert_int_equal(oa_form_count_questions(&f), 500);
    const oa_block *big = q_named(&f, "big");
    assert_true(strlen(big->label) <= 500);
    assert_int_equal(q_named(&f, "many")->n_options, 2000);
    oa_form_free(&f);
    free(why);
    oa_buf_free(&b);

    /* over the page limit */
    size_t over = DRV_MAX_PAGE_BYTES + 1;
    char *p = xmalloc(over);
    memset(p, ' ', over);
    assert_int_equal(drv_html_extract(p, over, "https://a.example/", &k, &f, &why), OA_TOO_LARGE);
    assert_non_null(why);
    free(why);
    free(p);
}

/* A page that ends inside its application form (a transfer cut short) has no usable form:
 * the questions after the cut would be missing. Cut after the form, it is still a form. */
static void test_cut_short(void **state)
{
    (void)state;
    char *hp = fixture_path("rules_nl", ".html");
    size_t len;
    char *html = read_file(hp, &len);
    const char *form_end = strstr(strstr(html, "id=\"sollicitatie\""), "</form>");
    assert_non_null(form_end);
    size_t cut = (size_t)(form_end - html) - 60; /* inside the form, after most of it */
    oa_form f;
    drv_page_kind kind;
    char *why = NULL;
    kind = extract(html, cut, "https://x.example/", &f, &why);
    assert_int_equal(kind, DRV_PAGE_NO_FORM);
    if (!strstr(why, "cut short"))
        fail_msg("why: %s", why);
    free(why);
    why = NULL;
    kind = extract(html, (size_t)(form_end - html) + 7, "https://x.example/", &f, &why);
    assert_int_equal(kind, DRV_PAGE_FORM);
    free(why);
    oa_form_free(&f);
    free(html);
    free(hp);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    /* 10k nested divs around a form: parsed, extracted. */
    oa_buf b;
    oa_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(oa_buf_puts(&b, "<div>"), OA_OK);
    assert_int_equal(oa_buf_puts(&b, "<form method=post id=apply><label for=a>First name</label>"
                                     "<input id=a name=a><label for=b>Email</label><input id=b "
                                     "name=b type=email><input type=file name=cv></form>"),
                     OA_OK);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(oa_buf_puts(&b, "</div>"), OA_OK);
    oa_form f;
    char *why = NULL;
    drv_page_kind k;
    assert_int_equal(drv_html_extract(b.data, b.len, "https://a.example/", &k, &f, &why), OA_OK);
    assert_int_equal(k, DRV_PAGE_FORM);
    assert_string_equal(q_named(&f, "a")->unified_key, "FIRST_NAME");
    oa_form_free(&f);
    oa_buf_free(&b);
    /* 200k unclosed spans: refused quickly, not parsed for minutes. */
    oa_buf_init(&b, 0);
    for (int i = 0; i < 200000; i++)
        assert_int_equal(oa_buf_puts(&b, "<span>"), OA_OK);
    assert_int_equal(drv_html_extract(b.data, b.len, "https://a.example/", &k, &f, &why),
                     OA_TOO_LARGE);
    assert_non_null(strstr(why, "nests"));
    free(why);
    oa_buf_free(&b);
    /* closed void elements and <p>/<li> runs do not count as nesting */
    assert_true(hx_nesting_estimate("<p>a<p>b<li>c<br><img src=x><input>", 36) <= 1);
    assert_int_equal(hx_nesting_estimate("<div><div></div><script>if (a<b) {}</script></div>", 51),
                     2);
}

/* Pages built to hit worst cases: every one must finish in well under a second or two. */
static void time_page(const char *what, oa_buf *b, double max_seconds)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    oa_form f;
    char *why = NULL;
    drv_page_kind k;
    oa_status st = drv_html_extract(b->data, b->len, "https://a.example/", &k, &f, &why);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("  %-34s %7zu KiB  %6.3f s  (%s)\n", what, b->len >> 10, s, oa_status_str(st));
    assert_true(st == OA_OK || st == OA_TOO_LARGE);
    if (s > max_seconds)
        fail_msg("%s took %.2f s", what, s);
    oa_form_free(&f);
    free(why);
    oa_buf_free(b);
}

static void test_hostile_pages_are_fast(void **state)
{
    (void)state;
    /* Budgets are generous for sanitizer builds; a plain build is ~10x faster. */
    const double budget = 20.0;
    oa_buf b;

    oa_buf_init(&b, 0); /* 250 selects x 1000 options, many duplicate values */
    assert_int_equal(oa_buf_puts(&b, "<form method=post id=application><input type=file name=cv>"),
                     OA_OK);
    for (int s = 0; s < 250; s++) {
        assert_int_equal(oa_buf_printf(&b,
                                       "<label for=s%d>Country %d</label><select id=s%d "
                                       "name=s%d>",
                                       s, s, s, s),
                         OA_OK);
        for (int o = 0; o < 1000; o++)
            assert_int_equal(oa_buf_printf(&b, "<option value=v%d>Germany %d", o % 700, o), OA_OK);
        assert_int_equal(oa_buf_puts(&b, "</select>"), OA_OK);
    }
    assert_true(b.len < DRV_MAX_PAGE_BYTES);
    time_page("250 selects x 1000 options", &b, budget);

    oa_buf_init(&b, 0); /* headings everywhere, fieldsets nested, questions between */
    assert_int_equal(oa_buf_puts(&b, "<form method=post id=application><input type=file name=cv>"),
                     OA_OK);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(oa_buf_printf(&b, "<h3>Heading %d</h3>", i), OA_OK);
    for (int i = 0; i < 600; i++)
        assert_int_equal(oa_buf_printf(&b,
                                       "<fieldset><legend>L%d</legend><h4>H%d</h4>"
                                       "<input name=q%d><input name=r%d>",
                                       i, i, i, i),
                         OA_OK);
    time_page("20k headings, 600 nested fieldsets", &b, budget);

    oa_buf_init(&b, 0); /* 1000 forms emptied by table misnesting, controls between them */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(oa_buf_printf(&b,
                                       "<table><form method=post id=f%d><tr><td>Name %d"
                                       "<td><input name=a%d><input type=file name=cv%d>"
                                       "</form></table>",
                                       i, i, i, i),
                         OA_OK);
    time_page("1000 table-emptied forms", &b, budget);

    oa_buf_init(&b, 0); /* labels that reference everything; siblings without text */
    assert_int_equal(oa_buf_puts(&b, "<form method=post id=application><input type=file name=cv>"),
                     OA_OK);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(oa_buf_printf(&b, "<span id=l%d>label %d</span>", i, i), OA_OK);
    for (int i = 0; i < 500; i++) {
        assert_int_equal(oa_buf_puts(&b, "<div>"), OA_OK);
        for (int k = 0; k < 300; k++)
            assert_int_equal(oa_buf_puts(&b, "<i></i>"), OA_OK);
        assert_int_equal(oa_buf_printf(&b, "<input name=x%d aria-labelledby='", i), OA_OK);
        for (int k = 0; k < 200; k++)
            assert_int_equal(oa_buf_printf(&b, "l%d ", (i * 7 + k) % 3000), OA_OK);
        assert_int_equal(oa_buf_puts(&b, "'></div>"), OA_OK);
    }
    time_page("500 x 200 aria-labelledby ids", &b, budget);

    oa_buf_init(&b, 0); /* one radio group of 20000 members, and a form-less control soup */
    assert_int_equal(oa_buf_puts(&b, "<form method=post id=application><input type=file name=cv>"),
                     OA_OK);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(
            oa_buf_printf(&b, "<label><input type=radio name=r value=%d> %d</label>", i, i), OA_OK);
    assert_int_equal(oa_buf_puts(&b, "</form><div>"), OA_OK);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(oa_buf_printf(&b, "<div><input name=o%d></div>", i), OA_OK);
    assert_int_equal(oa_buf_puts(&b, "<button>Submit application</button></div>"), OA_OK);
    time_page("20000 radios + 5000 orphan inputs", &b, budget);
}

/* ---- the sample career site (examples/career-site/pages) -------------------------------- */

/* Loads a career-site template with its {{placeholders}} filled; NULL when absent. */
static char *site_page(const char *name, const char *action, size_t *len)
{
    const char *dir = getenv("OA_SOURCE_DIR");
    char *path =
        xasprintf("%s/examples/career-site/pages/%s", dir && *dir ? dir : OA_SOURCE_DIR, name);
    size_t n = 0;
    char *raw = read_file(path, &n);
    free(path);
    if (!raw)
        return NULL;
    oa_buf b;
    oa_buf_init(&b, 0);
    for (const char *p = raw; *p;) {
        const char *o = strstr(p, "{{");
        const char *c = o ? strstr(o + 2, "}}") : NULL;
        if (!o || !c) {
            assert_int_equal(oa_buf_puts(&b, p), OA_OK);
            break;
        }
        assert_int_equal(oa_buf_append(&b, p, (size_t)(o - p)), OA_OK);
        char *key = xstrndup(o + 2, (size_t)(c - o - 2));
        const char *val = strcmp(key, "csrf") == 0              ? "CSRF-DUMMY-1"
                          : strcmp(key, "action") == 0          ? action
                          : strcmp(key, "job_id") == 0          ? "BW-1042"
                          : strcmp(key, "form_started_at") == 0 ? "1700000000000"
                          : strcmp(key, "errors") == 0          ? ""
                                                                : "dummy";
        assert_int_equal(oa_buf_puts(&b, val), OA_OK);
        free(key);
        p = c + 2;
    }
    free(raw);
    *len = b.len;
    return oa_buf_take(&b);
}

static drv_page_kind site_extract(const char *page, const char *action, const char *url, oa_form *f,
                                  bool *present)
{
    size_t len = 0;
    char *html = site_page(page, action, &len);
    *present = html != NULL;
    memset(f, 0, sizeof *f);
    if (!html)
        return DRV_PAGE_NO_FORM;
    char *why = NULL;
    drv_page_kind k = extract(html, len, url, f, &why);
    if (k == DRV_PAGE_FORM) {
        oa_form_assign_ids(f, "career-site");
        check_round_trip(f);
    }
    free(why);
    free(html);
    return k;
}

static const char *hidden_value(const oa_form *f, const char *name)
{
    for (size_t i = 0; i < f->n_hidden; i++)
        if (strcmp(f->hidden[i].name, name) == 0)
            return f->hidden[i].value;
    return NULL;
}

static void test_site_backend_engineer(void **state)
{
    (void)state;
    static const char *const pages[] = {"backend-engineer.html", "backend-engineer-v2.html"};
    for (size_t p = 0; p < OA_ARRAY_LEN(pages); p++) {
        oa_form f;
        bool present;
        drv_page_kind k = site_extract(pages[p], "/jobs/backend-engineer/apply",
                                       "http://127.0.0.1:8081/jobs/backend-engineer", &f, &present);
        if (!present)
            skip();
        assert_int_equal(k, DRV_PAGE_FORM);
        /* the application form, not the header search or the footer newsletter */
        assert_string_equal(f.action, "http://127.0.0.1:8081/jobs/backend-engineer/apply");
        assert_string_equal(f.method, "POST");
        assert_string_equal(f.enctype, "multipart/form-data");
        assert_string_equal(hidden_value(&f, "_csrf"), "CSRF-DUMMY-1");
        assert_string_equal(hidden_value(&f, "job_id"), "BW-1042");
        assert_non_null(hidden_value(&f, "form_started_at"));
        assert_string_equal(q_named(&f, "first_name")->unified_key, "FIRST_NAME");
        assert_true(q_named(&f, "first_name")->required);
        assert_string_equal(q_named(&f, "email")->unified_key, "EMAIL");
        assert_string_equal(q_named(&f, "resume")->unified_key, "RESUME");
        assert_int_equal(q_named(&f, "resume")->type, OA_Q_FILE);
        assert_null(q_named(&f, "cover_letter")->unified_key);
        assert_int_equal(q_named(&f, "skills[]")->type, OA_Q_MULTI_SELECT);
        assert_int_equal(q_named(&f, "work_arrangement")->control, OA_CTL_RADIO);
        /* the conditional question */
        const oa_block *tz = q_named(&f, "timezone");
        assert_string_equal(tz->dw_field, "work_arrangement");
        assert_string_equal(tz->dw_value, "remote");
        assert_non_null(tz->dw_answer);
        assert_string_equal(tz->dw_question_id, q_named(&f, "work_arrangement")->question_id);
        /* EEO */
        assert_string_equal(q_named(&f, "eeo_gender")->category, "EEO");
        assert_string_equal(q_named(&f, "eeo_gender")->unified_key, "GENDER");
        assert_string_equal(q_named(&f, "eeo_race")->category, "EEO");
        assert_null(q_named(&f, "email")->category);
        assert_string_equal(q_named(&f, "talent_pool")->unified_key, "APPLICANT_POOL_CONSENT");
        assert_null(q_named(&f, "privacy_policy")->unified_key);
        bool has_eeo_section = false;
        for (size_t i = 0; i < f.n_blocks; i++)
            has_eeo_section = has_eeo_section || (f.blocks[i].kind == OA_BLOCK_SECTION &&
                                                  uk_is_eeo_section(f.blocks[i].label));
        assert_true(has_eeo_section);
        oa_form_free(&f);
    }
}

static void test_site_vertriebsmitarbeiter(void **state)
{
    (void)state;
    oa_form f;
    bool present;
    drv_page_kind k = site_extract("vertriebsmitarbeiter.html", "?schritt=absenden",
                                   "http://127.0.0.1:8081/jobs/vertriebsmitarbeiter", &f, &present);
    if (!present)
        skip();
    assert_int_equal(k, DRV_PAGE_FORM);
    assert_string_equal(f.action,
                        "http://127.0.0.1:8081/jobs/vertriebsmitarbeiter?schritt=absenden");
    const oa_block *vn = q_named(&f, "vorname");
    assert_string_equal(vn->label, "Vorname"); /* "*" marker stripped */
    assert_true(vn->required);
    assert_string_equal(vn->unified_key, "FIRST_NAME");
    assert_string_equal(q_named(&f, "nachname")->unified_key, "LAST_NAME");
    /* generic field names: the German label decides */
    assert_string_equal(q_named(&f, "field_123")->unified_key, "EMAIL");
    assert_string_equal(q_named(&f, "field_124")->unified_key, "FULL_PHONE_NUMBER");
    assert_string_equal(q_named(&f, "anrede")->unified_key, "GENDER");
    assert_string_equal(q_named(&f, "anrede")->options[0].unified_key, "MALE");
    assert_string_equal(q_named(&f, "lebenslauf")->unified_key, "RESUME");
    assert_false(q_named(&f, "geburtsdatum")->required);
    oa_form_free(&f);
}

static void test_site_other_languages(void **state)
{
    (void)state;
    oa_form f;
    bool present;
    drv_page_kind k = site_extract("developpeur-web.html", "developpeur-web/postuler",
                                   "http://127.0.0.1:8081/jobs/developpeur-web", &f, &present);
    if (!present)
        skip();
    assert_int_equal(k, DRV_PAGE_FORM);
    assert_string_equal(f.action, "http://127.0.0.1:8081/jobs/developpeur-web/postuler");
    assert_string_equal(q_named(&f, "prenom")->unified_key, "FIRST_NAME");
    assert_string_equal(q_named(&f, "nom")->unified_key, "LAST_NAME");
    assert_string_equal(q_named(&f, "courriel")->unified_key, "EMAIL");
    assert_true(q_named(&f, "prenom")->required);
    oa_form_free(&f);

    k = site_extract("disenador-ux.html", "http://127.0.0.1:8081/postular?vacante=disenador-ux",
                     "http://127.0.0.1:8081/jobs/disenador-ux", &f, &present);
    assert_int_equal(k, DRV_PAGE_FORM);
    assert_string_equal(f.action, "http://127.0.0.1:8081/postular?vacante=disenador-ux");
    const oa_block *pais = q_named(&f, "pais");
    assert_string_equal(pais->unified_key, "RESIDENCE_COUNTRY");
    for (size_t i = 0; i < pais->n_options; i++) {
        assert_non_null(pais->options[i].unified_key);
        assert_true(uk_country_code_valid(pais->options[i].unified_key));
    }
    assert_string_equal(q_named(&f, "nombre")->unified_key, "FIRST_NAME");
    assert_string_equal(q_named(&f, "apellidos")->unified_key, "LAST_NAME");
    oa_form_free(&f);
}

static void test_site_pages_without_form(void **state)
{
    (void)state;
    static const struct {
        const char *page;
        drv_page_kind kind;
    } c[] = {{"office-manager.html", DRV_PAGE_NO_FORM}, {"job-closed.html", DRV_PAGE_CLOSED},
             {"index.html", DRV_PAGE_NO_FORM},          {"search.html", DRV_PAGE_NO_FORM},
             {"thanks.html", DRV_PAGE_NO_FORM},         {"newsletter.html", DRV_PAGE_NO_FORM}};
    for (size_t i = 0; i < OA_ARRAY_LEN(c); i++) {
        oa_form f;
        bool present;
        drv_page_kind k =
            site_extract(c[i].page, "/x", "http://127.0.0.1:8081/jobs/x", &f, &present);
        if (!present)
            skip();
        if (k != c[i].kind)
            fail_msg("%s: kind %d, want %d", c[i].page, k, c[i].kind);
        oa_form_free(&f);
    }
}

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
        cmocka_unit_test(test_fixture_lever),
        cmocka_unit_test(test_fixture_personio_de),
        cmocka_unit_test(test_fixture_rules_nl),
        cmocka_unit_test(test_fixture_rules_it),
        cmocka_unit_test(test_fixture_rules_placeholders),
        cmocka_unit_test(test_fixture_french),
        cmocka_unit_test(test_fixture_spanish),
        cmocka_unit_test(test_fixture_cf7_wordpress),
        cmocka_unit_test(test_fixture_bootstrap),
        cmocka_unit_test(test_fixture_multi_forms),
        cmocka_unit_test(test_fixture_no_form),
        cmocka_unit_test(test_fixture_closed_en),
        cmocka_unit_test(test_fixture_closed_de),
        cmocka_unit_test(test_fixture_closed_fr),
        cmocka_unit_test(test_fixture_closed_es),
        cmocka_unit_test(test_fixture_conditional),
        cmocka_unit_test(test_fixture_table_layout),
        cmocka_unit_test(test_fixture_formless),
        cmocka_unit_test(test_fixture_gravity_forms),
        cmocka_unit_test(test_labels_preference),
        cmocka_unit_test(test_required_markers),
        cmocka_unit_test(test_clean_label),
        cmocka_unit_test(test_types_and_options),
        cmocka_unit_test(test_hidden_and_honeypots),
        cmocka_unit_test(test_action_resolution),
        cmocka_unit_test(test_form_attribute_and_choice),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_eeo_category),
        cmocka_unit_test(test_decoys_errors_and_hidden_closed),
        cmocka_unit_test(test_script_rendered_forms),
        cmocka_unit_test(test_norm_and_phrases),
        cmocka_unit_test(test_question_keys),
        cmocka_unit_test(test_option_keys),
        cmocka_unit_test(test_country_table),
        cmocka_unit_test(test_placeholders_and_texts),
        cmocka_unit_test(test_junk),
        cmocka_unit_test(test_huge_values_and_caps),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_cut_short),
        cmocka_unit_test(test_hostile_pages_are_fast),
        cmocka_unit_test(test_site_backend_engineer),
        cmocka_unit_test(test_site_vertriebsmitarbeiter),
        cmocka_unit_test(test_site_other_languages),
        cmocka_unit_test(test_site_pages_without_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
