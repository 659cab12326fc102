package custos.server.audit;

import custos.data.DataCategory;
import custos.data.Scope;
import java.util.Optional;

/**
 * The plain category code an audit entry carries next to its sealed event (V45), so a person's history can be
 * filtered by category without opening every entry. The codes are stored: they are fixed here, never an ordinal.
 */
public final class EntryCategory {
    private EntryCategory() {}

    /** The code of {@code category}. */
    public static short code(DataCategory category) {
        return switch (category) {
            case PROFILE -> 1;
            case PROFILE_CONTACT -> 2;
            case FRIENDS -> 3;
            case MESSAGES -> 4;
            case CONTACTS -> 5;
            case CALENDAR -> 6;
        };
    }

    /** The code of the scope an event names; null when it names none that parses (a refused malformed request). */
    public static Short ofScope(String scope) {
        try {
            return code(Scope.parse(scope).category());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The category of a stored code; empty for null or a code this version does not know. */
    public static Optional<DataCategory> of(Short code) {
        if (code == null) {
            return Optional.empty();
        }
        for (DataCategory c : DataCategory.values()) {
            if (code(c) == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
