package custos.server.store;

import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.PartnerStore;
import custos.partner.Purpose;
import custos.data.Scope;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Partners, clients, agreements and purposes in PostgreSQL; changes reach the policy feed through its triggers. */
public final class JdbiPartnerStore implements PartnerStore {
    private final Jdbi jdbi;

    public JdbiPartnerStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<PartnerEntry> loadAll() {
        return jdbi.inTransaction(h -> load(h, null));
    }

    @Override
    public Optional<PartnerEntry> bySlug(String slug) {
        return jdbi.inTransaction(h -> load(h, slug)).stream().findFirst();
    }

    @Override
    public Optional<PartnerClient> client(String clientId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select client_id, partner_id, secret_hash, redirect_uris from partner_clients where client_id = :id")
                .bind("id", clientId)
                .map((rs, ctx) -> new PartnerClient(rs.getString(1), rs.getLong(2), rs.getString(3), strings(rs.getArray(4))))
                .findOne());
    }

    @Override
    public void setStatus(long partnerId, PartnerStatus status) {
        update("update partners set status = :v where id = :id", partnerId, status.name(), "partner");
    }

    @Override
    public void endAgreement(long agreementId, Instant at) {
        update("update agreements set valid_until = :v, version = version + 1 where id = :id", agreementId,
                Timestamp.from(at), "agreement");
    }

    @Override
    public void retirePurpose(long purposeId, Instant at) {
        update("update purposes set retired_at = :v where id = :id", purposeId, Timestamp.from(at), "purpose");
    }

    private void update(String sql, long id, Object value, String what) {
        int n = jdbi.inTransaction(h -> h.createUpdate(sql).bind("id", id).bind("v", value).execute());
        if (n == 0) {
            throw new StoreException("no " + what + " with id " + id);
        }
    }

    private static List<PartnerEntry> load(Handle h, String slug) {
        String where = slug == null ? "" : " where p.slug = :slug";
        Map<Long, Partner> partners = new LinkedHashMap<>();
        var q = h.createQuery("select id, slug, name, kind, status, registered_at from partners p" + where + " order by id");
        if (slug != null) {
            q.bind("slug", slug);
        }
        q.map((rs, ctx) -> new Partner(rs.getLong(1), rs.getString(2), rs.getString(3), PartnerKind.valueOf(rs.getString(4)),
                PartnerStatus.valueOf(rs.getString(5)), instant(rs, 6))).forEach(p -> partners.put(p.id(), p));
        if (partners.isEmpty()) {
            return List.of();
        }
        String agreementWhere = slug == null ? "" : " where a.partner_id in (select id from partners p" + where + ")";
        Map<Long, List<Purpose>> purposes = new LinkedHashMap<>();
        var pq = h.createQuery("select u.id, u.agreement_id, u.code, u.description, u.friends_data, u.retired_at,"
                + " coalesce((select array_agg(s.scope order by s.scope) from purpose_scopes s where s.purpose_id = u.id), '{}')"
                + " from purposes u join agreements a on a.id = u.agreement_id" + agreementWhere + " order by u.id");
        if (slug != null) {
            pq.bind("slug", slug);
        }
        pq.map((rs, ctx) -> new Purpose(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), scopes(rs.getArray(7)),
                rs.getBoolean(5), instant(rs, 6))).forEach(p -> purposes.computeIfAbsent(p.agreementId(), k -> new ArrayList<>()).add(p));
        Map<Long, List<Agreement>> agreements = new LinkedHashMap<>();
        var aq = h.createQuery("select a.id, a.partner_id, a.version, a.valid_from, a.valid_until, a.next_recertification,"
                + " a.consent_lifetime_seconds, a.daily_people_volume, a.recertify_every_days, a.recertification_suspended_at"
                + " from agreements a" + agreementWhere + " order by a.id");
        if (slug != null) {
            aq.bind("slug", slug);
        }
        aq.map((rs, ctx) -> new Agreement(rs.getLong(1), rs.getLong(2), rs.getInt(3), instant(rs, 4), instant(rs, 5),
                        rs.getObject(6, java.time.LocalDate.class), Duration.ofSeconds(rs.getLong(7)), rs.getLong(8),
                        purposes.getOrDefault(rs.getLong(1), List.of()), rs.getInt(9), instant(rs, 10)))
                .forEach(a -> agreements.computeIfAbsent(a.partnerId(), k -> new ArrayList<>()).add(a));
        List<PartnerEntry> entries = new ArrayList<>();
        for (Partner p : partners.values()) {
            entries.add(new PartnerEntry(p, agreements.getOrDefault(p.id(), List.of())));
        }
        return entries;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = new HashSet<>();
        for (String s : strings(array)) {
            scopes.add(Scope.parse(s));
        }
        return scopes;
    }
}
