/*
 * plans.h - the read statements of the API's list endpoints, one per combination of filters,
 * so that each is served by an index whatever the amount of stored data.
 *
 * A list filter written "(? IS NULL OR id IN (...))" cannot be served by an index, so the
 * first version scanned every row of the tenant on every read. Each list now picks the
 * statement driven by its most selective filter (ids, then the parent ids, then job codes,
 * then none); the other filters stay as residual conditions on the few rows found. The unary
 * `+` on a column keeps SQLite's planner off an index that only serves the ORDER BY (a
 * SQLite planner hint, marked as such; a PostgreSQL backend has its own statements).
 * tests/unit/test_plans.c runs EXPLAIN QUERY PLAN on every entry of store_read_plans and
 * fails on a SCAN of a growing table.
 */
#ifndef OA_STORE_PLANS_H
#define OA_STORE_PLANS_H

#include <stddef.h>

typedef struct {
    const char *name;
    const char *sql;
    const char *types;
} store_plan;

extern const store_plan store_read_plans[];
extern const size_t store_read_plans_n;

#endif
