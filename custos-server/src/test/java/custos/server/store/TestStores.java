package custos.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The two stores every store test runs against (shared by all server tests): an embedded PostgreSQL and a PostgreSQL
 * server, by default the one at 127.0.0.1:5432 (trust auth); {@code CUSTOS_TEST_DB_URL} names another, as a URL
 * ending in "/" that a database name completes.
 */
public final class TestStores {
    public static final String SERVER = serverUrl(System.getenv("CUSTOS_TEST_DB_URL"));

    static String serverUrl(String configured) {
        if (configured == null || configured.isBlank()) {
            return "jdbc:postgresql://127.0.0.1:5432/";
        }
        return configured.endsWith("/") ? configured : configured + "/";
    }

    private TestStores() {}

    /** A store to test against, and how to clean up after it. */
    public record Target(String name, DbConfig config, Runnable cleanup) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static Target embedded() {
        try {
            Path dir = Files.createTempDirectory("custos-embedded-test");
            return new Target("embedded", DbConfig.embedded(dir), () -> deleteTree(dir));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh, randomly named database on the shared server; dropped by the cleanup. */
    public static Target server() {
        String name = "custos_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        admin("create database " + name);
        return new Target("server", DbConfig.external(SERVER + name, "postgres", null),
                () -> admin("drop database if exists " + name + " with (force)"));
    }

    public static Stream<Target> both() {
        return Stream.of(embedded(), server());
    }

    public static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp dir left behind is harmless.
        }
    }
}
