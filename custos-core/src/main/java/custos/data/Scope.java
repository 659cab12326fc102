package custos.data;

import java.util.List;
import java.util.Objects;

/** A data category and an operation, written {@code category:operation}, e.g. {@code messages:read}. */
public record Scope(DataCategory category, Operation operation) {

    /**
     * The scopes the partner API has an operation for, in a stable order. Other category and operation pairs parse,
     * but nothing serves them, so a grant of one reaches no data; this is what the gateway advertises.
     */
    public static final List<Scope> SERVED = List.of(
            of(DataCategory.PROFILE, Operation.READ),
            of(DataCategory.PROFILE_CONTACT, Operation.READ),
            of(DataCategory.FRIENDS, Operation.READ),
            of(DataCategory.MESSAGES, Operation.READ),
            of(DataCategory.MESSAGES, Operation.WRITE),
            of(DataCategory.MESSAGES, Operation.DELETE),
            of(DataCategory.CONTACTS, Operation.READ),
            of(DataCategory.CALENDAR, Operation.READ));

    public Scope {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(operation, "operation");
    }

    public static Scope of(DataCategory category, Operation operation) {
        return new Scope(category, operation);
    }

    /** Parses {@code messages:read}; throws IllegalArgumentException with a readable message otherwise. */
    public static Scope parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("scope is missing");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("scope must look like category:operation, got: " + text);
        }
        return new Scope(DataCategory.fromCode(text.substring(0, colon)), Operation.fromCode(text.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return category.code() + ":" + operation.code();
    }
}
