-- The partners page counts, per partner, how often each one reached a person's data and when last (custos.server.
-- account.PartnerAccess). With partner, outcome and time in the subject index those counts are an index-only scan of
-- the person's own entries instead of one heap page per entry. It replaces the subject index (same key, same name),
-- so the audit append still maintains one secondary index; the history's keyset reads by (subject_person, idx) as
-- before.
drop index if exists access_events_by_subject;
create index access_events_by_subject on access_events (subject_person, idx) include (partner_id, outcome, at);
