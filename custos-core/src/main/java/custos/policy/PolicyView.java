package custos.policy;

import custos.consent.Consent;
import custos.partner.PartnerEntry;
import custos.people.PrivacySettings;
import custos.policy.internal.LongObjectMap;
import custos.policy.internal.PartnerPolicy;
import custos.policy.internal.PersonPolicy;
import custos.policy.internal.PersonTable;
import custos.policy.internal.PurposeCodes;
import java.time.Instant;
import java.util.Arrays;

/**
 * The in-memory view the engine decides on: partners with their agreements and purposes, every person's consents,
 * their privacy settings versions, and the friend graph.
 *
 * <p>Design: each person's entry is one immutable object (consents, settings versions, sorted friend ids, and the
 * same packed into primitive arrays for the engine) replaced whole on change, so a reader sees either the old or the new state, never a mix, without taking a lock. Writes
 * are serialised by this class; the maps underneath allow one writer and many readers.
 *
 * <p>Freshness rule (the caller's to keep): the view knows the highest policy change sequence number it has applied
 * ({@link #watermark()}); the server's follower applies the change feed in order and advances it. An instance must
 * not decide when it cannot vouch that its watermark is current; the server enforces that with a lease.
 */
public final class PolicyView {

    private static final long[] NONE_TABLE = PersonPolicy.NONE.table();

    private final LongObjectMap<PartnerPolicy> partners = new LongObjectMap<>(256);
    // One entry per person with consents, settings and friends together: a decision finds all three in one lookup.
    private final PersonTable people;
    private final PurposeCodes purposeCodes = new PurposeCodes();
    private volatile long watermark;
    // Citations of committed inputs (issue 15): the sequence of the newest change applied per partner, and the one a
    // person without changes is cited at (the seeding of the world, whose snapshot covers everyone).
    private final java.util.concurrent.ConcurrentHashMap<Long, Long> partnerInputs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long inputBase = -1;

    public PolicyView(int expectedPeople) {
        people = new PersonTable(expectedPeople);
    }

    // --- reads: lock-free -----------------------------------------------------------------------------------

    public PartnerEntry partner(long partnerId) {
        PartnerPolicy p = partners.get(partnerId);
        return p == null ? null : p.entry();
    }

    /** The packed form of a partner entry, or null. */
    PartnerPolicy partnerPolicy(long partnerId) {
        return partners.get(partnerId);
    }

    /** All consent records of a person (live or not), oldest first. */
    public Consent[] consentsOf(long personId) {
        return person(personId).consents();
    }

    /** The settings version in force at {@code at}, or null when none was stored (the defaults apply). */
    public PrivacySettings settingsAt(long personId, Instant at) {
        PersonPolicy p = person(personId);
        int i = p.settingsIndexAt(at.getEpochSecond(), at.getNano());
        return i < 0 ? null : p.settings()[i];
    }

    /** Every settings version of a person, ordered by effective time, in an array of the caller's own. */
    public PrivacySettings[] settingsOf(long personId) {
        return person(personId).settings().clone();
    }

    /** The person's friends, sorted ascending, in an array of the caller's own. */
    public long[] friendsOf(long personId) {
        return person(personId).friends();
    }

    public boolean areFriends(long a, long b) {
        return PersonPolicy.areFriends(table(a), a, table(b), b);
    }

    public long watermark() {
        return watermark;
    }

    /**
     * The policy sequence of the newest change to the person's inputs (consents, settings) this view applied, or of
     * the world's seeding when none was since; -1 when the view knows of neither. An access entry cites it.
     */
    public long personInputSeq(long personId) {
        return Math.max(inputBase, person(personId).inputSeq());
    }

    /** As {@link #personInputSeq} for a partner's entry (its agreements, purposes, clients and status). */
    public long partnerInputSeq(long partnerId) {
        return Math.max(inputBase, partnerInputs.getOrDefault(partnerId, -1L));
    }

    /** The packed policy of a person; {@link PersonPolicy#NONE} for one the view has nothing on. */
    PersonPolicy person(long personId) {
        PersonPolicy p = people.get(personId);
        return p == null ? PersonPolicy.NONE : p;
    }

    /** The packed table of a person (see {@link PersonPolicy}); {@link PersonPolicy#NONE}'s for one the view has nothing on. */
    long[] table(long personId) {
        long[] t = people.table(personId);
        return t == null ? NONE_TABLE : t;
    }

    /** The person to replace a part of: the stored one, or a new empty one with this id. */
    private PersonPolicy stored(long personId) {
        PersonPolicy p = people.get(personId);
        return p == null ? PersonPolicy.empty(personId) : p;
    }

    /**
     * The code of a purpose in packed consents and agreements. Call it after reading the person and the partner:
     * their entries are published after their purposes were registered, so a purpose seen has its code seen too.
     */
    int purposeCode(String purpose) {
        return purposeCodes.codeOf(purpose);
    }

    // --- writes: serialised ----------------------------------------------------------------------------------

    public synchronized void putPartner(PartnerEntry entry) {
        partners.put(entry.partner().id(), new PartnerPolicy(entry, purposeCodes));
    }

    /** Adds or replaces (by id) one consent record of its person. */
    public synchronized void putConsent(Consent consent) {
        PersonPolicy person = stored(consent.personId());
        Consent[] old = person.consents();
        for (int i = 0; i < old.length; i++) {
            if (old[i].id() == consent.id()) {
                Consent[] next = old.clone();
                next[i] = consent;
                people.put(person.withConsents(next, purposeCodes));
                return;
            }
        }
        Consent[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = consent;
        people.put(person.withConsents(next, purposeCodes));
    }

    /** Adds or replaces (by version) one settings version of its person; versions stay ordered by effective time. */
    public synchronized void putSettings(PrivacySettings version) {
        PersonPolicy person = stored(version.personId());
        PrivacySettings[] old = person.settings();
        PrivacySettings[] next = Arrays.stream(old).filter(s -> s.version() != version.version())
                .toArray(PrivacySettings[]::new);
        next = Arrays.copyOf(next, next.length + 1);
        next[next.length - 1] = version;
        Arrays.sort(next, (x, y) -> x.effectiveFrom().equals(y.effectiveFrom())
                ? Integer.compare(x.version(), y.version()) : x.effectiveFrom().compareTo(y.effectiveFrom()));
        people.put(person.withSettings(next));
    }

    /** Replaces a person's whole friend list (ids need not be sorted). */
    public synchronized void putFriends(long personId, long[] friendIds) {
        long[] sorted = friendIds.clone();
        Arrays.sort(sorted);
        people.put(stored(personId).withFriends(sorted));
    }

    public synchronized void addFriendship(long a, long b) {
        people.put(stored(a).withFriends(with(friendsOf(a), b)));
        people.put(stored(b).withFriends(with(friendsOf(b), a)));
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

    /**
     * Notes that the change at {@code seq} to a person's inputs is being applied. Call it before applying the change:
     * an entry may then cite a change whose state it did not yet read (the auditor re-decides on newer inputs, which
     * is the truth about a change whose call had not returned), never the other way round.
     */
    public synchronized void personInputChanged(long personId, long seq) {
        PersonPolicy p = stored(personId);
        PersonPolicy next = p.withInputSeq(seq);
        if (next != p) {
            people.put(next);
        }
    }

    /** As {@link #personInputChanged} for a partner. */
    public synchronized void partnerInputChanged(long partnerId, long seq) {
        partnerInputs.merge(partnerId, seq, Math::max);
    }

    /** The sequence of the world's seeding: the snapshot taken of it covers every person and partner not changed since. */
    public synchronized void inputBase(long seq) {
        inputBase = Math.max(inputBase, seq);
    }

    /** Records that every change up to {@code seq} has been applied. Never moves backwards. */
    public synchronized void advanceTo(long seq) {
        if (seq > watermark) {
            watermark = seq;
        }
    }

}
