package custos.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The {@code custos_meta} rows that say which schema version and which Custos wrote a store, so that an older
 * Custos refuses a store created by a newer one instead of running against a schema it does not know.
 */
final class StoreVersion {
    private StoreVersion() {}

    static void refuseNewer(DataSource ds, Flyway known) {
        int newestKnown = 0;
        for (MigrationInfo m : known.info().all()) {
            if (m.getVersion() != null && m.getState().isResolved()) {
                newestKnown = Math.max(newestKnown, Integer.parseInt(m.getVersion().getMajorAsString()));
            }
        }
        try (Connection c = ds.getConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery("select to_regclass('custos_meta') is not null")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            String schema = null;
            String app = null;
            try (ResultSet rs = c.createStatement().executeQuery("select key, value from custos_meta")) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "schema_version" -> schema = rs.getString(2);
                        case "app_version" -> app = rs.getString(2);
                        default -> { }
                    }
                }
            }
            if (schema != null && Integer.parseInt(schema) > newestKnown) {
                throw new StoreException("this store was created by a newer Custos (" + app + ", schema " + schema
                        + "); this Custos " + Database.APP_VERSION + " knows schema up to " + newestKnown + ": upgrade Custos");
            }
        } catch (SQLException | NumberFormatException e) {
            throw new StoreException("cannot read the store's version: " + Database.deepest(e), e);
        }
    }

    static void record(DataSource ds, int schemaVersion) {
        String sql = "insert into custos_meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "schema_version");
            ps.setString(2, Integer.toString(schemaVersion));
            ps.addBatch();
            ps.setString(1, "app_version");
            ps.setString(2, Database.APP_VERSION);
            ps.addBatch();
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot record the store's version: " + Database.deepest(e), e);
        }
    }
}
