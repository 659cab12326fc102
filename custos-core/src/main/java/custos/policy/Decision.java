package custos.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's answer: ALLOW or DENY, every reason that applies (empty exactly when allowed), the versions it
 * was made on, and the fields a response may carry (empty when denied). Adapters return only those fields.
 */
public record Decision(Outcome outcome, Set<Reason> reasons, DecisionBasis basis, List<String> fields) {

    public Decision {
        // An unmodifiable EnumSet copy: hashing into Set.copyOf cost more than the whole decision's checks.
        reasons = reasons.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(reasons));
        fields = List.copyOf(fields);
        if ((outcome == Outcome.ALLOW) != reasons.isEmpty()) {
            throw new IllegalArgumentException("an ALLOW has no reasons and a DENY has at least one");
        }
        if (outcome == Outcome.DENY && !fields.isEmpty()) {
            throw new IllegalArgumentException("a DENY releases no fields");
        }
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    /** Reason codes in their declaration order, as the API and the log print them. */
    public List<String> reasonCodes() {
        return reasons.stream().sorted().map(Enum::name).toList();
    }
}
