package custos.world.load;

import custos.consent.Consent;
import custos.data.DataCategory;
import custos.policy.DecisionRequest;
import custos.data.Operation;
import custos.policy.PolicyView;
import custos.data.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference request mix for measuring the engine, drawn from people who have consents: one half their own
 * data under a consent's partner, purpose and scope (mostly allowed), one quarter a friend's data under the same
 * consent, one quarter requests that must be denied (a scope the consent does not name, write or delete where
 * it named read). The same seed gives the same mix in every JVM. Built ahead into an array so a measuring loop allocates nothing of its own.
 */
public final class RequestMix {
    private static final Comparator<Scope> BY_NAME = Comparator.comparing(Scope::toString);

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
            // A consent's sets iterate in an order salted per JVM: pick from them sorted, so a seed means one mix.
            String purpose = c.purposes().stream().min(Comparator.naturalOrder()).orElseThrow();
            Scope scope = c.scopes().isEmpty() ? Scope.of(DataCategory.PROFILE, Operation.READ)
                    : c.scopes().stream().sorted(BY_NAME).skip(rng.nextInt(c.scopes().size())).findFirst().orElseThrow();
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
