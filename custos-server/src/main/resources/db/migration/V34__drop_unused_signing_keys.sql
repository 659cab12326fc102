-- The JOSE keys published at /oauth2/jwks signed nothing (tokens are opaque, introspected, not JWTs); the route is
-- gone and so are the private keys: a private key nobody uses is only a liability.
drop table if exists oauth_signing_keys;
