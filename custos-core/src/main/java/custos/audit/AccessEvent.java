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
 * {@code fields} say what was released (zero and empty for a denial). {@code policySeq} names the committed decision
 * inputs the decision was made on (the policy change feed position the engine's view had applied, issue 15);
 * {@link #NO_INPUTS} for an entry written before inputs were committed (encoded as version 2). {@code cites} names,
 * subject by subject, the newest input the view had applied ({@link InputCitations}; version 4), or is null (version
 * 3 and before).
 */
public record AccessEvent(UUID id, Instant at, long partnerId, String clientId, String purpose, String scope,
                          long actor, long subject, List<Long> coSubjects, Outcome outcome, List<String> reasons,
                          DecisionBasis basis, int records, List<String> fields, long policySeq, InputCitations cites) {
    /** The policy sequence of an entry that names no committed inputs. */
    public static final long NO_INPUTS = -1;

    public AccessEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        coSubjects = List.copyOf(coSubjects);
        reasons = List.copyOf(reasons);
        fields = List.copyOf(fields);
        if (cites != null && policySeq == NO_INPUTS) {
            throw new IllegalArgumentException("an entry citing inputs subject by subject cites a policy sequence too");
        }
    }

    /** An event citing the inputs at {@code policySeq} only (version 3), or none ({@link #NO_INPUTS}). */
    public AccessEvent(UUID id, Instant at, long partnerId, String clientId, String purpose, String scope,
                       long actor, long subject, List<Long> coSubjects, Outcome outcome, List<String> reasons,
                       DecisionBasis basis, int records, List<String> fields, long policySeq) {
        this(id, at, partnerId, clientId, purpose, scope, actor, subject, coSubjects, outcome, reasons, basis, records,
                fields, policySeq, null);
    }

    /** An event that names no committed inputs (tools, benchmarks, entries read from version 1 or 2). */
    public AccessEvent(UUID id, Instant at, long partnerId, String clientId, String purpose, String scope,
                       long actor, long subject, List<Long> coSubjects, Outcome outcome, List<String> reasons,
                       DecisionBasis basis, int records, List<String> fields) {
        this(id, at, partnerId, clientId, purpose, scope, actor, subject, coSubjects, outcome, reasons, basis, records,
                fields, NO_INPUTS);
    }

    /** The same event citing the inputs at {@code seq} (and no subject-by-subject citations). */
    public AccessEvent citing(long seq) {
        return new AccessEvent(id, at, partnerId, clientId, purpose, scope, actor, subject, coSubjects, outcome, reasons,
                basis, records, fields, seq, null);
    }

    /** The same event citing the inputs at {@code seq}, subject by subject as {@code cites} says. */
    public AccessEvent citing(long seq, InputCitations cites) {
        return new AccessEvent(id, at, partnerId, clientId, purpose, scope, actor, subject, coSubjects, outcome, reasons,
                basis, records, fields, seq, cites);
    }
}
