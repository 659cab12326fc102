package custos.policy.load;

import custos.consent.Consent;
import custos.policy.DataCategory;
import custos.policy.DecisionRequest;
import custos.policy.Operation;
import custos.policy.PolicyView;
import custos.policy.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference request mix for measuring the engine, drawn from people who have consents: one half their own
 * data under a consent's partner, purpose and scope (mostly allowed), one quarter a friend's data under the same
 * consent, one quarter requests that must be denied (a scope the consent does not name, write or delete where
 * it named read). Built ahead into an array so a measuring loop allocates nothing of its own.
 */
public final class RequestMix {
    private RequestMix() {}

    public static DecisionRequest[] build(PolicyView view, long people, int count, Instant at, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<DecisionRequest> out = new ArrayList<>(count);
        int misses = 0;
        while (out.size() < count) {
            long person = 1 + rng.nextLong(people);
            Consent[] consents = view.consentsOf(person);
            if (consents.length == 0) {
                if (++misses > count * 100 + 1_000_000) {
                    throw new IllegalStateException("too few people with consents to draw " + count + " requests");
                }
                continue;
            }
            Consent c = consents[rng.nextInt(consents.length)];
            String purpose = c.purposes().iterator().next();
            Scope scope = c.scopes().isEmpty() ? Scope.of(DataCategory.PROFILE, Operation.READ)
                    : c.scopes().stream().skip(rng.nextInt(c.scopes().size())).findFirst().orElseThrow();
            int kind = rng.nextInt(4);
            long subject = person;
            if (kind == 2) {
                long[] friends = view.friendsOf(person);
                if (friends.length > 0) {
                    subject = friends[rng.nextInt(friends.length)];
                }
            } else if (kind == 3) {
                scope = Scope.of(scope.category(), scope.operation() == Operation.DELETE ? Operation.WRITE : Operation.DELETE);
            }
            out.add(new DecisionRequest(c.partnerId(), "bench", purpose, person, subject, scope, at, null));
        }
        return out.toArray(DecisionRequest[]::new);
    }
}
