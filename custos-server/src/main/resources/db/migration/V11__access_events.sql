-- The audit log's entries: one row per decision, appended in index order by group commit (custos.server.audit).
-- No personal data in the clear: the leaf is a salted commitment to the event; the event itself is AES-GCM
-- encrypted under its subject's key, so destroying the key erases the event while the leaf still proves.
create table access_events (
    idx            bigint primary key,
    leaf_data      bytea not null,
    leaf_hash      bytea not null,
    salt           bytea not null,
    nonce          bytea not null,
    ciphertext     bytea,
    subject_person bigint not null,
    partner_id     bigint not null,
    outcome        text not null check (outcome in ('ALLOW', 'DENY')),
    at             timestamptz not null
);
create index access_events_by_subject on access_events (subject_person, idx);
create index access_events_by_partner on access_events (partner_id, idx);

-- Co-subjects: people whose data an access reached through someone else's consent (friend lists, threads).
create table access_event_co_subjects (
    person_id bigint not null,
    idx       bigint not null,
    primary key (person_id, idx)
);

-- One AES-256 key per person. Erasure sets destroyed_at and clears the key: the crypto-shredding of their events.
create table person_keys (
    person_id    bigint primary key,
    aes_key      bytea,
    created_at   timestamptz not null default now(),
    destroyed_at timestamptz
);

-- The log's Ed25519 signing key (C2SP signed-note), created on first start. Kept in the store so every gateway
-- instance signs as the same log; docs/operations.md says how to move it to a key store.
create table log_signing_key (
    name       text primary key,
    pkcs8      bytea not null,
    x509       bytea not null,
    created_at timestamptz not null default now()
);

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note), one per published tree size.
create table log_checkpoints (
    size       bigint primary key,
    note       text not null,
    created_at timestamptz not null default now()
);
