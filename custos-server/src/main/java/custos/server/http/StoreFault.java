package custos.server.http;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * A store failure met in the middle of a request that is the store's state, not a bug: answered 503 with
 * {@code Retry-After} (RFC 6749's {@code temporarily_unavailable} on the OAuth endpoints), never 500. The request's
 * transaction rolled back, so it changed nothing and released nothing.
 */
public enum StoreFault {
    /** Connection failures (SQL state class 08), an administrator's or a crash's shutdown (57P0x), a pool timeout. */
    UNREACHABLE(StoreOutage.DETAIL),
    /** Insufficient resources (class 53): a full disk (53100), no memory, no connection slot left. */
    OUT_OF_RESOURCES("the store cannot write: it is out of disk space or another resource; nothing was changed; retry shortly");

    private final String detail;

    StoreFault(String detail) {
        this.detail = detail;
    }

    /** What the client is told. */
    public String detail() {
        return detail;
    }

    /** The store fault somewhere in {@code ex}'s cause chain, if there is one. */
    public static Optional<StoreFault> of(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return Optional.of(UNREACHABLE);
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0")) {
                    return Optional.of(UNREACHABLE);
                }
                if (state.startsWith("53")) {
                    return Optional.of(OUT_OF_RESOURCES);
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
