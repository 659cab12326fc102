-- Decision inputs committed to the verifiable log (issue 15; custos.audit.inputs). Each input is a log entry of its
-- own in access_events (entry_kind 17: a person's consents, settings and friends, sealed under the person's key with
-- subject_person left null so histories and compliance readers, which filter on it, do not take it for an access;
-- 18: a partner's agreements and purposes, public). This table says which entries are inputs, whose, and for which
-- policy change: the map from the policy sequence an access entry cites to the log indexes of the inputs.
create table decision_inputs (
    idx        bigint primary key,
    seq        bigint not null,
    kind       smallint not null,
    person_id  bigint,
    partner_id bigint,
    opening    bytea            -- the canonical bytes of a public (partner) input; person inputs are in ciphertext
);
create index decision_inputs_by_person on decision_inputs (person_id, idx) where person_id is not null;
create index decision_inputs_by_partner on decision_inputs (partner_id, idx) where partner_id is not null;
create index decision_inputs_by_seq on decision_inputs (seq, idx);

-- Policy changes already committed as inputs, so that exactly one instance records each, once.
create table decision_inputs_recorded (
    seq bigint primary key
);

-- Snapshots of every input in force, one per seeded world (or at the first start on a store without one): the log's
-- starting state. seq is the policy sequence of the view they were read from; through_person is how far a snapshot
-- in progress has come (people in id order), so one cut short by a stop resumes where it was.
create table decision_input_snapshots (
    seq            bigint primary key,
    through_person bigint not null default -1,
    entries        bigint not null default 0,
    done           boolean not null default false,
    started_at     timestamptz not null default now()
);
