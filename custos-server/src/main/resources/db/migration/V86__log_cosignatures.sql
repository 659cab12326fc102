-- Witness cosignatures (c2sp.org/tlog-cosignature) of the log's checkpoints: one line per checkpoint size and
-- witness (its cosigner name), as the witness returned it from add-checkpoint. The served checkpoint is the log's
-- signed note with these lines appended.
create table log_cosignatures (
    size      bigint not null,
    witness   text   not null,
    signature text   not null,
    primary key (size, witness)
);
