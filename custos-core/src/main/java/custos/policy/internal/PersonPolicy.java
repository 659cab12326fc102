package custos.policy.internal;

import custos.consent.Consent;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.policy.DataCategory;
import custos.policy.Operation;
import custos.policy.Scope;
import java.time.Instant;
import java.util.Arrays;

/**
 * Everything the engine reads about one person, immutable and replaced whole on change: the consent records and
 * settings versions as given (for the view's public reads) plus the same facts packed into primitive arrays, and
 * the sorted friend ids. A decision touches one such object per person instead of a tree of records, sets and
 * instants, which is what bounded its speed (each of those was a cache miss on a world of a million people).
 *
 * <p>The packed form is exact, not a summary: instants are kept as (epoch second, nano) pairs and compared the way
 * {@link Instant#isBefore} does; a null end instant is a second beyond any {@code Instant}; a consent's purposes are
 * bits of {@link PurposeCodes}, with the record's own set consulted only for codes beyond the bits.
 */
public final class PersonPolicy {

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
    private static final int PURPOSE_BITS = 63;
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
    private final long[] friends;
    // The friend count again, here: deciding which list to search needs both counts, and reading them from the
    // arrays would cost a cache miss on the list not searched.
    private final int friendCount;
    // The packed consents, then the packed settings versions, in one array allocated right after this object, so
    // that a person's hot data sits in adjacent cache lines of one page instead of three places in the heap.
    private final long[] table;
    private final int consentEnd;
    // The newest settings version again, in the object itself: nearly every decision is at or after it, and then
    // needs no further cache line for the settings. NEVER as its second when there is no version.
    private final long newestSecond;
    private final int newestNano;
    private final long newestWord;

    private PersonPolicy(long id, Consent[] consents, long[] consentPart, PrivacySettings[] settings,
                         long[] settingsPart, long[] friends) {
        this.id = id;
        this.consents = consents;
        this.settings = settings;
        this.friends = friends;
        this.friendCount = friends.length;
        this.table = Arrays.copyOf(consentPart, consentPart.length + settingsPart.length);
        System.arraycopy(settingsPart, 0, table, consentPart.length, settingsPart.length);
        this.consentEnd = consentPart.length;
        int last = settingsPart.length - SETTINGS_STRIDE;
        this.newestSecond = last < 0 ? NEVER : settingsPart[last];
        this.newestNano = last < 0 ? 0 : (int) settingsPart[last + 1];
        this.newestWord = last < 0 ? DEFAULT_SETTINGS : settingsPart[last + 2];
    }

    /** The person {@code id} with nothing stored yet. */
    public static PersonPolicy empty(long id) {
        return new PersonPolicy(id, new Consent[0], new long[0], new PrivacySettings[0], new long[0], new long[0]);
    }

    public long id() {
        return id;
    }

    // --- replacing one part -----------------------------------------------------------------------------------

    /** This person with {@code records} as consents; registers their purposes in {@code codes} first. */
    public PersonPolicy withConsents(Consent[] records, PurposeCodes codes) {
        long[] part = new long[records.length * STRIDE];
        for (int i = 0; i < records.length; i++) {
            pack(records[i], codes, part, i * STRIDE);
        }
        return new PersonPolicy(id, records, part, settings, settingsPart(), friends);
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
        return new PersonPolicy(id, consents, consentPart(), versions, part, friends);
    }

    /** This person with {@code sortedFriends} (ascending) as friends. */
    public PersonPolicy withFriends(long[] sortedFriends) {
        return new PersonPolicy(id, consents, consentPart(), settings, settingsPart(), sortedFriends);
    }

    private long[] consentPart() {
        return Arrays.copyOfRange(table, 0, consentEnd);
    }

    private long[] settingsPart() {
        return Arrays.copyOfRange(table, consentEnd, table.length);
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

    // --- reads ------------------------------------------------------------------------------------------------

    public Consent[] consents() {
        return consents;
    }

    public PrivacySettings[] settings() {
        return settings;
    }

    public long[] friends() {
        return friends;
    }

    /** Whether {@code a} (this person is {@code aId}'s policy) and {@code b} are friends, per the shorter list. */
    public static boolean areFriends(PersonPolicy a, long aId, PersonPolicy b, long bId) {
        return a.friendCount <= b.friendCount
                ? Arrays.binarySearch(a.friends, bId) >= 0 : Arrays.binarySearch(b.friends, aId) >= 0;
    }

    /**
     * The consent to decide on, as an index, or -1: the first one for this partner naming the purpose that is live
     * at the instant, else the latest given of them (the first on a tie).
     */
    public int consentFor(long partnerId, int purposeCode, String purpose, long second, int nano) {
        long[] t = table;
        int fallback = -1;
        for (int i = 0, o = 0; o < consentEnd; i++, o += STRIDE) {
            if (t[o + PARTNER] != partnerId || !namesPurpose(i, o, purposeCode, purpose)) {
                continue;
            }
            if (liveAt(o, second, nano)) {
                return i;
            }
            int f = fallback * STRIDE;
            if (fallback < 0 || before(t[f + GIVEN_SECOND], givenNano(f), t[o + GIVEN_SECOND], givenNano(o))) {
                fallback = i;
            }
        }
        return fallback;
    }

    private boolean namesPurpose(int i, int o, int purposeCode, String purpose) {
        long bits = table[o + PURPOSES];
        if (purposeCode >= 0 && purposeCode < PURPOSE_BITS) {
            return (bits & 1L << purposeCode) != 0;
        }
        // Only a code past the bits can be named without a bit; an unknown purpose is named by no consent.
        return purposeCode >= 0 && (bits & PURPOSE_OVERFLOW) != 0 && consents[i].purposes().contains(purpose);
    }

    private boolean liveAt(int o, long second, int nano) {
        return !before(second, nano, table[o + GIVEN_SECOND], givenNano(o))
                && !withdrawnAt(o, second, nano) && !expiredAt(o, second, nano);
    }

    private int givenNano(int o) {
        return (int) table[o + NANOS];
    }

    private boolean withdrawnAt(int o, long second, int nano) {
        return !before(second, nano, table[o + WITHDRAWN_SECOND], (int) table[o + VERSION_AND_WITHDRAWN_NANO]);
    }

    private boolean expiredAt(int o, long second, int nano) {
        return !before(second, nano, table[o + UNTIL_SECOND], (int) (table[o + NANOS] >>> 32));
    }

    /** Consent {@code i} was withdrawn at or before the instant. */
    public boolean consentWithdrawnBy(int i, long second, int nano) {
        return withdrawnAt(i * STRIDE, second, nano);
    }

    /** Consent {@code i} ran out at or before the instant. */
    public boolean consentExpiredBy(int i, long second, int nano) {
        return expiredAt(i * STRIDE, second, nano);
    }

    /** The instant is before consent {@code i} was given. */
    public boolean consentNotYetGiven(int i, long second, int nano) {
        int o = i * STRIDE;
        return before(second, nano, table[o + GIVEN_SECOND], givenNano(o));
    }

    public boolean consentNamesScope(int i, long scopeBit) {
        return (table[i * STRIDE + SCOPES] & scopeBit) != 0;
    }

    public boolean consentFriendsData(int i) {
        return (table[i * STRIDE + SCOPES] & FRIENDS_DATA) != 0;
    }

    public long consentId(int i) {
        return table[i * STRIDE + ID];
    }

    public int consentVersion(int i) {
        return (int) (table[i * STRIDE + VERSION_AND_WITHDRAWN_NANO] >>> 32);
    }

    /** The index of the settings version in force at the instant (the last one effective by then), or -1. */
    public int settingsIndexAt(long second, int nano) {
        long[] t = table;
        for (int o = t.length - SETTINGS_STRIDE; o >= consentEnd; o -= SETTINGS_STRIDE) {
            if (!before(second, nano, t[o], (int) t[o + 1])) {
                return (o - consentEnd) / SETTINGS_STRIDE;
            }
        }
        return -1;
    }

    /** The version and category bits in force at the instant; {@link #DEFAULT_SETTINGS} when none is. */
    public long settingsWordAt(long second, int nano) {
        if (!before(second, nano, newestSecond, newestNano)) {
            // Also right with no version stored: no instant reaches NEVER, so this is never taken then.
            return newestWord;
        }
        long[] t = table;
        for (int o = t.length - SETTINGS_STRIDE; o >= consentEnd; o -= SETTINGS_STRIDE) {
            if (!before(second, nano, t[o], (int) t[o + 1])) {
                return t[o + 2];
            }
        }
        return DEFAULT_SETTINGS;
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
