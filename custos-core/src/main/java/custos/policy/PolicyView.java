package custos.policy;

import custos.consent.Consent;
import custos.partner.PartnerEntry;
import custos.people.PrivacySettings;
import custos.policy.internal.LongObjectMap;
import java.time.Instant;
import java.util.Arrays;

/**
 * The in-memory view the engine decides on: partners with their agreements and purposes, every person's consents,
 * their privacy settings versions, and the friend graph.
 *
 * <p>Design: each person's entry is an immutable array (consents, settings versions, sorted friend ids) replaced
 * whole on change, so a reader sees either the old or the new state, never a mix, without taking a lock. Writes
 * are serialised by this class; the maps underneath allow one writer and many readers.
 *
 * <p>Freshness rule (the caller's to keep): the view knows the highest policy change sequence number it has applied
 * ({@link #watermark()}); the server's follower applies the change feed in order and advances it. An instance must
 * not decide when it cannot vouch that its watermark is current; the server enforces that with a lease.
 */
public final class PolicyView {
    private static final Consent[] NO_CONSENTS = new Consent[0];
    private static final PrivacySettings[] NO_SETTINGS = new PrivacySettings[0];
    private static final long[] NO_FRIENDS = new long[0];

    private final LongObjectMap<PartnerEntry> partners = new LongObjectMap<>(256);
    private final LongObjectMap<Consent[]> consents;
    private final LongObjectMap<PrivacySettings[]> settings;
    private final LongObjectMap<long[]> friends;
    private volatile long watermark;

    public PolicyView(int expectedPeople) {
        consents = new LongObjectMap<>(expectedPeople);
        settings = new LongObjectMap<>(expectedPeople);
        friends = new LongObjectMap<>(expectedPeople);
    }

    // --- reads: lock-free -----------------------------------------------------------------------------------

    public PartnerEntry partner(long partnerId) {
        return partners.get(partnerId);
    }

    /** All consent records of a person (live or not), oldest first. */
    public Consent[] consentsOf(long personId) {
        Consent[] c = consents.get(personId);
        return c == null ? NO_CONSENTS : c;
    }

    /** The settings version in force at {@code at}, or null when none was stored (the defaults apply). */
    public PrivacySettings settingsAt(long personId, Instant at) {
        PrivacySettings[] versions = settings.get(personId);
        if (versions == null) {
            return null;
        }
        for (int i = versions.length - 1; i >= 0; i--) {
            if (!at.isBefore(versions[i].effectiveFrom())) {
                return versions[i];
            }
        }
        return null;
    }

    /** The person's friends, sorted ascending. Never modify the array. */
    public long[] friendsOf(long personId) {
        long[] f = friends.get(personId);
        return f == null ? NO_FRIENDS : f;
    }

    public boolean areFriends(long a, long b) {
        long[] fa = friendsOf(a);
        long[] fb = friendsOf(b);
        return fa.length <= fb.length ? Arrays.binarySearch(fa, b) >= 0 : Arrays.binarySearch(fb, a) >= 0;
    }

    public long watermark() {
        return watermark;
    }

    // --- writes: serialised ----------------------------------------------------------------------------------

    public synchronized void putPartner(PartnerEntry entry) {
        partners.put(entry.partner().id(), entry);
    }

    /** Adds or replaces (by id) one consent record of its person. */
    public synchronized void putConsent(Consent consent) {
        Consent[] old = consentsOf(consent.personId());
        for (int i = 0; i < old.length; i++) {
            if (old[i].id() == consent.id()) {
                Consent[] next = old.clone();
                next[i] = consent;
                consents.put(consent.personId(), next);
                return;
            }
        }
        Consent[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = consent;
        consents.put(consent.personId(), next);
    }

    /** Adds or replaces (by version) one settings version of its person; versions stay ordered by effective time. */
    public synchronized void putSettings(PrivacySettings version) {
        PrivacySettings[] old = settings.get(version.personId());
        if (old == null) {
            old = NO_SETTINGS;
        }
        PrivacySettings[] next = Arrays.stream(old).filter(s -> s.version() != version.version())
                .toArray(PrivacySettings[]::new);
        next = Arrays.copyOf(next, next.length + 1);
        next[next.length - 1] = version;
        Arrays.sort(next, (x, y) -> x.effectiveFrom().equals(y.effectiveFrom())
                ? Integer.compare(x.version(), y.version()) : x.effectiveFrom().compareTo(y.effectiveFrom()));
        settings.put(version.personId(), next);
    }

    /** Replaces a person's whole friend list (ids need not be sorted). */
    public synchronized void putFriends(long personId, long[] friendIds) {
        long[] sorted = friendIds.clone();
        Arrays.sort(sorted);
        friends.put(personId, sorted);
    }

    public synchronized void addFriendship(long a, long b) {
        friends.put(a, with(friendsOf(a), b));
        friends.put(b, with(friendsOf(b), a));
    }

    private static long[] with(long[] sorted, long id) {
        int at = Arrays.binarySearch(sorted, id);
        if (at >= 0) {
            return sorted;
        }
        int ins = -at - 1;
        long[] next = new long[sorted.length + 1];
        System.arraycopy(sorted, 0, next, 0, ins);
        next[ins] = id;
        System.arraycopy(sorted, ins, next, ins + 1, sorted.length - ins);
        return next;
    }

    /** Records that every change up to {@code seq} has been applied. Never moves backwards. */
    public synchronized void advanceTo(long seq) {
        if (seq > watermark) {
            watermark = seq;
        }
    }

    public int peopleWithConsents() {
        return consents.keyCount();
    }
}
