-- Issue 16: rate limits and the bulk-extraction guard count across instances, not each instance alone.

-- Bucket4j's PostgreSQL proxy manager (select-for-update flavour): one row per partner rate bucket, its state
-- serialized by Bucket4j. The id names the partner and the rate ("partner:6:20000.0/s").
create table rate_buckets (
    id         text primary key,
    state      bytea,
    expires_at bigint
);

-- The bulk-extraction guard's daily volume: the distinct people each partner reached per UTC day, whichever
-- instance served them. The day row is the lock two instances take to count the same partner; rows of earlier days
-- are deleted when the partner's next day starts.
create table bulk_daily_volume (
    partner_id bigint not null,
    day        date   not null,
    reached    bigint not null check (reached >= 0),
    primary key (partner_id, day)
);

create table bulk_reached_people (
    partner_id bigint not null,
    day        date   not null,
    person_id  bigint not null,
    primary key (partner_id, day, person_id)
);
