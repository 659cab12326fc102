-- Issue 15: keys out of the database. The store keeps only public halves and wrapped keys.

-- Every signing key the log has had, public half only (X.509 DER), with the tree size at which it took over.
-- The private key lives in the key file named by the setting log.key (or a token/KMS behind custos.audit.CheckpointSigner).
create table log_keys (
    id            bigserial primary key,
    name          text not null,
    public_key    bytea not null unique,
    from_size     bigint not null check (from_size >= 0),
    registered_at timestamptz not null default now()
);

-- A person's key wrapped with the master key (setting keys.master): AES-GCM, the person id in the associated data.
alter table person_keys add column wrapped_key bytea;

-- The master key's check value (HMAC-SHA256 of a label under it): a wrong master key is refused at start.
create table master_key_check (
    only_row    boolean primary key default true check (only_row),
    check_value bytea not null,
    created_at  timestamptz not null default now()
);

-- A store that never held a key has nothing to move: the private and clear columns go now. A store that holds keys
-- keeps them until the application has moved them at its next start (exported / wrapped, then dropped there).
do $$
begin
    if not exists (select 1 from log_signing_key) then
        drop table log_signing_key;
    end if;
    if not exists (select 1 from person_keys where aes_key is not null) then
        alter table person_keys drop column aes_key;
    end if;
end $$;
