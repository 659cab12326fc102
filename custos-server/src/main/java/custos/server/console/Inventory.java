package custos.server.console;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.partner.Purpose;
import custos.server.store.JdbiPartnerStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * The partner inventory: every partner with its kind, status, agreements, purposes, the scopes it may ask for now,
 * the people with a live consent, its last access and its volume per data category and month. Partners, agreements
 * and purposes are read fresh for every page (small tables); the figures that would otherwise read the big tables are
 * kept: live consents are counted in the background at most every {@link #COUNTS_EVERY} (an index-only scan of the
 * consents not withdrawn), and the volumes and each partner's last access are rolled up from the log by index ranges
 * into {@code partner_volume} and {@code partner_last_access} (each entry read once, never a scan of the log per page).
 */
public final class Inventory {
    static final Duration COUNTS_EVERY = Duration.ofSeconds(30);
    /** Entries rolled up per refresh, so a long backlog (a first start on a big log) is taken in steps. */
    static final int ROLLUP_STEP = 500_000;
    static final String[] CATEGORIES = {"none", "profile", "profile.contact", "friends", "messages", "contacts", "calendar"};

    /** One month's entries of one data category: allowed and denied. */
    public record Volume(LocalDate month, String category, long allowed, long denied) {}

    /** An agreement as the inventory shows it. */
    public record AgreementRow(long id, int version, Instant validFrom, Instant validUntil, boolean inForce,
                               LocalDate nextRecertification, List<PurposeRow> purposes) {}

    public record PurposeRow(long id, String code, String description, List<String> scopes, boolean friendsData,
                             Instant retiredAt) {}

    /** One partner's line. {@code scopes}: what its in-force agreements' live purposes allow now. */
    public record Row(long id, String slug, String name, String kind, String status, Instant registeredAt,
                      List<AgreementRow> agreements, List<String> purposes, List<String> scopes, long livePeople,
                      Instant lastAccess, List<Volume> volumes) {
        public long total() {
            return volumes.stream().mapToLong(v -> v.allowed() + v.denied()).sum();
        }
    }

    /** The background figures and when they were taken. */
    private record Counts(Map<Long, Long> livePeople, Map<Long, List<Volume>> volumes, Instant at) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final JdbiPartnerStore partners;
    private final LoadingCache<Boolean, Counts> counts;

    public Inventory(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.partners = new JdbiPartnerStore(jdbi);
        this.counts = Caffeine.newBuilder().refreshAfterWrite(COUNTS_EVERY).build(k -> count());
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Every partner, in id order. */
    public List<Row> rows() {
        Counts c = counts.get(true);
        Instant now = clock.instant();
        Map<Long, Instant> last = lastAccess();
        List<Row> rows = new ArrayList<>();
        for (PartnerEntry e : partners.loadAll()) {
            long id = e.partner().id();
            List<AgreementRow> agreements = new ArrayList<>();
            TreeSet<String> purposes = new TreeSet<>();
            TreeSet<String> scopes = new TreeSet<>();
            for (Agreement a : e.agreements()) {
                List<PurposeRow> ps = new ArrayList<>();
                for (Purpose p : a.purposes()) {
                    List<String> sc = p.scopes().stream().map(Object::toString).sorted().toList();
                    ps.add(new PurposeRow(p.id(), p.code(), p.description(), sc, p.friendsData(), p.retiredAt()));
                    purposes.add(p.code());
                    if (a.inForceAt(now) && !p.retiredAt(now) && e.partner().status() == custos.partner.PartnerStatus.ACTIVE) {
                        scopes.addAll(sc);
                    }
                }
                agreements.add(new AgreementRow(a.id(), a.version(), a.validFrom(), a.validUntil(), a.inForceAt(now),
                        a.nextRecertification(), ps));
            }
            rows.add(new Row(id, e.partner().slug(), e.partner().name(), e.partner().kind().name(), e.partner().status().name(),
                    e.partner().registeredAt(), agreements, List.copyOf(purposes), List.copyOf(scopes),
                    c.livePeople().getOrDefault(id, 0L), last.get(id), c.volumes().getOrDefault(id, List.of())));
        }
        return rows;
    }

    /** When the live-consent counts and volumes the rows carry were taken. */
    public Instant countedAt() {
        return counts.get(true).at();
    }

    /** Filters by a text (slug, name, purpose or scope), kind and status, then sorts by a column; unknown columns sort by slug. */
    public static List<Row> view(List<Row> rows, String text, String kind, String status, String sort, boolean descending) {
        String q = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Comparator<Row> order = switch (sort == null ? "" : sort) {
            case "name" -> Comparator.comparing(r -> r.name().toLowerCase(Locale.ROOT));
            case "kind" -> Comparator.comparing(Row::kind);
            case "status" -> Comparator.comparing(Row::status);
            case "registered" -> Comparator.comparing(Row::registeredAt);
            case "people" -> Comparator.comparingLong(Row::livePeople);
            case "last-access" -> Comparator.comparing(Row::lastAccess, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "volume" -> Comparator.comparingLong(Row::total);
            case "agreements" -> Comparator.comparingInt(r -> r.agreements().size());
            default -> Comparator.comparing(Row::slug);
        };
        return rows.stream()
                .filter(r -> q.isEmpty() || r.slug().contains(q) || r.name().toLowerCase(Locale.ROOT).contains(q)
                        || r.purposes().stream().anyMatch(p -> p.contains(q)) || r.scopes().stream().anyMatch(s -> s.contains(q)))
                .filter(r -> kind == null || kind.isBlank() || r.kind().equalsIgnoreCase(kind))
                .filter(r -> status == null || status.isBlank() || r.status().equalsIgnoreCase(status))
                .sorted(descending ? order.reversed().thenComparing(Row::slug) : order.thenComparing(Row::slug))
                .toList();
    }

    private Map<Long, Instant> lastAccess() {
        // Kept by the roll-up (V90): a probe of the log per partner walked the whole log for a partner without traffic.
        Map<Long, Instant> last = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select partner_id, last_at from partner_last_access")
                .map((rs, ctx) -> last.put(rs.getLong(1), rs.getTimestamp(2).toInstant())).list());
        return last;
    }

    private Counts count() {
        Instant now = clock.instant();
        // The whole backlog at once: only a first start on a big log has much of one, and it is counted once per
        // store (the roll-up's position is stored); afterwards each refresh takes the entries of the last 30 s.
        while (rollUp()) {
            // next step
        }
        Map<Long, Long> live = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        select partner_id, count(distinct person_id) from consents
                        where withdrawn_at is null and (valid_until is null or valid_until > :now) group by partner_id""")
                .bind("now", Timestamp.from(now)).map((rs, ctx) -> live.put(rs.getLong(1), rs.getLong(2))).list());
        Map<Long, List<Volume>> volumes = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select partner_id, month, category, allowed, denied from partner_volume order by partner_id, month, category")
                .map((rs, ctx) -> volumes.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Volume(
                        rs.getObject(2, LocalDate.class), category(rs.getShort(3)), rs.getLong(4), rs.getLong(5))))
                .list());
        return new Counts(live, volumes, now);
    }

    /**
     * Adds the log's entries after the last rolled-up index (one step) to the per-month volumes, under the roll-up's
     * row lock (instances take turns); true when a whole step was taken and more may follow.
     */
    boolean rollUp() {
        return jdbi.inTransaction(h -> {
            long from = h.createQuery("select last_idx from inventory_rollup for update").mapTo(Long.class).one();
            long upTo = h.createQuery("select coalesce(max(idx), -1) from access_events where idx > :f and idx <= :t")
                    .bind("f", from).bind("t", from + ROLLUP_STEP).mapTo(Long.class).one();
            if (upTo <= from) {
                return false;
            }
            h.createUpdate("""
                            insert into partner_volume (partner_id, month, category, allowed, denied)
                            select partner_id, (date_trunc('month', at at time zone 'UTC'))::date, coalesce(category, 0),
                                   count(*) filter (where outcome = 'ALLOW'), count(*) filter (where outcome = 'DENY')
                            from access_events where idx > :f and idx <= :t and entry_kind is null
                            group by 1, 2, 3
                            on conflict (partner_id, month, category) do update
                            set allowed = partner_volume.allowed + excluded.allowed, denied = partner_volume.denied + excluded.denied""")
                    .bind("f", from).bind("t", upTo).execute();
            h.createUpdate("""
                            insert into partner_last_access (partner_id, last_at)
                            select partner_id, max(at) from access_events
                            where idx > :f and idx <= :t and entry_kind is null and partner_id is not null group by partner_id
                            on conflict (partner_id) do update set last_at = greatest(partner_last_access.last_at, excluded.last_at)""")
                    .bind("f", from).bind("t", upTo).execute();
            h.createUpdate("update inventory_rollup set last_idx = :t").bind("t", upTo).execute();
            return upTo - from >= ROLLUP_STEP;
        });
    }

    /** Makes the next {@link #rows()} count afresh (after an operator action, so its page shows the change's effect). */
    public void refresh() {
        counts.invalidateAll();
    }

    static String category(short code) {
        return code >= 0 && code < CATEGORIES.length ? CATEGORIES[code] : "other";
    }

    /** Volumes summed per month (every category), in month order: the chart's bars. */
    public static TreeMap<LocalDate, long[]> perMonth(List<Volume> volumes) {
        TreeMap<LocalDate, long[]> months = new TreeMap<>();
        for (Volume v : volumes) {
            long[] m = months.computeIfAbsent(v.month(), k -> new long[2]);
            m[0] += v.allowed();
            m[1] += v.denied();
        }
        return months;
    }
}
