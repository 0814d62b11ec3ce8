/*
 * fuzz_html.c - libFuzzer target for the generic HTML form driver's extractor
 * (drv_html_extract: gumbo, form scoring, labels, unified keys), the engine's parser of
 * fetched career-site pages. Outside input, so fuzzed like the webhook parsers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    char *html = malloc(size + 1);
    if (!html)
        return 0;
    memcpy(html, data, size);
    html[size] = '\0';
    drv_page_kind kind;
    oa_form form = {0};
    char *why = NULL;
    if (drv_html_extract(html, size, "https://jobs.example.com/careers/42", &kind, &form, &why) ==
            OA_OK &&
        kind == DRV_PAGE_FORM)
        oa_form_assign_ids(&form, "4sHkQn8LwP2aXvT9cE3mBzYd");
    oa_form_free(&form);
    free(why);
    free(html);
    return 0;
}
