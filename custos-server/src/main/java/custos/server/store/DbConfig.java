package custos.server.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** Where the store lives: an embedded PostgreSQL in a data folder, or an external PostgreSQL server. */
public sealed interface DbConfig {

    /** The embedded PostgreSQL, its cluster kept in {@code dataDir} across restarts. */
    record Embedded(Path dataDir) implements DbConfig {
        public Embedded {
            Objects.requireNonNull(dataDir, "dataDir");
        }
    }

    /** An external PostgreSQL server reached by a {@code jdbc:postgresql://} URL. */
    record External(String url, String user, String password) implements DbConfig {
        public External {
            if (url == null || !url.startsWith("jdbc:postgresql://") || org.postgresql.Driver.parseURL(url, null) == null) {
                throw new StoreException("CUSTOS_DB_URL is not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database): " + url);
            }
        }

        @Override
        public String toString() {
            return "External[url=" + url + ", user=" + user + "]";
        }
    }

    static DbConfig embedded(Path dataDir) {
        return new Embedded(dataDir);
    }

    static DbConfig external(String url, String user, String password) {
        return new External(url, user, password);
    }

    /** The external server when {@code CUSTOS_DB_URL} is set, otherwise the embedded store in {@code defaultDataDir}. */
    static DbConfig fromEnvironment(Path defaultDataDir) {
        return fromEnvironment(System.getenv(), defaultDataDir);
    }

    static DbConfig fromEnvironment(Map<String, String> env, Path defaultDataDir) {
        String url = env.get("CUSTOS_DB_URL");
        if (url == null || url.isBlank()) {
            return new Embedded(defaultDataDir);
        }
        return new External(url.strip(), env.getOrDefault("CUSTOS_DB_USER", "postgres"), env.get("CUSTOS_DB_PASSWORD"));
    }
}
