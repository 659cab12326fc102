package custos.server.account;

import custos.audit.AccessEvent;
import custos.server.audit.AccessHistory;
import custos.data.Scope;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What the partners page reads about one person, each in a fixed number of queries whatever the number of partners
 * (no query per row): the partners of their consents, their purposes, how often each partner reached the person's data
 * (an index-only count over the person's own log entries, V45), and the partners that reached them through a friend's
 * consent (their newest entries only, opened to learn the friend and the category).
 */
public final class PartnerAccess {
    /**
     * How many of the newest entries of each kind are opened to find the accesses that came through a friend. Opening
     * one costs tens of microseconds (AES-GCM, the commitment's SHA-256, decoding), and the page must answer within
     * 100 ms for a person with 10,000 entries; the page says when there were more than this.
     */
    static final int FRIEND_WINDOW = 250;

    /** A partner as the person sees it; {@code domain} is the host its OAuth answers go to, or null if it has none. */
    public record PartnerName(long id, String slug, String name, String status, String domain) {}

    /** One purpose of a partner's agreements, and whether it can still be consented to at the moment asked. */
    public record PurposeInfo(long partnerId, String code, String description, Set<Scope> scopes, boolean friendsData,
                              boolean inForce, Duration consentLifetime) {}

    /** How often a partner's requests about the person were allowed, and when last. */
    public record Reach(long last30Days, long total, Instant last) {
        static final Reach NONE = new Reach(0, 0, null);
    }

    /** Accesses by one partner, acting on one friend's consent, to one category of the person's data. */
    public record FriendReach(long partnerId, long friendId, String scope, long times, Instant last) {}

    /** The friend reaches found in the newest entries, and whether there were more entries than were opened. */
    public record FriendReaches(List<FriendReach> reaches, boolean windowFull) {}

    private final Jdbi jdbi;

    public PartnerAccess(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The partners with these ids, with the host of their first registered redirect URI as their domain. */
    public Map<Long, PartnerName> partners(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<Long, PartnerName> out = new HashMap<>();
            h.createQuery("""
                            select p.id, p.slug, p.name, p.status,
                                   (select c.redirect_uris[1] from partner_clients c where c.partner_id = p.id
                                    order by c.client_id limit 1) as uri
                            from partners p where p.id = any(:ids)""")
                    .bind("ids", ids.toArray(Long[]::new))
                    .map((rs, ctx) -> new PartnerName(rs.getLong("id"), rs.getString("slug"), rs.getString("name"),
                            rs.getString("status"), host(rs.getString("uri"))))
                    .forEach(p -> out.put(p.id(), p));
            return out;
        });
    }

    /** Every purpose of these partners' agreements, keyed by partner id and purpose code. */
    public Map<Long, Map<String, PurposeInfo>> purposes(Collection<Long> partnerIds, Instant now) {
        if (partnerIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<Long, Map<String, PurposeInfo>> out = new HashMap<>();
            h.createQuery("""
                            select a.partner_id, p.code, p.description, p.friends_data, a.consent_lifetime_seconds,
                                   (a.valid_from <= :now and (a.valid_until is null or a.valid_until > :now)
                                    and (p.retired_at is null or p.retired_at > :now)) as in_force,
                                   coalesce((select array_agg(s.scope order by s.scope) from purpose_scopes s
                                             where s.purpose_id = p.id), '{}') as scopes
                            from purposes p join agreements a on a.id = p.agreement_id
                            where a.partner_id = any(:ids)
                            order by a.valid_from""")
                    .bind("ids", partnerIds.toArray(Long[]::new)).bind("now", Timestamp.from(now))
                    .map((rs, ctx) -> new PurposeInfo(rs.getLong(1), rs.getString(2), rs.getString(3),
                            scopes((String[]) rs.getArray("scopes").getArray()), rs.getBoolean(4), rs.getBoolean("in_force"),
                            Duration.ofSeconds(rs.getLong(5))))
                    // A later agreement's purpose of the same code wins: it is the one a renewal would be made under.
                    .forEach(p -> out.computeIfAbsent(p.partnerId(), k -> new HashMap<>()).merge(p.code(), p,
                            (older, newer) -> older.inForce() && !newer.inForce() ? older : newer));
            return out;
        });
    }

    /**
     * Per partner, the allowed accesses to the person's data (entries where they are the subject) since {@code since}
     * and in all, and the time of the last one: one index-only scan of the person's entries.
     */
    public Map<Long, Reach> reach(long personId, Instant since) {
        return jdbi.withHandle(h -> {
            Map<Long, Reach> out = new HashMap<>();
            h.createQuery("""
                            select partner_id,
                                   count(*) filter (where at >= :since) as recent,
                                   count(*) as total,
                                   max(at) as last
                            from access_events
                            where subject_person = :p and outcome = 'ALLOW'
                            group by partner_id""")
                    .bind("p", personId).bind("since", Timestamp.from(since))
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), new Reach(rs.getLong(2), rs.getLong(3),
                            rs.getTimestamp(4).toInstant())))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    /**
     * The accesses that reached the person through a friend's consent, from the newest {@link #FRIEND_WINDOW} entries
     * of each kind: entries about the person made for someone else (a friend's partner reading their profile; only
     * partners with a purpose that may reach friends' data can), opened with the person's key, and entries about a friend that carried the person along (their name in a friend list,
     * a message they wrote), opened with that friend's key to tell which category it was.
     */
    public FriendReaches throughFriends(long personId) {
        return jdbi.withHandle(h -> {
            byte[] key = AccessHistory.personKey(h, personId);
            Map<List<Object>, FriendReach> groups = new LinkedHashMap<>();
            int direct = 0;
            if (key != null) {
                List<AccessEvent> own = h.createQuery("""
                                select idx, leaf_data, salt, nonce, ciphertext from access_events
                                where subject_person = :p and outcome = 'ALLOW'
                                  and partner_id in (select a.partner_id from agreements a
                                                     join purposes u on u.agreement_id = a.id where u.friends_data)
                                order by idx desc limit :n""")
                        .bind("p", personId).bind("n", FRIEND_WINDOW)
                        .map((rs, ctx) -> AccessHistory.open(rs, key)).list();
                direct = own.size();
                for (AccessEvent e : own) {
                    if (e != null && e.actor() != personId && e.actor() != 0) {
                        add(groups, e.partnerId(), e.actor(), e.scope(), e.at());
                    }
                }
            }
            List<AccessEvent> carried = h.createQuery("""
                            select e.idx, e.subject_person, e.leaf_data, e.salt, e.nonce, e.ciphertext, k.wrapped_key
                            from access_event_co_subjects c
                            join access_events e on e.idx = c.idx
                            left join person_keys k on k.person_id = e.subject_person
                            where c.person_id = :p order by c.idx desc limit :n""")
                    .bind("p", personId).bind("n", FRIEND_WINDOW)
                    .map((rs, ctx) -> AccessHistory.open(rs, AccessHistory.subjectKey(rs, ctx))).list();
            for (AccessEvent e : carried) {
                if (e != null && e.outcome() == custos.policy.Outcome.ALLOW) {
                    add(groups, e.partnerId(), e.subject(), e.scope(), e.at());
                }
            }
            boolean full = direct == FRIEND_WINDOW || carried.size() == FRIEND_WINDOW;
            List<FriendReach> list = new ArrayList<>(groups.values());
            list.sort((a, b) -> b.last().compareTo(a.last()));
            return new FriendReaches(list, full);
        });
    }

    /**
     * Renews a consent: valid-until moves to {@code until}, the scopes and friends' data shrink to what its purposes
     * still allow (never more than it held), the version grows and the history gains RENEWED. Refused (false) when
     * the consent is withdrawn or its version is no longer {@code version}.
     */
    public boolean renew(long consentId, int version, Set<Scope> keep, boolean friendsData, Instant until, Instant at) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("""
                            update consents set valid_until = :until, scopes = :scopes, friends_data = friends_data and :friends,
                                   version = version + 1
                            where id = :id and version = :version and withdrawn_at is null and scopes @> cast(:scopes as text[])""")
                    .bind("id", consentId).bind("version", version).bind("until", Timestamp.from(until))
                    .bind("scopes", keep.stream().map(Scope::toString).sorted().toArray(String[]::new))
                    .bind("friends", friendsData).execute();
            if (n == 1) {
                addRenewed(h, consentId, at);
            }
            return n == 1;
        });
    }

    private static void addRenewed(Handle h, long consentId, Instant at) {
        h.createUpdate("insert into consent_states (consent_id, seq, state, at) select :id, coalesce(max(seq), 0) + 1,"
                        + " 'RENEWED', :at from consent_states where consent_id = :id")
                .bind("id", consentId).bind("at", Timestamp.from(at)).execute();
    }

    private static void add(Map<List<Object>, FriendReach> groups, long partner, long friend, String scope, Instant at) {
        groups.merge(List.of(partner, friend, scope), new FriendReach(partner, friend, scope, 1, at),
                (a, b) -> new FriendReach(partner, friend, scope, a.times() + 1, a.last().isAfter(b.last()) ? a.last() : b.last()));
    }

    private static Set<Scope> scopes(String[] codes) {
        Set<Scope> out = new java.util.HashSet<>();
        for (String c : codes) {
            out.add(Scope.parse(c));
        }
        return out;
    }

    private static String host(String uri) {
        if (uri == null) {
            return null;
        }
        try {
            return URI.create(uri).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
