-- The audit writer's whole batch in one statement, so one round trip: the next index, the entries, their
-- co-subjects, and (called with autocommit) the synchronous commit. Each round trip cost the writer and a
-- PostgreSQL backend tens of microseconds of wake-ups and system calls; at the partner API's load a batch holds
-- about fifty entries and used to take five (BENCHMARKS.md, partner API under load).
--
-- The log's head is one row holding the next index. Updating it is the sequencing point of every writer of every
-- instance: a second writer's update waits for the first one's commit and then continues from the committed value
-- (READ COMMITTED re-reads the row it waited for), and a rolled-back batch rolls its update back with it, so the
-- indexes stay dense. It replaces reading max(idx) under an advisory lock: inside a function the plan of that
-- read is kept for the session, and one made while the table was small walked the whole index on every batch.
create table audit_log_head (
    one      boolean primary key default true check (one),
    next_idx bigint not null
);
insert into audit_log_head (next_idx) select coalesce(max(idx), -1) + 1 from access_events;

create function custos_append_events(
    p_leaf_data bytea[], p_leaf_hash bytea[], p_salt bytea[], p_nonce bytea[], p_ciphertext bytea[],
    p_subject bigint[], p_partner bigint[], p_outcome text[], p_at_micros bigint[],
    p_co_person bigint[], p_co_offset int[]) returns bigint
language plpgsql as $$
declare
    v_count bigint := cardinality(p_leaf_data);
    v_first bigint;
begin
    -- Local to this transaction, in force at its commit: the server's own default may be off.
    perform set_config('synchronous_commit', 'on', true);
    update audit_log_head set next_idx = next_idx + v_count returning next_idx - v_count into v_first;
    insert into access_events (idx, leaf_data, leaf_hash, salt, nonce, ciphertext, subject_person, partner_id, outcome, at)
    select v_first + e.ord - 1, e.leaf_data, e.leaf_hash, e.salt, e.nonce, e.ciphertext, e.subject, e.partner, e.outcome,
           timestamptz 'epoch' + e.at_micros * interval '1 microsecond'
    from unnest(p_leaf_data, p_leaf_hash, p_salt, p_nonce, p_ciphertext, p_subject, p_partner, p_outcome, p_at_micros)
         with ordinality as e(leaf_data, leaf_hash, salt, nonce, ciphertext, subject, partner, outcome, at_micros, ord);
    insert into access_event_co_subjects (person_id, idx)
    select c.person, v_first + c.off from unnest(p_co_person, p_co_offset) as c(person, off);
    return v_first;
end
$$;
