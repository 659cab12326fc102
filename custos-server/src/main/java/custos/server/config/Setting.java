package custos.server.config;

import java.util.function.Function;

/**
 * One setting of the gateway: its key (in the file and in {@code --set key=value}), its environment variable, what it
 * means, its default (null: none) and how its text becomes a value; a parser throws {@link IllegalArgumentException}
 * with the sentence an operator reads.
 */
public record Setting<T>(String key, String env, String description, String defaultText, Function<String, T> parser,
                         boolean secret) {
    static <T> Setting<T> of(String key, String description, String defaultText, Function<String, T> parser) {
        return new Setting<>(key, envName(key), description, defaultText, parser, false);
    }

    static <T> Setting<T> secret(String key, String description, Function<String, T> parser) {
        return new Setting<>(key, envName(key), description, null, parser, true);
    }

    /** {@code db.url} is {@code CUSTOS_DB_URL}, {@code limits.header-timeout} is {@code CUSTOS_LIMITS_HEADER_TIMEOUT}. */
    static String envName(String key) {
        return "CUSTOS_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
