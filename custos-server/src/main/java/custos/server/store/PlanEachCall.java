package custos.server.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * Has PostgreSQL plan a query on every call, with its actual parameters, instead of keeping a generic plan for the
 * connection. For queries on tables that grow from nothing (the audit log): a pooled connection that prepared the
 * query while the table was small kept a sequential scan, and went on reading the whole log on every call as it
 * grew (seen under load: the integrator's poll read 144 million rows in minutes). Planning costs tens of
 * microseconds; these queries run a few times a second.
 */
public final class PlanEachCall implements StatementCustomizer {
    public static final PlanEachCall INSTANCE = new PlanEachCall();

    private PlanEachCall() {}

    @Override
    public void beforeExecution(PreparedStatement stmt, StatementContext ctx) throws SQLException {
        stmt.unwrap(PGStatement.class).setPrepareThreshold(0); // 0: never a server-side prepared statement
    }
}
