package custos.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How setting texts become values, each refusing bad text with one sentence. */
final class Parsers {
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

    private Parsers() {}

    static Function<String, Integer> integer(int min, int max) {
        return text -> {
            int value;
            try {
                value = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
            }
            return value;
        };
    }

    static Function<String, Double> positive() {
        return text -> {
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(text + " must be a positive number");
            }
            return value;
        };
    }

    /** {@code 30s}, {@code 15m}, {@code 2h}, {@code 500ms}, {@code 90d}, or ISO-8601 ({@code PT15M}); within the bounds. */
    static Function<String, Duration> duration(Duration min, Duration max) {
        return text -> {
            Duration value;
            Matcher m = SHORT_DURATION.matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                value = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                try {
                    value = Duration.parse(text);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 15m, 2h, PT15M)");
                }
            }
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(text + " is outside " + min + ".." + max);
            }
            return value;
        };
    }

    /** A path to a file that exists and can be read. */
    static Function<String, java.nio.file.Path> file() {
        return text -> {
            java.nio.file.Path path = java.nio.file.Path.of(text().apply(text));
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
                throw new IllegalArgumentException("no readable file " + path);
            }
            return path;
        };
    }

    static Function<String, String> text() {
        return text -> {
            if (text.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("contains a control character");
            }
            return text;
        };
    }
}
