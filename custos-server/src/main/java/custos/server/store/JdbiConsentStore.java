package custos.server.store;

import static custos.server.store.JdbiPartnerStore.instant;
import static custos.server.store.JdbiPartnerStore.scopes;
import static custos.server.store.JdbiPartnerStore.strings;

import custos.consent.Consent;
import custos.consent.ConsentGrant;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.consent.ConsentStateChange;
import custos.consent.ConsentStore;
import custos.data.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Consent records and their state history in PostgreSQL; changes reach the policy feed through its triggers. */
public final class JdbiConsentStore implements ConsentStore {
    private static final String SELECT = "select c.id, c.record_id, c.person_id, c.partner_id, c.purposes, c.scopes,"
            + " c.friends_data, c.notice_version, c.method, c.given_at, c.valid_until, c.withdrawn_at, c.version,"
            + " coalesce((select array_agg(s.state order by s.seq) from consent_states s where s.consent_id = c.id), '{}'),"
            + " coalesce((select array_agg(s.at order by s.seq) from consent_states s where s.consent_id = c.id), '{}')"
            + " from consents c";

    private final Jdbi jdbi;

    public JdbiConsentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Consent record(ConsentGrant g) {
        return jdbi.inTransaction(h -> {
            long id = h.createUpdate("insert into consents (record_id, person_id, partner_id, purposes, scopes, friends_data,"
                            + " notice_version, method, given_at, valid_until, version) values (:record, :person, :partner,"
                            + " :purposes, :scopes, :friends, :notice, :method, :given, :until, 1)")
                    .bind("record", UUID.randomUUID().toString()).bind("person", g.personId()).bind("partner", g.partnerId())
                    .bind("purposes", g.purposes().stream().sorted().toArray(String[]::new))
                    .bind("scopes", g.scopes().stream().map(Scope::toString).sorted().toArray(String[]::new))
                    .bind("friends", g.friendsData()).bind("notice", g.noticeVersion()).bind("method", g.method().name())
                    .bind("given", Timestamp.from(g.givenAt()))
                    .bind("until", g.validUntil() == null ? null : Timestamp.from(g.validUntil()))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            addState(h, id, ConsentState.GIVEN, g.givenAt());
            return find(h, id).orElseThrow();
        });
    }

    @Override
    public Optional<Consent> withdraw(long consentId, Instant at) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("update consents set withdrawn_at = :at, version = version + 1"
                    + " where id = :id and withdrawn_at is null").bind("id", consentId).bind("at", Timestamp.from(at)).execute();
            if (n == 1) {
                addState(h, consentId, ConsentState.WITHDRAWN, at);
            }
            return find(h, consentId);
        });
    }

    @Override
    public Optional<Consent> narrow(long consentId, Set<Scope> scopes, boolean friendsData) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("update consents set scopes = cast(:scopes as text[]), friends_data = friends_data and :friends,"
                            + " version = version + 1 where id = :id and withdrawn_at is null and scopes @> cast(:scopes as text[])")
                    .bind("id", consentId).bind("friends", friendsData)
                    .bind("scopes", scopes.stream().map(Scope::toString).sorted().toArray(String[]::new)).execute();
            return n == 1 ? find(h, consentId) : Optional.<Consent>empty();
        });
    }

    @Override
    public Optional<Consent> find(long consentId) {
        return jdbi.withHandle(h -> find(h, consentId));
    }

    @Override
    public List<Consent> forPerson(long personId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " where c.person_id = :p order by c.id").bind("p", personId)
                .map(JdbiConsentStore::consent).list());
    }

    @Override
    public void forEachLive(Instant at, Consumer<Consent> sink) {
        jdbi.useTransaction(h -> h.createQuery(SELECT + " where c.given_at <= :at and (c.withdrawn_at is null or c.withdrawn_at > :at)"
                        + " and (c.valid_until is null or c.valid_until > :at) order by c.id")
                .bind("at", Timestamp.from(at)).setFetchSize(5_000)
                .map(JdbiConsentStore::consent).useStream(s -> s.forEach(sink)));
    }

    @Override
    public void forEachConsent(Consumer<Consent> sink) {
        jdbi.useTransaction(h -> h.createQuery(SELECT + " order by c.id").setFetchSize(5_000)
                .map(JdbiConsentStore::consent).useStream(s -> s.forEach(sink)));
    }

    private static Optional<Consent> find(Handle h, long id) {
        return h.createQuery(SELECT + " where c.id = :id").bind("id", id).map(JdbiConsentStore::consent).findOne();
    }

    private static void addState(Handle h, long id, ConsentState state, Instant at) {
        h.createUpdate("insert into consent_states (consent_id, seq, state, at) select :id,"
                        + " coalesce(max(seq), 0) + 1, :state, :at from consent_states where consent_id = :id")
                .bind("id", id).bind("state", state.name()).bind("at", Timestamp.from(at)).execute();
    }

    private static Consent consent(ResultSet rs, StatementContext ctx) throws SQLException {
        String[] states = (String[]) rs.getArray(14).getArray();
        Object[] ats = (Object[]) rs.getArray(15).getArray();
        List<ConsentStateChange> history = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            history.add(new ConsentStateChange(ConsentState.valueOf(states[i]), ((Timestamp) ats[i]).toInstant()));
        }
        return new Consent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), new HashSet<>(strings(rs.getArray(5))),
                scopes(rs.getArray(6)), rs.getBoolean(7), rs.getString(8), ConsentMethod.valueOf(rs.getString(9)),
                instant(rs, 10), instant(rs, 11), instant(rs, 12), rs.getInt(13), history);
    }
}
