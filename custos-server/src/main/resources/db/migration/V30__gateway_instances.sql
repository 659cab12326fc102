-- Gateway instances and how far each has applied the policy change feed. A change call waits until every
-- instance holding a live lease reports applied_floor >= the change's seq; an instance whose lease lapsed
-- refuses to decide until it has caught up and renewed it (docs/architecture.md, "Freshness").
create table gateway_instances (
    id            text primary key,
    host          text not null,
    started_at    timestamptz not null default now(),
    applied_floor bigint not null,
    lease_until   timestamptz not null
);
