package custos.server.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The dates the commands take: a UTC day ({@code 2025-01-01}) or an instant; a day ends at its midnight. */
public final class Period {
    private Period() {}

    /** The start of {@code text}: the day's first instant, or the instant itself. */
    public static Instant start(String option, String text) {
        try {
            return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be a day like 2025-01-01 or an instant like"
                    + " 2025-01-01T00:00:00Z, got: " + text);
        }
    }

    /** The exclusive end of {@code text}: the day's next midnight (so --to is inclusive of that day), or the instant. */
    public static Instant end(String option, String text) {
        Instant start = start(option, text);
        return text.contains("T") ? start : start.plus(java.time.Duration.ofDays(1));
    }
}
