/*
 * test_plans.c - no API read path scans a growing table: EXPLAIN QUERY PLAN of every list
 * statement (store/plans.h) names the index it must be served by and no SCAN of a table (the
 * json_each list of the filter's values, and the picks of an enum filter, co-routines of at
 * most a page of rows read from an index each, are the only things scanned).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/plans.h"
#include "store/store.h"

/* The index each plan must use, in store_read_plans order, and whether its rows come in the
 * index's order (no sort: the lists without an id filter, which can match any number of rows;
 * an id filter's rows, a few per id, may be sorted). */
static const struct {
    const char *index;
    bool ordered;
} EXPECT[] = {
    {"USING INDEX sqlite_autoindex_postings_1 (id=?)", false},
    {"USING INDEX postings_site (career_site_id=?", false},
    {"USING INDEX postings_job_code (tenant=? AND job_code=?)", false},
    {"USING INDEX postings_availability (tenant=? AND availability=? AND seq>?)", true},
    {"USING INDEX postings_tenant (tenant=? AND seq>?)", true},
    {"USING INDEX sqlite_autoindex_applications_1 (id=?)", false},
    {"USING INDEX applications_posting (posting_id=?)", false},
    {"USING COVERING INDEX applications_status (tenant=? AND status=? AND seq>?)", true},
    {"USING INDEX applications_tenant (tenant=? AND seq>?)", true},
    {"USING INDEX applications_review (tenant=? AND needs_review=? AND seq>?)", true},
    {"USING INDEX applications_posting (posting_id=?)", false},
    {"USING INDEX sqlite_autoindex_career_sites_1 (id=?)", false},
    {"USING INDEX career_sites_tenant (tenant=? AND seq>?)", true},
    {"USING INDEX sqlite_autoindex_job_feeds_1 (id=?)", false},
    {"USING INDEX job_feeds_tenant (tenant=? AND seq>?)", true},
    {"USING INDEX events_resource (resource_id=? AND seq>?)", false},
    {"USING INDEX events_type (tenant=? AND type=? AND seq>?)", true},
    {"USING INDEX events_tenant (tenant=? AND seq>?)", true},
    {"USING INDEX events_resource (resource_id=? AND seq<?)", false},
    {"USING INDEX events_type (tenant=? AND type=? AND seq<?)", true},
    {"USING INDEX events_tenant (tenant=? AND seq<?)", true},
};

static void test_every_list_is_served_by_an_index(void **state)
{
    (void)state;
    char dir[64], url[128], *why = NULL;
    test_tmp_store_url(dir, sizeof dir, "oa-test-plans", url, sizeof url);
    oa_store *st;
    assert_int_equal(store_open(url, NULL, &st, &why), OA_OK);
    assert_int_equal(store_read_plans_n, sizeof EXPECT / sizeof *EXPECT);
    for (size_t i = 0; i < store_read_plans_n; i++) {
        char detail[4096];
        test_plan(st, store_read_plans[i].sql, strlen(store_read_plans[i].types), detail,
                  sizeof detail);
        bool scan = false;
        for (char *l = detail; *l;) {
            char *e = strchr(l, '\n');
            if (strstr(l, "SCAN ") && !strstr(l, "json_each") && !strstr(l, "CONSTANT ROW") &&
                !(strncmp(l, "SCAN pick", 9) == 0 && strstr(detail, "CO-ROUTINE pick")) &&
                (!e || strstr(l, "SCAN ") < e))
                scan = true;
            l = e ? e + 1 : l + strlen(l);
        }
        bool sorted = strstr(detail, "USE TEMP B-TREE FOR ORDER BY") != NULL;
        if (scan || !strstr(detail, EXPECT[i].index) || (EXPECT[i].ordered && sorted)) {
            print_error("%s: expected %s, no SCAN%s; the plan is:\n%s", store_read_plans[i].name,
                        EXPECT[i].index, EXPECT[i].ordered ? ", no sort" : "", detail);
            fail();
        }
    }
    store_close(st);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_list_is_served_by_an_index)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
