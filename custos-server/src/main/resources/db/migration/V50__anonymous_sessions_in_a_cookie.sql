-- Before a person signs in, a session is only a CSRF token: it now lives in a cookie MACed with this key, so
-- unauthenticated requests write nothing to the store (one row per GET /oauth2/authorize, kept 30 minutes, let
-- anyone grow oauth_sessions at request rate). One key, shared by every instance, since the login form may be
-- posted to another instance than the one that showed it.
create table session_mac_key (
    id  smallint primary key check (id = 1),
    mac bytea not null check (length(mac) = 32)
);
