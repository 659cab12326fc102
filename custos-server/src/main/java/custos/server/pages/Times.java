package custos.server.pages;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How pages show an instant: in words a person reads ("1 Dec 2026, 16:20 UTC") inside a {@code <time>} element
 * whose {@code datetime} keeps the exact instant. The store knows no zone per person, so the server writes UTC and
 * says so; the optional script {@code /static/local-time.js} rewrites the words into the browser's own zone.
 */
public final class Times {
    private static final DateTimeFormatter WORDS = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private Times() {}

    /** "1 Dec 2026, 16:20 UTC"; "never" for null. */
    public static String words(Instant at) {
        return at == null ? "never" : WORDS.format(at);
    }

    /** "1 Dec 2026"; "no end date" for null. */
    public static String day(Instant at) {
        return at == null ? "no end date" : DAY.format(at);
    }

    /** The value of a {@code <time datetime>} attribute: the ISO-8601 instant. */
    public static String iso(Instant at) {
        return at == null ? "" : at.toString();
    }
}
