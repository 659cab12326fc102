package custos.policy;

import custos.data.Scope;
import java.time.Instant;
import java.util.Objects;

/**
 * One partner request as the engine sees it: which partner (through which client) wants to do {@code scope}
 * on the data of {@code subject}, for {@code purpose}, acting for {@code actor} (the person who granted the token),
 * at {@code at}. {@code subject == actor} for the person's own data; otherwise the subject must be a friend.
 * {@code rateKey} names the token (or client) the rate limiter counts; it may be null for offline replays.
 */
public record DecisionRequest(long partnerId, String clientId, String purpose, long actor, long subject,
                              Scope scope, Instant at, String rateKey) {
    public DecisionRequest {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(at, "at");
    }

    public boolean friendsData() {
        return actor != subject;
    }

    /** The same request about another subject (a friend list is decided friend by friend). */
    public DecisionRequest about(long otherSubject) {
        return new DecisionRequest(partnerId, clientId, purpose, actor, otherSubject, scope, at, rateKey);
    }

    /** The same request for another scope (what a partner could learn of a person through another endpoint). */
    public DecisionRequest withScope(Scope otherScope) {
        return new DecisionRequest(partnerId, clientId, purpose, actor, subject, otherScope, at, rateKey);
    }
}
