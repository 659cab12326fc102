-- The audit log's Merkle tree as C2SP tlog tiles (issue 13: memory must not grow with the log). A full tile is
-- 256 consecutive node hashes of one tile level (level 0: leaf hashes); once full it never changes, so it is written
-- once, by the log integrator in the order it completes them, and read back for proofs and served tiles. Partial
-- tiles are never stored: they are the right edge each instance holds in memory.
-- root is the hash of the tile's 256 hashes (its node in the tile level above), kept beside them so a restarting
-- instance resumes its right edge from a few hundred roots per level instead of reading as many 8 KB tiles.
-- Logs stored before this migration get their tiles at the first start after it (LogIntegrator, with progress in the
-- log), from their entries' leaf hashes, checked against the latest signed checkpoint.
create table log_tiles (
    level  smallint not null check (level between 0 and 7),
    idx    bigint not null check (idx >= 0),
    hashes bytea not null check (length(hashes) = 8192),
    root   bytea not null check (length(root) = 32),
    primary key (level, idx)
);
-- Hashes do not compress: store them out of line without trying.
alter table log_tiles alter column hashes set storage external;
