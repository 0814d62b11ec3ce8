/* plans.c - the list statements, gathered for the plan test (see plans.h). */
#include "store/plans.h"

extern const char store_posting_list_ids[], store_posting_list_sites[], store_posting_list_codes[],
    store_posting_list_availability[], store_posting_list_all[];
extern const char store_app_list_ids[], store_app_list_postings[], store_app_list_status[],
    store_app_list_all[], store_app_review_all[], store_app_review_postings[];
extern const char store_site_list_ids[], store_site_list_all[], store_feed_list_ids[],
    store_feed_list_all[];
extern const char store_event_list_resource_sql[], store_event_list_type_sql[],
    store_event_list_all_sql[], store_event_list_resource_desc_sql[],
    store_event_list_type_desc_sql[], store_event_list_all_desc_sql[];

const store_plan store_read_plans[] = {
    {"postings by ids", store_posting_list_ids, "titttitttttt"},
    {"postings by career sites", store_posting_list_sites, "titttitttttt"},
    {"postings by job codes", store_posting_list_codes, "titttitttttt"},
    {"postings by availabilities", store_posting_list_availability, "titttitttttt"},
    {"postings", store_posting_list_all, "titttitttttt"},
    {"applications by ids", store_app_list_ids, "tittitttt"},
    {"applications by postings", store_app_list_postings, "tittitttt"},
    {"applications by statuses", store_app_list_status, "tittitttt"},
    {"applications", store_app_list_all, "tittitttt"},
    {"review queue", store_app_review_all, "titi"},
    {"review queue by postings", store_app_review_postings, "titi"},
    {"career sites by ids", store_site_list_ids, "titi"},
    {"career sites", store_site_list_all, "titi"},
    {"job feeds by ids", store_feed_list_ids, "titi"},
    {"job feeds", store_feed_list_all, "titi"},
    {"events of a resource", store_event_list_resource_sql, "titti"},
    {"events of a type", store_event_list_type_sql, "titti"},
    {"events", store_event_list_all_sql, "titti"},
    {"events of a resource, newest first", store_event_list_resource_desc_sql, "titti"},
    {"events of a type, newest first", store_event_list_type_desc_sql, "titti"},
    {"events, newest first", store_event_list_all_desc_sql, "titti"},
};
const size_t store_read_plans_n = sizeof store_read_plans / sizeof store_read_plans[0];
