/*
 * fuzz_api.c - libFuzzer target for the API's parsers of client input: JSON request bodies
 * (api_body_object, then the string-field reader), NDJSON bulk imports (api_import_parse) and
 * screening answers validated against a form (oa_form_validate), plus the cursor/page query
 * reader through a fake request.
 *
 * The first input byte picks the parser; the rest is the input. Each must answer OK or a
 * 4xx-shaped error, never crash, leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/form.h"

static oa_form g_form;
static int g_ready;

/* A form with every question type, a required question and a display_when condition. */
static void build_form(void)
{
    oa_form *f = &g_form;
    memset(f, 0, sizeof *f);
    const struct {
        const char *label, *field;
        oa_qtype t;
        oa_control c;
        bool req;
    } qs[] = {
        {"Name", "name", OA_Q_TEXT, OA_CTL_TEXT, true},
        {"Years", "years", OA_Q_NUMBER, OA_CTL_TEXT, false},
        {"Terms", "terms", OA_Q_BOOLEAN, OA_CTL_CHECKBOX, true},
        {"Resume", "resume", OA_Q_FILE, OA_CTL_FILE, false},
        {"Start", "start", OA_Q_DATE, OA_CTL_TEXT, false},
        {"Mode", "mode", OA_Q_SINGLE_SELECT, OA_CTL_RADIO, true},
        {"Skills", "skills", OA_Q_MULTI_SELECT, OA_CTL_CHECKBOXES, false},
        {"Timezone", "tz", OA_Q_TEXT, OA_CTL_TEXT, true},
    };
    for (size_t i = 0; i < OA_ARRAY_LEN(qs); i++) {
        oa_block *q = oa_block_add(&f->blocks, &f->n_blocks);
        q->kind = OA_BLOCK_QUESTION;
        q->label = xstrdup(qs[i].label);
        q->field_name = xstrdup(qs[i].field);
        q->type = qs[i].t;
        q->control = qs[i].c;
        q->required = qs[i].req;
        if (qs[i].t == OA_Q_SINGLE_SELECT || qs[i].t == OA_Q_MULTI_SELECT) {
            for (int k = 0; k < 3; k++) {
                oa_option *o = oa_option_add(q);
                o->label = xasprintf("opt %d", k);
                o->value = xasprintf("v%d", k);
            }
        }
        if (strcmp(qs[i].field, "tz") == 0) {
            q->dw_field = xstrdup("mode");
            q->dw_value = xstrdup("v0");
        }
    }
    oa_form_assign_ids(f, "FuzzPostingFuzzPosting12");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_ready) {
        build_form();
        g_ready = 1;
    }
    if (size < 1)
        return 0;
    uint8_t which = data[0] % 3;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    if (which == 0) {
        http_req r = {0};
        http_resp resp = {0};
        oa_buf_init(&r.body, 1 << 20);
        if (oa_buf_append(&r.body, in, len) == OA_OK) {
            json_t *o = api_body_object(&r, &resp, len & 1);
            const char *s;
            if (o)
                (void)api_field_string(&resp, o, "label", true, false, 500, &s);
            json_decref(o);
        }
        free(resp.body);
        oa_buf_free(&r.body);
    } else if (which == 1) {
        svc_import_line *lines = NULL;
        size_t n = 0;
        char *why = NULL;
        if (api_import_parse(in, len, len & 1, &lines, &n, &why) == OA_OK)
            api_import_lines_free(lines, n);
        free(why);
    } else {
        json_t *answers = json_loadb(in, len, 0, NULL);
        if (answers) {
            oa_answers out;
            char *msg = NULL, *bad = NULL;
            if (oa_form_validate(&g_form, answers, &out, &msg, &bad) == OA_OK)
                oa_answers_free(&out);
            free(msg);
            free(bad);
            json_decref(answers);
        }
    }
    return 0;
}
