-- 014_list_filters.sql: indexes for the list filters of the operator dashboard.
--
-- GET /v1/ai-apply/postings?availabilities=... and GET /v1/ai-apply/applications?statuses=...
-- read one range of these indexes per value listed, in seq order, a page at a time
-- (store_posting_list_availability, store_app_list_status): the cost of a page does not grow
-- with the rows of other availabilities or statuses, nor with the table. The events filters
-- (resource_ids, order=desc) need none: events_resource (resource_id, seq), events_type
-- (tenant, type, seq) and events_tenant (tenant, seq) serve both directions.
CREATE INDEX postings_availability ON postings (tenant, availability, seq);
CREATE INDEX applications_status ON applications (tenant, status, seq);
