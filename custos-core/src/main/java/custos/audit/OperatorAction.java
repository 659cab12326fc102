package custos.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An entry of the audit log that is not a decision: an operator changed what partners may do (registered a partner,
 * retired a purpose, rotated a secret...). {@code actor} is the operator's login, {@code action} a stable code such as
 * {@code purpose.retire}, {@code target} what it acted on ({@code purpose:12}); {@code before} and {@code after} are
 * the target's fields that matter to decisions, as text (empty before a creation). No personal data: it is committed
 * in the clear ({@link OperatorActionCodec}).
 */
public record OperatorAction(UUID id, Instant at, String actor, String action, long partnerId, String target,
                             SortedMap<String, String> before, SortedMap<String, String> after) {
    public OperatorAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        before = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(before));
        after = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(after));
    }

    /** A new action now-ish, with a random id. */
    public static OperatorAction of(Instant at, String actor, String action, long partnerId, String target,
                                    Map<String, String> before, Map<String, String> after) {
        return new OperatorAction(UUID.randomUUID(), at, actor, action, partnerId, target, new TreeMap<>(before),
                new TreeMap<>(after));
    }
}
