-- The bulk-extraction guard's findings: a partner that reached more distinct people in a UTC day than its
-- agreements state as their daily volume. One row per partner and day, however many gateway instances saw it
-- first; the auditors' console lists them next to the partner.
create table bulk_extraction_flags (
    partner_id       bigint not null, -- no foreign key, like the audit and OAuth tables: seeding replaces partners in bulk
    day              date not null,
    daily_volume     bigint not null,
    first_refused_at timestamptz not null,
    instance         text not null,
    primary key (partner_id, day)
);
