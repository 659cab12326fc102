package custos.server.replay;

import java.util.Map;
import java.util.TreeMap;

/** What one partner did in a replay and what it got, next to what the old whitelist would have given it. */
public final class PartnerTally {
    final String slug;
    long requests;
    long allowed;
    long refusedAtAuthorize;
    final Map<String, Long> deniedBy = new TreeMap<>();
    final Map<String, Long> refusedBy = new TreeMap<>();
    long records;
    long fields;
    long whitelistRecords;
    long whitelistFields;
    long withheldMessages;
    long withheldParticipants;

    PartnerTally(String slug) {
        this.slug = slug;
    }

    void denied(Iterable<String> reasons) {
        for (String r : reasons) {
            deniedBy.merge(r, 1L, Long::sum);
        }
    }

    public String slug() {
        return slug;
    }

    public long requests() {
        return requests;
    }

    public long allowed() {
        return allowed;
    }

    public long denied() {
        return requests - allowed;
    }

    public Map<String, Long> deniedBy() {
        return Map.copyOf(deniedBy);
    }

    /** Why authorization ended without a token: OAuth error codes, or {@code person_denied}. */
    public Map<String, Long> refusedBy() {
        return Map.copyOf(refusedBy);
    }

    public long refusedAtAuthorize() {
        return refusedAtAuthorize;
    }

    public long records() {
        return records;
    }

    public long fields() {
        return fields;
    }

    public long whitelistRecords() {
        return whitelistRecords;
    }

    /** Messages written by other people that their own settings or the grant kept out of the pages read. */
    public long withheldMessages() {
        return withheldMessages;
    }

    /** Thread participants (ids, and with them the subject) kept out of the thread lists read, on the same rule. */
    public long withheldParticipants() {
        return withheldParticipants;
    }

    public long whitelistFields() {
        return whitelistFields;
    }
}
