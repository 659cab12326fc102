-- The console's inventory on a big store (issue 14, BENCHMARKS.md "The console's partner inventory").
--
-- Live consents per partner were counted by reading every consent (a sequential scan of 1.35 M rows and a sort
-- spilled to disk: 1.7 s every 30 s on the million-person store). Only consents not withdrawn can be live, and the
-- count reads partner, person and the end date: an index of just those rows answers it by an index-only scan, in
-- partner and person order, without a sort (0.3 s).
create index consents_live_by_partner on consents (partner_id, person_id) include (valid_until) where withdrawn_at is null;

-- A partner's last access was one backward probe of the log per partner per page; access_events keeps one secondary
-- index only (V32, for the append rate), so the probe walked the primary key back until it met the partner's entry:
-- cheap for a partner with recent traffic, the whole log (8.7 s on 1 M entries) for one with none, such as a partner
-- just registered or a dormant one. The inventory's roll-up (which already reads each new entry once for the volumes)
-- keeps the latest access per partner here instead; filled now from the entries rolled up so far (one pass of the log).
create table partner_last_access (
    partner_id bigint primary key,
    last_at    timestamptz not null
);
insert into partner_last_access (partner_id, last_at)
select partner_id, max(at) from access_events
where entry_kind is null and partner_id is not null and idx <= (select last_idx from inventory_rollup)
group by partner_id;
