package custos.server.account;

import custos.audit.AccessEvent;
import custos.data.Scope;
import custos.server.audit.AccessHistory;
import custos.server.oauth.ScopeWords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns a page of history entries into the words a person reads: partner and friend names, the purpose as the
 * partner's agreement describes it, the scope and reasons in plain words, what was released. Three small lookups
 * per page, for that page's partners and friends only.
 */
final class HistoryRows {
    private final Jdbi jdbi;
    private final PersonNames names;

    HistoryRows(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.names = new PersonNames(jdbi);
    }

    List<HistoryView.Row> of(List<AccessHistory.Entry> entries, Map<Long, String> partnerNames) {
        List<Long> friends = entries.stream().mapToLong(HistoryRows::friendOf).filter(f -> f > 0).distinct().boxed().toList();
        long[] partners = entries.stream().mapToLong(AccessHistory.Entry::partnerId).distinct().toArray();
        Map<Long, String> friendNames = names.of(friends);
        Map<String, String> purposes = partners.length == 0 ? Map.of() : purposes(partners);
        return entries.stream().map(e -> row(e, partnerNames, friendNames, purposes)).toList();
    }

    private static HistoryView.Row row(AccessHistory.Entry e, Map<Long, String> partnerNames, Map<Long, String> friendNames,
                                       Map<String, String> purposes) {
        String partner = partnerNames.getOrDefault(e.partnerId(), "partner " + e.partnerId());
        boolean allowed = "ALLOW".equals(e.outcome());
        String receipt = "/account/history/" + e.index() + "/receipt";
        AccessEvent event = e.event();
        if (event != null) {
            String released = allowed
                    ? event.records() + (event.records() == 1 ? " record: " : " records: ") + fields(event.fields())
                    : "Nothing";
            // A partner acting for a friend (the friend's token, the friend's consent) asked for this person's data.
            long through = friendOf(e);
            String friend = through > 0 ? friendNames.getOrDefault(through, "a friend") : null;
            return new HistoryView.Row(e.index(), e.at(), partner, allowed, true,
                    purposes.getOrDefault(e.partnerId() + " " + event.purpose(), event.purpose()),
                    scopeWords(event.scope()), event.reasons().stream().map(ReasonWords::of).toList(), released, friend,
                    receipt);
        }
        AccessHistory.ThroughFriend through = e.throughFriend();
        if (through != null) {
            String friend = friendNames.getOrDefault(through.friendId(), "a friend");
            String scope = "Through " + friend + ": " + scopeWords(through.scope());
            String released = allowed && !through.fields().isEmpty() ? "Your " + fields(through.fields()) : "Nothing of yours";
            return new HistoryView.Row(e.index(), e.at(), partner, allowed, true,
                    purposes.getOrDefault(e.partnerId() + " " + through.purpose(), through.purpose()), scope, List.of(),
                    released, friend, receipt);
        }
        return new HistoryView.Row(e.index(), e.at(), partner, allowed, false, null, null, List.of(), null, null, receipt);
    }

    /** The friend whose consent the access came through, or 0 when it came through this person's own. */
    private static long friendOf(AccessHistory.Entry e) {
        if (e.throughFriend() != null) {
            return e.throughFriend().friendId();
        }
        AccessEvent event = e.event();
        return event != null && event.actor() != 0 && event.actor() != event.subject() ? event.actor() : 0;
    }

    private static String scopeWords(String scope) {
        try {
            return ScopeWords.of(Scope.parse(scope));
        } catch (IllegalArgumentException e) {
            return "An unknown kind of data (\"" + scope + "\")";
        }
    }

    private static String fields(List<String> fields) {
        return fields.isEmpty() ? "no fields" : String.join(", ", fields);
    }

    /** The descriptions of the page's partners' purposes, keyed by "partnerId code". */
    private Map<String, String> purposes(long[] partners) {
        Map<String, String> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        select a.partner_id, p.code, p.description from purposes p join agreements a on a.id = p.agreement_id
                        where a.partner_id = any(:ids) order by a.version""")
                .bind("ids", partners)
                .map((rs, ctx) -> Map.entry(rs.getLong("partner_id") + " " + rs.getString("code"), rs.getString("description")))
                .forEach(x -> out.put(x.getKey(), x.getValue())));
        return out;
    }
}
