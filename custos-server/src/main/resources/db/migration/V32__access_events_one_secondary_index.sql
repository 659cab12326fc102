-- Every access costs an insert into access_events under synchronous commit, and each index on it is paid on
-- that path. Nothing reads entries by partner (the person's history reads by subject; proofs and tiles by idx),
-- so the partner index only slowed the durable append (BENCHMARKS.md, partner API under load). A future
-- partner report can scan by idx range or add the index it needs, measured then.
drop index if exists access_events_by_partner;
