package custos.server.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The server's JOSE signing key (EC P-256, ES256), generated with Nimbus on first start and kept in
 * {@code oauth_signing_keys} so every instance and every restart publishes the same key at {@code /oauth2/jwks}.
 * Access tokens are opaque and nothing is signed with it yet: it is the key partners will use to verify
 * JWT-secured introspection responses (RFC 9701) and signed access receipts, published now so the key set is stable
 * before anything depends on it.
 */
final class SigningKeys {
    private final ECKey key;

    SigningKeys(Jdbi jdbi, Clock clock) {
        this.key = loadOrCreate(jdbi, clock);
    }

    JWKSet publicSet() {
        return new JWKSet(key.toPublicJWK());
    }

    ECKey signingKey() {
        return key;
    }

    private static ECKey loadOrCreate(Jdbi jdbi, Clock clock) {
        return jdbi.inTransaction(h -> {
            // Serialises first starts of several instances, so they agree on one key.
            h.execute("lock table oauth_signing_keys in share row exclusive mode");
            var stored = h.createQuery("select jwk from oauth_signing_keys order by created_at, kid limit 1")
                    .mapTo(String.class).findOne();
            if (stored.isPresent()) {
                try {
                    return ECKey.parse(stored.get());
                } catch (ParseException e) {
                    throw new IllegalStateException("the stored signing key is not a valid EC JWK", e);
                }
            }
            ECKey created;
            try {
                created = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                        .keyID(UUID.randomUUID().toString()).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate the signing key", e);
            }
            h.createUpdate("insert into oauth_signing_keys (kid, jwk, created_at) values (:kid, :jwk, :at)")
                    .bind("kid", created.getKeyID()).bind("jwk", created.toJSONString())
                    .bind("at", Timestamp.from(clock.instant())).execute();
            return created;
        });
    }
}
