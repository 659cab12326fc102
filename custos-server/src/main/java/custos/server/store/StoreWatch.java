package custos.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Knows, within about a second, whether the store answers, so requests are refused at once while it does not instead
 * of each waiting out the pool's connection timeout (10 s) and failing with a 500. It asks over its own connection
 * (short connect and socket timeouts), never over the pool, which may be exhausted by the very requests that wait.
 */
public final class StoreWatch implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(250);

    private final String url;
    private final Properties props = new Properties();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure;
    private Connection connection;

    public StoreWatch(Database database) {
        HikariDataSource ds = (HikariDataSource) database.dataSource();
        this.url = ds.getJdbcUrl();
        if (ds.getUsername() != null) {
            props.setProperty("user", ds.getUsername());
        }
        if (ds.getPassword() != null) {
            props.setProperty("password", ds.getPassword());
        }
        props.setProperty("connectTimeout", "1");
        props.setProperty("socketTimeout", "1");
        props.setProperty("loginTimeout", "2");
        props.setProperty("ApplicationName", "custos store watch");
        check();
        this.thread = Thread.ofVirtual().name("custos-store-watch").start(this::run);
    }

    /** Whether the store answered the last check. */
    public boolean reachable() {
        return failure == null;
    }

    /** Why the last check failed, in the driver's words; empty while the store answers. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(EVERY);
            } catch (InterruptedException e) {
                return;
            }
            check();
        }
    }

    private synchronized void check() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, props);
            }
            try (Statement s = connection.createStatement()) {
                s.execute("select 1");
            }
            failure = null;
        } catch (SQLException e) {
            failure = "the store does not answer: " + Database.deepest(e);
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        synchronized (this) {
            closeConnection();
        }
    }
}
