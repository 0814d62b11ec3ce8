-- 009_lease_node.sql: leases record the node that took them.
--
-- Over a shared database (PostgreSQL) several engine processes (nodes) claim jobs and
-- deliveries; a node that starts or stops frees only its own leases, never a live node's. On
-- SQLite one process holds the file, so every lease it finds at start was a dead process's;
-- the column is kept all the same, for operators and for the shared SQL.
ALTER TABLE jobs ADD COLUMN lease_node TEXT;
ALTER TABLE webhook_deliveries ADD COLUMN lease_node TEXT;
