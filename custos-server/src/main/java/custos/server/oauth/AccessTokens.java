package custos.server.oauth;

import custos.policy.PolicyChange;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token check of the resource endpoints: bearer token in, {@link AccessGrant} out, fast.
 *
 * <p>Tokens are opaque; only their SHA-256 hash is stored. A lookup hashes the token (about a microsecond) and reads
 * an in-memory cache keyed by that hash; on a miss, or when the cached entry is older than the cache TTL (30 s by
 * default), it reads the token row from PostgreSQL (a round trip that was a tenth of the token check's cost at
 * a 1 s TTL under load, BENCHMARKS.md). What keeps revocation immediate:
 * <ul>
 *   <li>Revocation through this instance (RFC 7009, refresh-token reuse, code replay) evicts the entries at once.</li>
 *   <li>Every revocation appends an {@code oauth_token} row (ref_id = token id) to {@code policy_changes}; every
 *       instance's follower hands each entry to {@link #apply(PolicyChange)} as part of applying it, so the token is
 *       gone from the cache before the instance reports the entry applied, and the revoking call
 *       ({@link TokenRevocations}) answers only after every live instance has (the change barrier; an instance whose
 *       tail lags loses its lease and stops deciding). A lookup that read the row while an eviction happened does not
 *       cache it, so an eviction can never be undone by a read that raced it.</li>
 *   <li>Consent withdrawal and expiry, a retired purpose, an ended agreement or a suspended partner are not cached
 *       here at all: the grant names its consent id, purpose and partner, and the decision engine, which the resource
 *       endpoints consult on every request, checks them against its own fresh view. An access token's expiry is also
 *       capped at its consent's valid-until.</li>
 * </ul>
 * Expiry is checked on every lookup, cached or not.
 */
public final class AccessTokens {
    private record Cached(AccessGrant grant, Instant loadedAt) {}

    private final TokenStore tokens;
    private final Clock clock;
    private final Duration ttl;
    /** Bounded (Caffeine evicts the least useful entries one by one, never everything at once). */
    private final com.github.benmanes.caffeine.cache.Cache<ByteBuffer, Cached> cache;
    /** Token row id to cache key, so a revocation finds its entry without scanning the cache. */
    private final ConcurrentHashMap<Long, ByteBuffer> keysByTokenId = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    static final int MAX_CACHED = 100_000;

    AccessTokens(TokenStore tokens, Clock clock, Duration ttl) {
        this(tokens, clock, ttl, MAX_CACHED);
    }

    AccessTokens(TokenStore tokens, Clock clock, Duration ttl, int maxCached) {
        this.tokens = tokens;
        this.clock = clock;
        this.ttl = ttl;
        this.cache = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                .maximumSize(maxCached)
                .executor(Runnable::run)
                .<ByteBuffer, Cached>removalListener((key, value, cause) -> {
                    if (cause.wasEvicted() && key != null && value != null) {
                        keysByTokenId.remove(value.grant().tokenId(), key);
                    }
                })
                .build();
    }

    /** The grant of a live access token, or empty for an unknown, expired, revoked or refresh token. */
    public Optional<AccessGrant> lookup(String token) {
        return lookup(token, false);
    }

    /**
     * As {@link #lookup}, and for an access token revoked because the person withdrew its consent, until the token
     * would have expired, that grant marked {@link AccessGrant#consentWithdrawn()}: the partner API refuses it as
     * CONSENT_REVOKED (decided and logged) rather than as an unknown token. Read from the same row as the live case,
     * so an unknown token still costs one query.
     */
    public Optional<AccessGrant> lookupForRequest(String token) {
        return lookup(token, true);
    }

    private Optional<AccessGrant> lookup(String token, boolean withdrawnToo) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        ByteBuffer key = ByteBuffer.wrap(OpaqueToken.hash(token));
        Cached cached = cache.getIfPresent(key);
        if (cached != null && cached.loadedAt.plus(ttl).isAfter(now)) {
            return cached.grant.expiredAt(now) ? Optional.empty() : Optional.of(cached.grant);
        }
        long generation = evictions.get();
        Optional<StoredToken> row = tokens.find(token);
        if (row.isEmpty() || row.get().kind() != TokenKind.ACCESS || !row.get().activeAt(now)) {
            cache.invalidate(key);
            return withdrawnToo ? row.filter(r -> withdrawnWithItsConsent(r, now)).map(StoredToken::withdrawnGrant)
                    : Optional.empty();
        }
        AccessGrant grant = row.get().grant();
        cache.put(key, new Cached(grant, now));
        keysByTokenId.put(grant.tokenId(), key);
        if (evictions.get() != generation) {
            cache.invalidate(key); // revoked while it was read: served this once, as a request already under way would be
        }
        return Optional.of(grant);
    }

    /** An access token, not yet past its expiry, revoked with (or after) the withdrawal of the consent it came from. */
    private boolean withdrawnWithItsConsent(StoredToken row, Instant now) {
        return row.kind() == TokenKind.ACCESS && row.revokedAt() != null && row.consentId() != null
                && now.isBefore(row.expiresAt()) && tokens.consentWithdrawnBy(row.consentId(), row.revokedAt());
    }

    /**
     * Applies one entry of the policy change feed: an {@code oauth_token} entry (a token revoked on any instance) drops
     * that token from this instance's cache; {@code world_seeded} drops everything. Other kinds are the decision
     * engine's business and are ignored here.
     */
    public void apply(PolicyChange change) {
        if (TokenStore.POLICY_CHANGE_KIND.equals(change.kind())) {
            evict(List.of(change.refId()));
        } else if ("world_seeded".equals(change.kind())) {
            evictions.incrementAndGet();
            cache.invalidateAll();
            keysByTokenId.clear();
        }
    }

    /** How many grants this instance holds now (after Caffeine's pending evictions ran). */
    long cachedCount() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Drops revoked tokens (by row id) from this instance's cache. */
    public void evict(Collection<Long> tokenIds) {
        if (!tokenIds.isEmpty()) {
            evictions.incrementAndGet();
            for (Long id : tokenIds) {
                ByteBuffer key = keysByTokenId.remove(id);
                if (key != null) {
                    cache.invalidate(key);
                }
            }
        }
    }
}
