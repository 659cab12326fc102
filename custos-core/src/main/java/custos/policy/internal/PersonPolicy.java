package custos.policy.internal;

import custos.consent.Consent;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.data.Scope;
import java.time.Instant;
import java.util.Arrays;

/**
 * Everything the engine reads about one person, immutable and replaced whole on change: the consent records and
 * settings versions as given (for the view's public reads), and the same facts with the sorted friend ids packed
 * into one {@code long[]}, the person's table. The engine reads only tables, reached straight from the
 * {@link PersonTable} slot: a decision on a world of a million people is bounded by cache misses, and one array
 * read from its first line on, with no object in front of it, is the fewest a person can cost.
 *
 * <p>A table is a header, the consents, the settings versions, then the friends. The packed form is exact, not a
 * summary: instants are kept as (epoch second, nano) pairs and compared the way {@link Instant#isBefore} does; a
 * null end instant is a second beyond any {@code Instant}; a consent's purposes are bits of {@link PurposeCodes},
 * with the record's own set consulted only for codes beyond the bits ({@link #PURPOSE_BITS}).
 */
public final class PersonPolicy {

    // Header: where the consents end and the settings end (the friends follow them), then the newest settings
    // version again (nearly every decision is at or after it, and then reads no further line for the settings):
    // its effective-from second (NEVER when there is none), nano and word.
    private static final int ENDS = 0;
    private static final int NEWEST_SECOND = 1;
    private static final int NEWEST_NANO = 2;
    private static final int NEWEST_WORD = 3;
    private static final int HEADER = 4;

    // One consent: partner, purpose bits, scope bits and the friends-data flag, given-at second, the given-at and
    // valid-until nanos, valid-until second, withdrawn-at second, version and withdrawn-at nano, id.
    private static final int STRIDE = 9;
    private static final int PARTNER = 0;
    private static final int PURPOSES = 1;
    private static final int SCOPES = 2;
    private static final int GIVEN_SECOND = 3;
    private static final int NANOS = 4;
    private static final int UNTIL_SECOND = 5;
    private static final int WITHDRAWN_SECOND = 6;
    private static final int VERSION_AND_WITHDRAWN_NANO = 7;
    private static final int ID = 8;
    private static final long FRIENDS_DATA = 1L << 62;
    private static final long PURPOSE_OVERFLOW = 1L << 63;
    /** Purpose codes below this are bits of a packed consent; a code at or above it needs the consent records. */
    public static final int PURPOSE_BITS = 63;
    private static final long NEVER = Long.MAX_VALUE;
    private static final int OPERATIONS = Operation.values().length;

    // One settings version: effective-from second, effective-from nano, and a word of version and category bits.
    private static final int SETTINGS_STRIDE = 3;
    /** The settings word when no version is in force: version 0 and the defaults for every category. */
    public static final long DEFAULT_SETTINGS = settingsWord(0, null);

    /** A person the view knows nothing about: no consents, the default settings, no friends. */
    public static final PersonPolicy NONE = empty(Long.MIN_VALUE);

    private final long id;
    private final Consent[] consents;
    private final PrivacySettings[] settings;
    private final long[] table;
    /** The policy sequence of the newest change to this person's inputs applied, or -1 (an auditor's citation). */
    private final long inputSeq;

    private PersonPolicy(long id, Consent[] consents, long[] consentPart, PrivacySettings[] settings,
                         long[] settingsPart, long[] friends, long inputSeq) {
        this.id = id;
        this.inputSeq = inputSeq;
        this.consents = consents;
        this.settings = settings;
        int consentEnd = HEADER + consentPart.length;
        int settingsEnd = consentEnd + settingsPart.length;
        long[] t = new long[settingsEnd + friends.length];
        t[ENDS] = consentEnd | (long) settingsEnd << 32;
        int last = settingsPart.length - SETTINGS_STRIDE;
        t[NEWEST_SECOND] = last < 0 ? NEVER : settingsPart[last];
        t[NEWEST_NANO] = last < 0 ? 0 : settingsPart[last + 1];
        t[NEWEST_WORD] = last < 0 ? DEFAULT_SETTINGS : settingsPart[last + 2];
        System.arraycopy(consentPart, 0, t, HEADER, consentPart.length);
        System.arraycopy(settingsPart, 0, t, consentEnd, settingsPart.length);
        System.arraycopy(friends, 0, t, settingsEnd, friends.length);
        this.table = t;
    }

    /** The person {@code id} with nothing stored yet. */
    public static PersonPolicy empty(long id) {
        return new PersonPolicy(id, new Consent[0], new long[0], new PrivacySettings[0], new long[0], new long[0], -1);
    }

    public long id() {
        return id;
    }

    /** The policy sequence of the newest change to this person's inputs the view applied; -1 for none. */
    public long inputSeq() {
        return inputSeq;
    }

    /** This person, the change at {@code seq} noted as applied (never lowered). */
    public PersonPolicy withInputSeq(long seq) {
        return seq <= inputSeq ? this : new PersonPolicy(id, consents, consentPart(), settings, settingsPart(), friends(), seq);
    }

    /** The packed table the engine reads. Never modify it. */
    public long[] table() {
        return table;
    }

    // --- replacing one part -----------------------------------------------------------------------------------

    /** This person with {@code records} as consents; registers their purposes in {@code codes} first. */
    public PersonPolicy withConsents(Consent[] records, PurposeCodes codes) {
        long[] part = new long[records.length * STRIDE];
        for (int i = 0; i < records.length; i++) {
            pack(records[i], codes, part, i * STRIDE);
        }
        return new PersonPolicy(id, records, part, settings, settingsPart(), friends(), inputSeq);
    }

    /** This person with {@code versions} (ordered by effective time, then version) as settings. */
    public PersonPolicy withSettings(PrivacySettings[] versions) {
        long[] part = new long[versions.length * SETTINGS_STRIDE];
        for (int i = 0; i < versions.length; i++) {
            int o = i * SETTINGS_STRIDE;
            part[o] = versions[i].effectiveFrom().getEpochSecond();
            part[o + 1] = versions[i].effectiveFrom().getNano();
            part[o + 2] = settingsWord(versions[i].version(), versions[i]);
        }
        return new PersonPolicy(id, consents, consentPart(), versions, part, friends(), inputSeq);
    }

    /** This person with {@code sortedFriends} (ascending) as friends. */
    public PersonPolicy withFriends(long[] sortedFriends) {
        return new PersonPolicy(id, consents, consentPart(), settings, settingsPart(), sortedFriends, inputSeq);
    }

    private long[] consentPart() {
        return Arrays.copyOfRange(table, HEADER, consentEnd(table));
    }

    private long[] settingsPart() {
        return Arrays.copyOfRange(table, consentEnd(table), settingsEnd(table));
    }

    private static void pack(Consent c, PurposeCodes codes, long[] t, int o) {
        long purposes = 0;
        for (String p : c.purposes()) {
            int code = codes.register(p);
            purposes |= code < PURPOSE_BITS ? 1L << code : PURPOSE_OVERFLOW;
        }
        long scopes = c.friendsData() ? FRIENDS_DATA : 0;
        for (Scope s : c.scopes()) {
            scopes |= scopeBit(s);
        }
        t[o + PARTNER] = c.partnerId();
        t[o + PURPOSES] = purposes;
        t[o + SCOPES] = scopes;
        t[o + GIVEN_SECOND] = c.givenAt().getEpochSecond();
        t[o + NANOS] = c.givenAt().getNano() | (long) nano(c.validUntil()) << 32;
        t[o + UNTIL_SECOND] = second(c.validUntil());
        t[o + WITHDRAWN_SECOND] = second(c.withdrawnAt());
        t[o + VERSION_AND_WITHDRAWN_NANO] = (long) c.version() << 32 | nano(c.withdrawnAt());
        t[o + ID] = c.id();
    }

    private static long second(Instant at) {
        return at == null ? NEVER : at.getEpochSecond();
    }

    private static int nano(Instant at) {
        return at == null ? 0 : at.getNano();
    }

    /** The bit of {@code scope} in a consent's scope bits; 18 of them, below the flag bits. */
    public static long scopeBit(Scope scope) {
        return 1L << (scope.category().ordinal() * OPERATIONS + scope.operation().ordinal());
    }

    private static long settingsWord(int version, PrivacySettings s) {
        long bits = 0;
        for (DataCategory category : DataCategory.values()) {
            CategorySetting c = s == null ? PrivacySettings.DEFAULT : s.of(category);
            bits |= (c.partnersMayReach() ? 1L : 0) << 2 * category.ordinal();
            bits |= (c.permitsFriendsPartners() ? 1L : 0) << 2 * category.ordinal() + 1;
        }
        return (long) version << 32 | bits;
    }

    // --- reads of the records ---------------------------------------------------------------------------------

    public Consent[] consents() {
        return consents;
    }

    public PrivacySettings[] settings() {
        return settings;
    }

    /** The sorted friend ids, copied out of the table. */
    public long[] friends() {
        return Arrays.copyOfRange(table, settingsEnd(table), table.length);
    }

    /** The index of the settings version in force at the instant (the last one effective by then), or -1. */
    public int settingsIndexAt(long second, int nano) {
        int o = settingsOffsetAt(table, second, nano);
        return o < 0 ? -1 : (o - consentEnd(table)) / SETTINGS_STRIDE;
    }

    /** Where in the table the settings version in force at the instant starts, or -1 when none is. */
    private static int settingsOffsetAt(long[] t, long second, int nano) {
        int start = consentEnd(t);
        for (int o = settingsEnd(t) - SETTINGS_STRIDE; o >= start; o -= SETTINGS_STRIDE) {
            if (!before(second, nano, t[o], (int) t[o + 1])) {
                return o;
            }
        }
        return -1;
    }

    // --- reads of a table: what the engine calls -------------------------------------------------------------

    private static int consentEnd(long[] t) {
        return (int) t[ENDS];
    }

    private static int settingsEnd(long[] t) {
        return (int) (t[ENDS] >>> 32);
    }

    /** Where the friends start in a table; they run to its end. */
    public static int friendsStart(long[] t) {
        return settingsEnd(t);
    }

    /** Whether {@code a} (the table of {@code aId}) and {@code b} (of {@code bId}) are friends, per the shorter list. */
    public static boolean areFriends(long[] a, long aId, long[] b, long bId) {
        int aStart = settingsEnd(a);
        int bStart = settingsEnd(b);
        return a.length - aStart <= b.length - bStart
                ? Arrays.binarySearch(a, aStart, a.length, bId) >= 0
                : Arrays.binarySearch(b, bStart, b.length, aId) >= 0;
    }

    /**
     * The consent to decide on, as an index, or -1: the first one for this partner naming the purpose that is live
     * at the instant, else the latest given of them (the first on a tie). {@code records} are the consents the
     * table was packed from; they are read only for a purpose code of {@link #PURPOSE_BITS} or more.
     */
    public static int consentFor(long[] t, Consent[] records, long partnerId, int purposeCode, String purpose,
                                 long second, int nano) {
        int end = consentEnd(t);
        int fallback = -1;
        int fallbackAt = 0;
        for (int i = 0, o = HEADER; o < end; i++, o += STRIDE) {
            if (t[o + PARTNER] != partnerId || !namesPurpose(t, o, records, i, purposeCode, purpose)) {
                continue;
            }
            if (liveAt(t, o, second, nano)) {
                return i;
            }
            if (fallback < 0 || before(t[fallbackAt + GIVEN_SECOND], givenNano(t, fallbackAt),
                    t[o + GIVEN_SECOND], givenNano(t, o))) {
                fallback = i;
                fallbackAt = o;
            }
        }
        return fallback;
    }

    private static boolean namesPurpose(long[] t, int o, Consent[] records, int i, int purposeCode, String purpose) {
        long bits = t[o + PURPOSES];
        if (purposeCode >= 0 && purposeCode < PURPOSE_BITS) {
            return (bits & 1L << purposeCode) != 0;
        }
        // Only a code past the bits can be named without a bit; an unknown purpose is named by no consent.
        return purposeCode >= 0 && (bits & PURPOSE_OVERFLOW) != 0 && records[i].purposes().contains(purpose);
    }

    private static boolean liveAt(long[] t, int o, long second, int nano) {
        return !before(second, nano, t[o + GIVEN_SECOND], givenNano(t, o))
                && !withdrawnAt(t, o, second, nano) && !expiredAt(t, o, second, nano);
    }

    private static int givenNano(long[] t, int o) {
        return (int) t[o + NANOS];
    }

    private static boolean withdrawnAt(long[] t, int o, long second, int nano) {
        return !before(second, nano, t[o + WITHDRAWN_SECOND], (int) t[o + VERSION_AND_WITHDRAWN_NANO]);
    }

    private static boolean expiredAt(long[] t, int o, long second, int nano) {
        return !before(second, nano, t[o + UNTIL_SECOND], (int) (t[o + NANOS] >>> 32));
    }

    private static int at(int consent) {
        return HEADER + consent * STRIDE;
    }

    /** Consent {@code i} was withdrawn at or before the instant. */
    public static boolean consentWithdrawnBy(long[] t, int i, long second, int nano) {
        return withdrawnAt(t, at(i), second, nano);
    }

    /** Consent {@code i} ran out at or before the instant. */
    public static boolean consentExpiredBy(long[] t, int i, long second, int nano) {
        return expiredAt(t, at(i), second, nano);
    }

    /** The instant is before consent {@code i} was given. */
    public static boolean consentNotYetGiven(long[] t, int i, long second, int nano) {
        int o = at(i);
        return before(second, nano, t[o + GIVEN_SECOND], givenNano(t, o));
    }

    public static boolean consentNamesScope(long[] t, int i, long scopeBit) {
        return (t[at(i) + SCOPES] & scopeBit) != 0;
    }

    public static boolean consentFriendsData(long[] t, int i) {
        return (t[at(i) + SCOPES] & FRIENDS_DATA) != 0;
    }

    public static long consentId(long[] t, int i) {
        return t[at(i) + ID];
    }

    public static int consentVersion(long[] t, int i) {
        return (int) (t[at(i) + VERSION_AND_WITHDRAWN_NANO] >>> 32);
    }

    /** The version and category bits in force at the instant; {@link #DEFAULT_SETTINGS} when none is. */
    public static long settingsWordAt(long[] t, long second, int nano) {
        if (!before(second, nano, t[NEWEST_SECOND], (int) t[NEWEST_NANO])) {
            // Also right with no version stored: no instant reaches NEVER, so this is never taken then.
            return t[NEWEST_WORD];
        }
        int o = settingsOffsetAt(t, second, nano);
        return o < 0 ? DEFAULT_SETTINGS : t[o + 2];
    }

    public static int settingsVersion(long settingsWord) {
        return (int) (settingsWord >>> 32);
    }

    /** {@link CategorySetting#partnersMayReach()} of {@code category} in a settings word. */
    public static boolean partnersMayReach(long settingsWord, DataCategory category) {
        return (settingsWord >>> 2 * category.ordinal() & 1) != 0;
    }

    /** {@link CategorySetting#permitsFriendsPartners()} of {@code category} in a settings word. */
    public static boolean permitsFriendsPartners(long settingsWord, DataCategory category) {
        return (settingsWord >>> 2 * category.ordinal() + 1 & 1) != 0;
    }

    /** {@code (s1, n1)} is strictly before {@code (s2, n2)}: {@link Instant#isBefore} on the pairs. */
    private static boolean before(long s1, int n1, long s2, int n2) {
        return s1 < s2 || (s1 == s2 && n1 < n2);
    }
}
