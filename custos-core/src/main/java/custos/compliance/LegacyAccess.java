package custos.compliance;

import custos.data.DataCategory;
import custos.data.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One line of a legacy system's access log (docs/legacy-log-format.md): when, which partner (slug), whose data
 * ({@code person}), on whose account it was reached ({@code via}: the person themself, or the friend whose login the
 * partner used), the data category and operation, the fields it returned, and optionally the purpose it claimed
 * (null: any of the partner's purposes). {@code line} is its place in the file, for error messages.
 */
public record LegacyAccess(long line, Instant at, String partner, long person, long via, DataCategory category,
                           Operation operation, List<String> fields, String purpose) {
    public LegacyAccess {
        Objects.requireNonNull(at, "time");
        Objects.requireNonNull(partner, "partner");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(operation, "operation");
        fields = List.copyOf(fields);
    }
}
