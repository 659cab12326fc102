package custos.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jdbi.v3.core.Jdbi;

/**
 * The open store: starts the embedded PostgreSQL when configured, refuses a store written by a newer Custos,
 * migrates the schema with Flyway, and hands out a pooled {@link DataSource} and a {@link Jdbi}.
 */
public final class Database implements AutoCloseable {
    /** The application version recorded in {@code custos_meta}. */
    public static final String APP_VERSION = custos.server.Version.CURRENT;
    private static final String EMBEDDED_DATABASE = "custos";
    static final int DEFAULT_POOL = 16;

    private final HikariDataSource dataSource;
    /** Made on first use, closed with the store; see {@link #quickDataSource()}. */
    private HikariDataSource quick;
    private final Jdbi jdbi;
    private final EmbeddedPostgres embedded;
    private final String description;
    /** Runs after the pool closed and before an embedded PostgreSQL stops: a scratch database drops itself here. */
    private Runnable afterClose = () -> { };

    private Database(HikariDataSource dataSource, EmbeddedPostgres embedded, String description) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.embedded = embedded;
        this.description = description;
    }

    /** The store with the default pool of 16 connections. */
    public static Database open(DbConfig config) {
        return open(config, DEFAULT_POOL);
    }

    /** The store with a pool of {@code poolSize} connections (setting db.pool). */
    public static Database open(DbConfig config, int poolSize) {
        return switch (config) {
            case DbConfig.External external -> connect(external.url(), external.user(), external.password(), null,
                    "PostgreSQL at " + external.url(), poolSize);
            case DbConfig.Embedded embeddedConfig -> {
                EmbeddedPostgres pg = EmbeddedPostgres.start(embeddedConfig.dataDir());
                try {
                    createDatabaseIfMissing(pg);
                    yield connect(pg.jdbcUrl(EMBEDDED_DATABASE), "postgres", null, pg,
                            "embedded PostgreSQL in " + embeddedConfig.dataDir().toAbsolutePath().normalize(), poolSize);
                } catch (RuntimeException e) {
                    pg.close();
                    throw e;
                }
            }
        };
    }

    /**
     * A throw-away database on the PostgreSQL of {@code config} (the server of {@code CUSTOS_DB_URL}, or the embedded
     * cluster in the data folder), freshly created under a random name and migrated like a store; closing it drops
     * it. The configured store's own database is never opened, so a benchmark on it cannot write into a real log.
     */
    public static Database scratch(DbConfig config, String prefix) {
        String name = prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return switch (config) {
            case DbConfig.External external -> {
                String url = external.url();
                String scratchUrl = scratchUrl(url, name);
                Runnable drop = () -> admin(url, external.user(), external.password(), "drop database if exists " + name + " with (force)");
                admin(url, external.user(), external.password(), "create database " + name);
                yield withCleanup(() -> connect(scratchUrl, external.user(), external.password(), null,
                        "throw-away database " + name + " on the PostgreSQL of " + url, DEFAULT_POOL), drop);
            }
            case DbConfig.Embedded embeddedConfig -> {
                EmbeddedPostgres pg = EmbeddedPostgres.start(embeddedConfig.dataDir());
                try {
                    String admin = pg.jdbcUrl("postgres");
                    admin(admin, "postgres", null, "create database " + name);
                    yield withCleanup(() -> connect(pg.jdbcUrl(name), "postgres", null, pg, "throw-away database " + name
                                    + " in the embedded PostgreSQL of " + embeddedConfig.dataDir().toAbsolutePath().normalize(),
                                    DEFAULT_POOL),
                            () -> admin(admin, "postgres", null, "drop database if exists " + name + " with (force)"));
                } catch (RuntimeException e) {
                    pg.close();
                    throw e;
                }
            }
        };
    }

    /** The URL with its database replaced by {@code name}, however the URL names it (or leaves it to the default). */
    static String scratchUrl(String url, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$").matcher(url);
        if (!m.matches()) {
            throw new StoreException("cannot tell which database " + url + " names, so no throw-away database can be made beside it");
        }
        return m.group(1) + "/" + name + (m.group(3) == null ? "" : m.group(3));
    }

    private static Database withCleanup(java.util.function.Supplier<Database> open, Runnable drop) {
        Database db;
        try {
            db = open.get();
        } catch (RuntimeException e) {
            drop.run();
            throw e;
        }
        db.afterClose = drop;
        return db;
    }

    static void admin(String url, String user, String password, String sql) {
        Properties props = new Properties();
        props.setProperty("user", user == null ? "postgres" : user);
        if (password != null) {
            props.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new StoreException("cannot " + sql.substring(0, sql.indexOf(" database")) + " a throw-away database on "
                    + url + ": " + deepest(e), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A small pool of its own for work that sits in a partner request's path before the request is decided (the
     * shared rate buckets), whose connection wait is one second, not the main pool's ten: while the store is down such
     * work must fail at once (a 503 to retry), not hold the request for ten seconds and then for its audit entry too.
     * Its own pool, too, so that requests queued on the main pool during an outage cannot starve it.
     */
    public synchronized DataSource quickDataSource() {
        if (quick == null) {
            HikariConfig hikari = new HikariConfig();
            hikari.setJdbcUrl(dataSource.getJdbcUrl());
            hikari.setUsername(dataSource.getUsername());
            hikari.setPassword(dataSource.getPassword());
            hikari.setMaximumPoolSize(4);
            hikari.setMinimumIdle(1);
            hikari.setPoolName("custos-quick");
            hikari.setConnectionTimeout(QUICK_ACQUIRE_MILLIS);
            // Row locks on a shared bucket are held for one short transaction; a longer wait means a stuck peer.
            hikari.addDataSourceProperty("options", "-c idle_in_transaction_session_timeout=10000 -c lock_timeout=2000");
            hikari.addDataSourceProperty("socketTimeout", "5");
            quick = new HikariDataSource(hikari);
        }
        return quick;
    }

    /** How long the quick pool waits for a connection (Hikari's least is 250 ms). */
    static final long QUICK_ACQUIRE_MILLIS = 1_000;

    /**
     * Why the embedded PostgreSQL is gone, when it died under this process (killed, crashed, out of memory); empty
     * while it runs, and always for an external server, which the store watch covers.
     */
    public Optional<String> embeddedStopped() {
        if (embedded == null || embedded.running()) {
            return Optional.empty();
        }
        return Optional.of("the embedded PostgreSQL in " + embedded.dataDir() + " stopped unexpectedly (see "
                + embedded.dataDir().resolve("postgres.log") + "); start the command again");
    }

    /** Where the store is, for the operator: e.g. "embedded PostgreSQL in /srv/custos/data". */
    public String description() {
        return description;
    }

    /** For a caller whose own exit hook closes this database: the embedded store then stops only through it. */
    public void stopOnlyWhenClosed() {
        if (embedded != null) {
            embedded.stopOnlyWhenClosed();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (quick != null) {
                quick.close();
            }
        }
        dataSource.close();
        try {
            afterClose.run();
        } catch (RuntimeException e) {
            System.err.println("custos: " + e.getMessage());
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres pg) {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + EMBEDDED_DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("create database " + EMBEDDED_DATABASE);
        } catch (SQLException e) {
            throw new StoreException("cannot create the database in the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static Database connect(String url, String user, String password, EmbeddedPostgres pg, String description,
                                    int poolSize) {
        probe(url, user, password);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setMaximumPoolSize(poolSize);
        hikari.setPoolName("custos");
        // One multi-row INSERT per batch instead of one statement per row: the audit log's group commit doubles.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.setConnectionTimeout(10_000);
        // A transaction left open (an autocommit mistake once hung the audit writer and every test behind it) ends
        // after a minute instead of holding its locks forever; a lock wait ends after 10 s with an error instead of
        // queueing requests without bound. No statement timeout: seeding a large world runs minutes-long statements.
        hikari.addDataSourceProperty("options", "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=10000");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new StoreException("cannot reach the database at " + url + ": " + deepest(e), e);
        }
        try {
            StoreVersion.refuseNewer(ds, Flyway.configure().dataSource(ds).load());
            Flyway flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .validateMigrationNaming(true).load();
            flyway.migrate();
            StoreVersion.record(ds, latest(flyway));
            return new Database(ds, pg, description);
        } catch (RuntimeException e) {
            ds.close();
            if (e instanceof StoreException) {
                throw e;
            }
            throw new StoreException("cannot migrate the store at " + url + ": " + deepest(e), e);
        }
    }

    private static int latest(Flyway flyway) {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? 0 : Integer.parseInt(current.getVersion().getMajorAsString());
    }

    /** One quick connection first, so an unreachable server fails in seconds with the driver's own words. */
    private static void probe(String url, String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        try (Connection ignored = DriverManager.getConnection(url, props)) {
            // Reachable.
        } catch (SQLException e) {
            throw new StoreException("cannot reach the database at " + url + ": " + deepest(e), e);
        }
    }

    static String deepest(Throwable t) {
        String message = t.getMessage();
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
            t = c;
        }
        return message == null ? t.getClass().getSimpleName() : message.replaceAll("\\s+", " ").strip();
    }

    @Override
    public String toString() {
        return description;
    }
}
