-- A person's access history is filtered by partner, outcome, date and data category. Partner, outcome and time were
-- already plain columns; the category was only inside the sealed event, so a category filter would have had to open
-- every entry of a long history. The audit writer now also stores the category of the entry's scope as a small code
-- (custos.server.audit.EntryCategory: 1 profile, 2 profile.contact, 3 friends, 4 messages, 5 contacts, 6 calendar;
-- null when the request named no valid scope). It says no more than partner_id already does about who asked for
-- what kind of data, and it is not part of the leaf: proofs are unchanged.
alter table access_events add column category smallint;

-- The history's one index, now carrying what the filters test, so a filtered page is an index-only scan of the
-- person's own entries (heap reads only for the page's rows): still one secondary index on the append path (V32).
create index access_events_by_subject_for_history on access_events (subject_person, idx)
    include (partner_id, outcome, category, at);
drop index access_events_by_subject;

-- The same one-round-trip append as V33, with the batch's categories.
drop function custos_append_events(bytea[], bytea[], bytea[], bytea[], bytea[], bigint[], bigint[], text[], bigint[],
                                   bigint[], int[]);
create function custos_append_events(
    p_leaf_data bytea[], p_leaf_hash bytea[], p_salt bytea[], p_nonce bytea[], p_ciphertext bytea[],
    p_subject bigint[], p_partner bigint[], p_outcome text[], p_at_micros bigint[],
    p_co_person bigint[], p_co_offset int[], p_category smallint[]) returns bigint
language plpgsql as $$
declare
    v_count bigint := cardinality(p_leaf_data);
    v_first bigint;
begin
    -- Local to this transaction, in force at its commit: the server's own default may be off.
    perform set_config('synchronous_commit', 'on', true);
    update audit_log_head set next_idx = next_idx + v_count returning next_idx - v_count into v_first;
    insert into access_events (idx, leaf_data, leaf_hash, salt, nonce, ciphertext, subject_person, partner_id, outcome,
                               at, category)
    select v_first + e.ord - 1, e.leaf_data, e.leaf_hash, e.salt, e.nonce, e.ciphertext, e.subject, e.partner, e.outcome,
           timestamptz 'epoch' + e.at_micros * interval '1 microsecond', e.category
    from unnest(p_leaf_data, p_leaf_hash, p_salt, p_nonce, p_ciphertext, p_subject, p_partner, p_outcome, p_at_micros,
                p_category)
         with ordinality as e(leaf_data, leaf_hash, salt, nonce, ciphertext, subject, partner, outcome, at_micros,
                              category, ord);
    insert into access_event_co_subjects (person_id, idx)
    select c.person, v_first + c.off from unnest(p_co_person, p_co_offset) as c(person, off);
    return v_first;
end
$$;
