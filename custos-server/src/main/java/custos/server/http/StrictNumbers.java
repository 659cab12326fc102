package custos.server.http;

import java.util.OptionalLong;

/**
 * Numbers in paths and queries as ASCII digits only. {@link Long#parseLong} also takes a leading {@code +} and any
 * Unicode digit ({@code "１"}, full-width one), so "+1" and "１" named person 1; an id has exactly one spelling here.
 */
public final class StrictNumbers {
    private StrictNumbers() {}

    /** The value of {@code 0} or {@code [1-9][0-9]*} within a long; empty for anything else. */
    public static OptionalLong nonNegative(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 19 || (raw.length() > 1 && raw.charAt(0) == '0')) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(raw));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /** As {@link #nonNegative}, and not zero. */
    public static OptionalLong positive(String raw) {
        OptionalLong n = nonNegative(raw);
        return n.isPresent() && n.getAsLong() > 0 ? n : OptionalLong.empty();
    }
}
