package custos.policy;

import java.time.Instant;

/**
 * One entry of the policy change feed: something a decision depends on changed. {@code kind} is {@code partner},
 * {@code agreement}, {@code purpose}, {@code consent}, {@code settings} (refId = the new version) or
 * {@code world_seeded} (reload everything); {@code personId} and {@code partnerId} say whose, when known.
 */
public record PolicyChange(long seq, String kind, long refId, Long personId, Long partnerId, Instant changedAt) {}
