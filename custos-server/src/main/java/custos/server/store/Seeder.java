package custos.server.store;

import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the reference world into a store in one transaction: either the whole world is there afterwards or
 * nothing is. Secondary indexes and foreign keys are dropped for the load and rebuilt before commit (faster than
 * maintaining them row by row); the policy triggers are off during the load and one {@code world_seeded} change
 * marks it instead.
 */
public final class Seeder {
    /** The tables the world fills, parents before children. */
    static final List<String> WORLD_TABLES = List.of(
            "partners", "partner_clients", "agreements", "purposes", "purpose_scopes", "people", "friendships",
            "message_threads", "thread_participants", "messages", "contacts", "calendar_events", "privacy_settings",
            "consents", "consent_states");
    private static final List<String> WORLD_BOUND_TABLES = List.of(
            "person_credentials", "oauth_sessions", "oauth_codes", "oauth_tokens", "bulk_extraction_flags",
            "agreement_recertifications", "recertification_notices", "partner_lapses", "finding_resolutions");
    private static final List<String> TRIGGER_TABLES = List.of(
            "partners", "partner_clients", "agreements", "purposes", "purpose_scopes", "consents", "privacy_settings");
    private static final List<String> IDENTITY_TABLES = List.of(
            "partners", "agreements", "purposes", "people", "message_threads", "messages", "contacts", "calendar_events", "consents");

    /** What a seeding did: whether it wrote anything, the world's size and seed, the rows written and the time taken. */
    public record Outcome(boolean seeded, long people, long seed, long rows, Duration took) {}

    private Seeder() {}

    /** Seeds the reference world unless the store already holds one (then does nothing and says so). */
    public static Outcome seedIfEmpty(Database database, long people, long seed) {
        WorldSpec spec = new WorldSpec(people, seed);
        if (!isEmpty(database)) {
            return new Outcome(false, people, seed, 0, Duration.ZERO);
        }
        return seed(database, spec, false);
    }

    /** The seed of the world in the store (recorded by the seeding), if the store holds one. */
    public static java.util.OptionalLong worldSeed(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "select ref_id from policy_changes where kind = 'world_seeded' order by seq desc limit 1")
                .mapTo(Long.class).findOne())
                .map(java.util.OptionalLong::of).orElse(java.util.OptionalLong.empty());
    }

    public static boolean isEmpty(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery(
                "select not exists (select 1 from partners) and not exists (select 1 from people)").mapTo(Boolean.class).one());
    }

    /** Seeds the world; a non-empty store is refused unless {@code replace}, which empties it in the same transaction. */
    public static Outcome seed(Database database, WorldSpec spec, boolean replace) {
        long started = System.nanoTime();
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set local maintenance_work_mem = '512MB'");
                s.execute("lock table " + String.join(", ", WORLD_TABLES) + " in exclusive mode");
                if (!emptyIn(s) && !replace) {
                    throw new StoreException("the store already holds a world (" + database.description()
                            + "); use --replace to overwrite it");
                }
                // Truncating even an empty store matters: with wal_level=minimal (the embedded store) PostgreSQL
                // then skips the WAL for everything copied into these tables in this transaction.
                s.execute("truncate " + String.join(", ", WORLD_TABLES));
                // Grants, logins and flags of the replaced world name its people and partners: they go with it.
                // The audit log stays: it is append-only, and its proofs must keep verifying.
                s.execute("truncate " + String.join(", ", WORLD_BOUND_TABLES));
                for (String t : TRIGGER_TABLES) {
                    s.execute("alter table " + t + " disable trigger user");
                }
                List<String> rebuild = dropIndexesAndForeignKeys(s);
                long rows;
                try (CopyWorldWriter writer = new CopyWorldWriter(c)) {
                    new ReferenceWorld(spec).generate(writer);
                    rows = writer.rows();
                }
                for (String ddl : rebuild) {
                    s.execute(ddl);
                }
                for (String t : TRIGGER_TABLES) {
                    s.execute("alter table " + t + " enable trigger user");
                }
                for (String t : IDENTITY_TABLES) {
                    s.execute("select setval(pg_get_serial_sequence('" + t + "', 'id'), coalesce((select max(id) from " + t
                            + "), 0) + 1, false)");
                }
                s.execute("insert into policy_changes (kind, ref_id) values ('world_seeded', " + spec.seed() + ")");
                c.commit();
                try {
                    c.setAutoCommit(true);
                    s.execute("analyze");
                } catch (SQLException ignored) {
                    // Statistics only speed up queries; the world is committed.
                }
                return new Outcome(true, spec.people(), spec.seed(), rows, Duration.ofNanos(System.nanoTime() - started));
            } catch (SQLException | IOException | RuntimeException e) {
                rollback(c);
                if (e instanceof StoreException se && se.getMessage().startsWith("the store already holds")) {
                    throw se;
                }
                String why = e instanceof StoreException ? e.getMessage() : Database.deepest(e);
                throw new StoreException("seeding failed, nothing was written: " + why.replaceAll("\\s+", " "), e);
            }
        } catch (SQLException e) {
            throw new StoreException("seeding failed, nothing was written: " + Database.deepest(e), e);
        }
    }

    private static boolean emptyIn(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select not exists (select 1 from partners) and not exists (select 1 from people)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Drops the world tables' foreign keys and plain indexes; returns the DDL that restores them (indexes first). */
    private static List<String> dropIndexesAndForeignKeys(Statement s) throws SQLException {
        String tables = WORLD_TABLES.stream().map(t -> "'" + t + "'").reduce((a, b) -> a + "," + b).orElseThrow();
        List<String> indexes = new ArrayList<>();
        List<String> dropIndexes = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select i.indexname, i.indexdef from pg_indexes i where i.schemaname = current_schema()"
                + " and i.tablename in (" + tables + ") and not exists (select 1 from pg_constraint k"
                + " where k.conname = i.indexname and k.connamespace = (select oid from pg_namespace where nspname = current_schema()))"
                + " order by i.indexname")) {
            while (rs.next()) {
                dropIndexes.add("drop index " + rs.getString(1));
                indexes.add(rs.getString(2));
            }
        }
        List<String> foreignKeys = new ArrayList<>();
        List<String> dropForeignKeys = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid)"
                + " from pg_constraint k where k.contype = 'f' and k.connamespace = (select oid from pg_namespace where nspname = current_schema())"
                + " and (k.conrelid::regclass::text in (" + tables + ") or k.confrelid::regclass::text in (" + tables + "))"
                + " order by k.conname")) {
            while (rs.next()) {
                dropForeignKeys.add("alter table " + rs.getString(1) + " drop constraint " + rs.getString(2));
                foreignKeys.add("alter table " + rs.getString(1) + " add constraint " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        for (String ddl : dropForeignKeys) {
            s.execute(ddl);
        }
        for (String ddl : dropIndexes) {
            s.execute(ddl);
        }
        List<String> rebuild = new ArrayList<>(indexes);
        rebuild.addAll(foreignKeys);
        return rebuild;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is closed next; PostgreSQL discards the transaction.
        }
    }
}
