-- 003_connectors.sql: ATS connector settings of a career site.
--
-- Career sites may carry connector settings (credentials such as a Greenhouse Job Board API
-- key): one JSON object sealed with the server's connector key (AES-256-GCM, bound to the
-- site's id), NULL when none. Never returned by the API, never logged.
ALTER TABLE career_sites ADD COLUMN connectors TEXT;
