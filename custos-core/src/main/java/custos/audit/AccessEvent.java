package custos.audit;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One entry of the audit log: one decision, allowed or denied. {@code subject} is the person whose data was asked
 * for; {@code coSubjects} are the other people whose data the access reached (the friends in a friend list, the
 * other participants of a thread), so the event also appears in their histories. {@code records} and
 * {@code fields} say what was released (zero and empty for a denial).
 */
public record AccessEvent(UUID id, Instant at, long partnerId, String clientId, String purpose, String scope,
                          long actor, long subject, List<Long> coSubjects, Outcome outcome, List<String> reasons,
                          DecisionBasis basis, int records, List<String> fields) {
    public AccessEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        coSubjects = List.copyOf(coSubjects);
        reasons = List.copyOf(reasons);
        fields = List.copyOf(fields);
    }
}
