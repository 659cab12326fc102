package custos.policy;

import custos.policy.internal.ReasonSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's answer: ALLOW or DENY, every reason that applies (empty exactly when allowed), the versions it
 * was made on, and the fields a response may carry (empty when denied). Adapters return only those fields.
 */
public record Decision(Outcome outcome, Set<Reason> reasons, DecisionBasis basis, List<String> fields) {

    public Decision {
        // An immutable bit set, kept as is when the engine made it: copying a set cost more than the checks.
        reasons = ReasonSet.copyOf(reasons);
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
