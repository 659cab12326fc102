package custos.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import custos.data.Scope;
import custos.server.store.Database;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.WorldSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The access-token cache is bounded without ever emptying itself (more tokens than it holds are all still served, the
 * newest from memory), and a revocation reaches exactly the revoked token's entry, found by its row id without a scan.
 */
@Timeout(120)
class AccessTokensCacheTest {
    static TestStores.Target target;
    static Database db;
    static TokenStore store;
    static long tunewave;
    static long consent;

    @BeforeAll
    static void start() {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(50, 7), false);
        store = new TokenStore(db.jdbi());
        tunewave = db.jdbi().withHandle(h -> h.createQuery("select id from partners where slug = 'tunewave'").mapTo(Long.class).one());
        consent = db.jdbi().withHandle(h -> h.createQuery("select id from consents where person_id = 1 and partner_id = :p limit 1")
                .bind("p", tunewave).mapTo(Long.class).one());
    }

    @AfterAll
    static void stop() {
        db.close();
        target.cleanup().run();
    }

    static TokenStore.Issued issue() {
        Instant now = Instant.now();
        return db.jdbi().inTransaction(h -> store.issue(h, TokenKind.ACCESS, new TokenStore.Grant(UUID.randomUUID(), "tunewave",
                tunewave, 1L, "share-in-messages", Set.of(Scope.parse("messages:read")), consent), now, now.plusSeconds(600)));
    }

    @Test
    void moreTokensThanTheCacheHoldsAreAllServedAndTheCacheStaysWithinItsBound() {
        AccessTokens tokens = new AccessTokens(store, Clock.systemUTC(), Duration.ofSeconds(30), 10);
        List<TokenStore.Issued> issued = new ArrayList<>();
        for (int i = 0; i < 40; i++) issued.add(issue());
        for (int round = 0; round < 2; round++) {
            for (TokenStore.Issued t : issued) {
                assertThat(tokens.lookup(t.token().value())).as("token " + t.id()).isPresent();
            }
        }
        assertThat(tokens.cachedCount()).isBetween(1L, 10L);
    }

    @Test
    void aRevocationReachesTheRevokedTokensEntryAndNoOther() {
        AccessTokens tokens = new AccessTokens(store, Clock.systemUTC(), Duration.ofSeconds(30), 100);
        TokenStore.Issued kept = issue();
        TokenStore.Issued revoked = issue();
        assertThat(tokens.lookup(kept.token().value())).isPresent();
        assertThat(tokens.lookup(revoked.token().value())).isPresent();
        db.jdbi().useTransaction(h -> store.revoke(h, revoked.id(), Instant.now()));
        // Revoked in the store but not yet evicted: still served from this instance's cache (the feed evicts it).
        assertThat(tokens.lookup(revoked.token().value())).isPresent();
        tokens.evict(List.of(revoked.id()));
        assertThat(tokens.lookup(revoked.token().value())).isEmpty();
        assertThat(tokens.lookup(kept.token().value())).isPresent();
        assertThat(tokens.cachedCount()).isEqualTo(1);
    }
}
