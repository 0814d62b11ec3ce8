/*
 * fuzz_ats.c - libFuzzer target for the ATS connectors' parsers of vendor answers (Greenhouse,
 * Recruitee, SmartRecruiters and Workday JSON, Lever's hosted page with its card templates,
 * Personio's XML feed): outside input, so fuzzed like the HTML extractor. The first byte picks the
 * connector; a form that comes out also gets its ids and a submission built from no answers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/driver.h"

static const char *const URLS[] = {
    "https://boards.greenhouse.io/acme/jobs/4012345",
    "https://acme.recruitee.com/o/frontend-developer",
    "https://jobs.lever.co/acme/7b0e5c1e-1111-4c3a-9d22-0123456789ab",
    "https://jobs.smartrecruiters.com/Acme/743999999999-data-engineer",
    "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin/Data-Engineer_JR-1001",
    "https://acme.jobs.personio.de/job/1304501",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256 * 1024)
        return 0;
    const char *url = URLS[data[0] % (sizeof URLS / sizeof URLS[0])];
    size--;
    char *body = malloc(size + 1);
    if (!body)
        return 0;
    memcpy(body, data + 1, size);
    body[size] = '\0';
    drv_target t;
    drv_match(url, &t);
    char *base = drv_base_for(&t);
    json_t *settings = json_pack("{ss}", "api_key", "k");
    drv_reply reply = {200, NULL, url, body, size};
    drv_ctx c = {.target = &t,
                 .posting_url = url,
                 .base = base,
                 .settings = settings,
                 .replies = &reply,
                 .n_replies = 1};
    drv_page_kind kind;
    oa_form form = {0};
    char *why = NULL;
    if (t.driver->extract(&c, body, size, url, &kind, &form, &why) == OA_OK &&
        kind == DRV_PAGE_FORM) {
        oa_form_assign_ids(&form, "4sHkQn8LwP2aXvT9cE3mBzYd");
        oa_answers none = {0};
        drv_request r = {0};
        char *swhy = NULL;
        oa_status rc = t.driver->submission(&c, &form, &form, &none, &r, &swhy);
        (void)rc;
        drv_request_free(&r);
        free(swhy);
    }
    free(why);
    why = NULL;
    drv_outcome o = t.driver->classify(200, "application/json", body, size, &why);
    (void)o;
    oa_form_free(&form);
    free(why);
    json_decref(settings);
    free(base);
    drv_target_free(&t);
    free(body);
    return 0;
}
