package custos.server.store;

import static custos.server.store.JdbiPartnerStore.instant;

import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.SettingsStore;
import custos.data.DataCategory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Versioned privacy settings in PostgreSQL; each new version reaches the policy feed through its trigger. */
public final class JdbiSettingsStore implements SettingsStore {
    private static final String SELECT = "select person_id, version, effective_from, categories::text from privacy_settings";

    private final Jdbi jdbi;

    public JdbiSettingsStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public PrivacySettings current(long personId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " where person_id = :p order by version desc limit 1")
                .bind("p", personId).map(JdbiSettingsStore::settings).findOne())
                .orElseGet(() -> new PrivacySettings(personId, 0, Instant.EPOCH, Map.of()));
    }

    @Override
    public Optional<PrivacySettings> inForceAt(long personId, Instant at) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " where person_id = :p and effective_from <= :at"
                        + " order by effective_from desc, version desc limit 1")
                .bind("p", personId).bind("at", Timestamp.from(at)).map(JdbiSettingsStore::settings).findOne());
    }

    @Override
    public List<PrivacySettings> history(long personId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " where person_id = :p order by version")
                .bind("p", personId).map(JdbiSettingsStore::settings).list());
    }

    @Override
    public PrivacySettings newVersion(long personId, Map<DataCategory, CategorySetting> categories, Instant effectiveFrom) {
        return jdbi.inTransaction(h -> {
            // Serialises concurrent changes for one person: the second waits and takes the next version number.
            h.createQuery("select id from people where id = :p for update").bind("p", personId).mapTo(Long.class).findOne()
                    .orElseThrow(() -> new StoreException("no person with id " + personId));
            return h.createQuery("insert into privacy_settings (person_id, version, effective_from, categories)"
                            + " select :p, coalesce(max(version), 0) + 1, :from, cast(:json as jsonb) from privacy_settings where person_id = :p"
                            + " returning person_id, version, effective_from, categories::text")
                    .bind("p", personId).bind("from", Timestamp.from(effectiveFrom)).bind("json", SettingsJson.write(categories))
                    .map(JdbiSettingsStore::settings).one();
        });
    }

    @Override
    public void forEachCurrent(Consumer<PrivacySettings> sink) {
        jdbi.useTransaction(h -> h.createQuery("select distinct on (person_id) person_id, version, effective_from, categories::text"
                        + " from privacy_settings order by person_id, version desc")
                .setFetchSize(10_000).map(JdbiSettingsStore::settings).useStream(s -> s.forEach(sink)));
    }

    @Override
    public void forEachVersion(Consumer<PrivacySettings> sink) {
        jdbi.useTransaction(h -> h.createQuery(SELECT + " order by person_id, version")
                .setFetchSize(10_000).map(JdbiSettingsStore::settings).useStream(s -> s.forEach(sink)));
    }

    private static PrivacySettings settings(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PrivacySettings(rs.getLong(1), rs.getInt(2), instant(rs, 3), SettingsJson.read(rs.getString(4)));
    }
}
