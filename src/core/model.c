/* model.c - resource structs and their API JSON. */
#include "core/model.h"

#include <stdlib.h>
#include <string.h>

#include "util/clock.h"

void oa_site_clear(oa_site *s)
{
    free(s->tenant);
    free(s->label);
    memset(s, 0, sizeof *s);
}

void oa_feed_clear(oa_feed *f)
{
    free(f->tenant);
    free(f->label);
    memset(f, 0, sizeof *f);
}

void oa_posting_clear(oa_posting *p)
{
    free(p->tenant);
    free(p->site_label);
    free(p->job_feed_id);
    free(p->url);
    free(p->job_code);
    free(p->loc_country);
    free(p->loc_postal);
    free(p->revision_id);
    free(p->last_error);
    memset(p, 0, sizeof *p);
}

void oa_application_clear(oa_application *a)
{
    free(a->tenant);
    free(a->email);
    free(a->email_lower);
    free(a->review_reason);
    free(a->decision_reason);
    free(a->answers_json);
    free(a->query_params_json);
    memset(a, 0, sizeof *a);
}

static json_t *time_json(int64_t ms)
{
    char t[OA_TIME_LEN];
    oa_time_fmt(ms, t);
    return json_string(t);
}

json_t *core_site_json(const oa_site *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(s->id));
    json_object_set_new(o, "label", json_string(s->label));
    return o;
}

json_t *core_feed_json(const oa_feed *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(f->id));
    json_object_set_new(o, "label", json_string(f->label));
    return o;
}

json_t *core_posting_json(const oa_posting *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(p->id));
    json_t *cs = json_object();
    json_object_set_new(cs, "id", json_string(p->site_id));
    json_object_set_new(cs, "label", json_string(p->site_label ? p->site_label : ""));
    json_object_set_new(o, "career_site", cs);
    json_object_set_new(o, "url", json_string(p->url));
    json_object_set_new(o, "job_code", p->job_code ? json_string(p->job_code) : json_null());
    json_object_set_new(o, "created_at", time_json(p->created_at));
    json_object_set_new(o, "updated_at", time_json(p->updated_at));
    bool archived = p->state.av == OA_AV_ARCHIVED;
    json_object_set_new(o, "archived_at",
                        archived && p->archived_at ? time_json(p->archived_at) : json_null());
    const char *reason = archived ? oa_archive_reason_name(p->state.reason) : NULL;
    json_object_set_new(o, "archived_reason", reason ? json_string(reason) : json_null());
    json_object_set_new(o, "availability", json_string(oa_availability_name(p->state.av)));
    return o;
}

json_t *core_application_json(const oa_application *a, bool apply_shape)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(a->id));
    json_object_set_new(o, apply_shape ? "posting_id" : "job_posting_id",
                        json_string(a->posting_id));
    json_object_set_new(o, "status", json_string(oa_app_status_name(a->status)));
    json_object_set_new(o, "created_at", time_json(a->created_at));
    json_object_set_new(o, "updated_at", time_json(a->updated_at));
    return o;
}

char *core_event_body(const char *event_id, const char *type, const json_t *data)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(event_id));
    json_object_set_new(o, "type", json_string(type));
    json_object_set(o, "data", (json_t *)data);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s)
        abort(); /* only on allocation failure */
    return s;
}
