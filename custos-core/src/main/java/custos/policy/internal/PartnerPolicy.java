package custos.policy.internal;

import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.Scope;
import java.time.Instant;

/**
 * A partner entry as the engine reads it: the entry itself (for the view's public reads) plus its agreements and
 * purposes packed into primitive arrays, purposes by their {@link PurposeCodes} code. Exact like
 * {@link PersonPolicy}: instants as (second, nano) pairs, a null end as a second beyond any {@code Instant}, and
 * agreements and purposes kept in their order, since the first match wins.
 */
public final class PartnerPolicy {
    // One agreement: valid-from second and nano, valid-until second and nano, id, version, and the second and nano
    // from which it is suspended for want of recertification.
    private static final int STRIDE = 8;
    // One purpose of an agreement: code, scope bits and the friends-data flag, retired-at second and nano.
    private static final int PURPOSE_STRIDE = 4;
    private static final long FRIENDS_DATA = 1L << 62;
    private static final long NEVER = Long.MAX_VALUE;

    private final PartnerEntry entry;
    private final boolean active;
    private final boolean dormant;
    private final long[] agreements;
    private final long[][] purposes;
    // The distinct purpose names of all agreements with their codes: a request's purpose is nearly always one of
    // them (else it is denied NO_AGREEMENT), and comparing a few strings costs less than a hash map lookup.
    private final String[] names;
    private final int[] nameCodes;

    /** Packs {@code entry}; registers its purposes in {@code codes} first. Writers only. */
    public PartnerPolicy(PartnerEntry entry, PurposeCodes codes) {
        this.entry = entry;
        this.active = entry.partner().status() == PartnerStatus.ACTIVE;
        this.dormant = entry.partner().status() == PartnerStatus.DORMANT;
        int n = entry.agreements().size();
        this.agreements = new long[n * STRIDE];
        this.purposes = new long[n][];
        java.util.LinkedHashMap<String, Integer> distinct = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Agreement a = entry.agreements().get(i);
            int o = i * STRIDE;
            agreements[o] = a.validFrom().getEpochSecond();
            agreements[o + 1] = a.validFrom().getNano();
            agreements[o + 2] = second(a.validUntil());
            agreements[o + 3] = nano(a.validUntil());
            agreements[o + 4] = a.id();
            agreements[o + 5] = a.version();
            agreements[o + 6] = second(a.recertificationSuspendedAt());
            agreements[o + 7] = nano(a.recertificationSuspendedAt());
            long[] p = new long[a.purposes().size() * PURPOSE_STRIDE];
            for (int j = 0; j < a.purposes().size(); j++) {
                Purpose purpose = a.purposes().get(j);
                long scopes = purpose.friendsData() ? FRIENDS_DATA : 0;
                for (Scope s : purpose.scopes()) {
                    scopes |= PersonPolicy.scopeBit(s);
                }
                int code = codes.register(purpose.code());
                distinct.putIfAbsent(purpose.code(), code);
                p[j * PURPOSE_STRIDE] = code;
                p[j * PURPOSE_STRIDE + 1] = scopes;
                p[j * PURPOSE_STRIDE + 2] = second(purpose.retiredAt());
                p[j * PURPOSE_STRIDE + 3] = nano(purpose.retiredAt());
            }
            purposes[i] = p;
        }
        this.names = distinct.keySet().toArray(String[]::new);
        this.nameCodes = distinct.values().stream().mapToInt(Integer::intValue).toArray();
    }

    private static long second(Instant at) {
        return at == null ? NEVER : at.getEpochSecond();
    }

    private static int nano(Instant at) {
        return at == null ? 0 : at.getNano();
    }

    public PartnerEntry entry() {
        return entry;
    }

    /** The code of {@code purpose} if an agreement of this partner names it, else {@link PurposeCodes#UNKNOWN}. */
    public int codeOf(String purpose) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == purpose) {
                return nameCodes[i];
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(purpose)) {
                return nameCodes[i];
            }
        }
        return PurposeCodes.UNKNOWN;
    }

    public boolean active() {
        return active;
    }

    /** Not active because its access lapsed for disuse, not because an operator suspended or retired it. */
    public boolean dormant() {
        return dormant;
    }

    /**
     * The agreement to decide on, as an index, or -1: the first one serving the purpose that is in force at the
     * instant, else the one serving it that became valid last (the first on a tie).
     */
    public int agreementFor(int purposeCode, long second, int nano) {
        int fallback = -1;
        for (int i = 0, o = 0; o < agreements.length; i++, o += STRIDE) {
            if (purposeIndex(i, purposeCode) < 0) {
                continue;
            }
            if (inForceAt(i, second, nano)) {
                return i;
            }
            int f = fallback * STRIDE;
            if (fallback < 0 || before(agreements[f], (int) agreements[f + 1], agreements[o], (int) agreements[o + 1])) {
                fallback = i;
            }
        }
        return fallback;
    }

    public boolean inForceAt(int agreement, long second, int nano) {
        int o = agreement * STRIDE;
        return !before(second, nano, agreements[o], (int) agreements[o + 1])
                && before(second, nano, agreements[o + 2], (int) agreements[o + 3]);
    }

    /** The agreement is suspended for want of recertification at the instant. */
    public boolean recertificationSuspendedAt(int agreement, long second, int nano) {
        int o = agreement * STRIDE;
        return !before(second, nano, agreements[o + 6], (int) agreements[o + 7]);
    }

    public long agreementId(int agreement) {
        return agreements[agreement * STRIDE + 4];
    }

    public int agreementVersion(int agreement) {
        return (int) agreements[agreement * STRIDE + 5];
    }

    /** The first purpose of the agreement with this code, as an index, or -1 (always -1 for an unknown code). */
    public int purposeIndex(int agreement, int purposeCode) {
        long[] p = purposes[agreement];
        for (int j = 0, o = 0; o < p.length; j++, o += PURPOSE_STRIDE) {
            if (p[o] == purposeCode) {
                return j;
            }
        }
        return -1;
    }

    public boolean purposeRetiredAt(int agreement, int purpose, long second, int nano) {
        long[] p = purposes[agreement];
        int o = purpose * PURPOSE_STRIDE;
        return !before(second, nano, p[o + 2], (int) p[o + 3]);
    }

    public boolean purposeNamesScope(int agreement, int purpose, long scopeBit) {
        return (purposes[agreement][purpose * PURPOSE_STRIDE + 1] & scopeBit) != 0;
    }

    public boolean purposeFriendsData(int agreement, int purpose) {
        return (purposes[agreement][purpose * PURPOSE_STRIDE + 1] & FRIENDS_DATA) != 0;
    }

    /** {@code (s1, n1)} is strictly before {@code (s2, n2)}: {@link Instant#isBefore} on the pairs. */
    private static boolean before(long s1, int n1, long s2, int n2) {
        return s1 < s2 || (s1 == s2 && n1 < n2);
    }
}
