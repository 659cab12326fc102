package custos.policy;

import custos.data.Scope;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.consent.Consent;
import custos.policy.internal.PartnerPolicy;
import custos.policy.internal.PersonPolicy;
import custos.policy.internal.PurposeCodes;
import custos.policy.internal.ReasonSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one decision point. Deny by default: a request is allowed only when every check below finds nothing
 * against it, and the checks always run all the way through so a denial names every reason, not just the first.
 *
 * <p>There is deliberately no input that skips a check: no partner kind, flag or "service provider" route. The
 * person's settings (and, for friends' data, the friend's settings) are consulted on every request, and the other
 * people whose data rides on a page (friends in a list, message authors, thread participants, recipients) are
 * decided on their own settings by {@link #filterFriendsOf} and {@link #coSubjects}, one pass per page.
 */
public final class DecisionEngine {
    private final PolicyView view;
    private final RateLimiter rates;
    private final LongSupplier nanoClock;

    public DecisionEngine(PolicyView view, RateLimiter rates) {
        this(view, rates, System::nanoTime);
    }

    public DecisionEngine(PolicyView view, RateLimiter rates, LongSupplier nanoClock) {
        this.view = view;
        this.rates = rates;
        this.nanoClock = nanoClock;
    }

    public PolicyView view() {
        return view;
    }

    public Decision decide(DecisionRequest request) {
        // Reasons as bits of Reason ordinals: an ALLOW then builds no set at all.
        int reasons = 0;
        Instant at = request.at();
        long second = at.getEpochSecond();
        int nano = at.getNano();
        Scope scope = request.scope();
        DataCategory category = scope.category();
        boolean friendsData = request.friendsData();
        // Both people first: their lookups are the likely cache misses, and issued together they overlap with
        // each other and with the partner checks below instead of stalling one after the other.
        long[] actor = view.table(request.actor());
        long[] subject = friendsData ? view.table(request.subject()) : actor;

        // Partner, agreement, purpose.
        PartnerPolicy partner = view.partnerPolicy(request.partnerId());
        int purposeCode = purposeCode(partner, request.purpose());
        long scopeBit = PersonPolicy.scopeBit(scope);
        int agreement = -1;
        if (partner == null) {
            reasons |= bit(Reason.NO_AGREEMENT);
        } else {
            if (!partner.active()) {
                reasons |= bit(partner.dormant() ? Reason.PARTNER_DORMANT : Reason.PARTNER_SUSPENDED);
            }
            agreement = partner.agreementFor(purposeCode, second, nano);
            if (agreement < 0) {
                reasons |= bit(Reason.NO_AGREEMENT);
            } else {
                if (!partner.inForceAt(agreement, second, nano)) {
                    reasons |= bit(Reason.AGREEMENT_EXPIRED);
                }
                if (partner.recertificationSuspendedAt(agreement, second, nano)) {
                    reasons |= bit(Reason.RECERTIFICATION_OVERDUE);
                }
                int purpose = partner.purposeIndex(agreement, purposeCode);
                if (partner.purposeRetiredAt(agreement, purpose, second, nano)) {
                    reasons |= bit(Reason.PURPOSE_RETIRED);
                }
                if (!partner.purposeNamesScope(agreement, purpose, scopeBit)) {
                    reasons |= bit(Reason.SCOPE_NOT_IN_PURPOSE);
                }
                if (friendsData && !partner.purposeFriendsData(agreement, purpose)) {
                    reasons |= bit(Reason.FRIENDS_DATA_NOT_IN_PURPOSE);
                }
            }
        }

        // The acting person's consent. A purpose code past the packed bits needs the consent records: then the
        // actor's table is taken again from the same object as the records, so both are one version of the person.
        Consent[] records = null;
        if (purposeCode >= PersonPolicy.PURPOSE_BITS) {
            PersonPolicy person = view.person(request.actor());
            records = person.consents();
            actor = person.table();
            subject = friendsData ? subject : actor;
        }
        int consent = PersonPolicy.consentFor(actor, records, request.partnerId(), purposeCode, request.purpose(),
                second, nano);
        if (consent < 0) {
            reasons |= bit(Reason.NO_CONSENT);
        } else if (PersonPolicy.consentWithdrawnBy(actor, consent, second, nano)) {
            reasons |= bit(Reason.CONSENT_REVOKED);
        } else if (PersonPolicy.consentExpiredBy(actor, consent, second, nano)
                || PersonPolicy.consentNotYetGiven(actor, consent, second, nano)) {
            reasons |= bit(Reason.CONSENT_EXPIRED);
        } else {
            if (!PersonPolicy.consentNamesScope(actor, consent, scopeBit)) {
                reasons |= bit(Reason.SCOPE_NOT_CONSENTED);
            }
            if (friendsData && !PersonPolicy.consentFriendsData(actor, consent)) {
                reasons |= bit(Reason.FRIENDS_DATA_NOT_CONSENTED);
            }
        }

        // Settings: the actor's always; for friends' data also the friend's, and they must be friends.
        long actorSettings = PersonPolicy.settingsWordAt(actor, second, nano);
        long subjectSettings = actorSettings;
        if (!friendsData) {
            if (!PersonPolicy.partnersMayReach(actorSettings, category)) {
                reasons |= bit(Reason.SETTINGS_FORBID);
            }
        } else {
            if (!PersonPolicy.areFriends(actor, request.actor(), subject, request.subject())) {
                reasons |= bit(Reason.NOT_FRIENDS);
            }
            // Reaching friends goes through the actor's own friend list, which the actor's settings must open.
            if (!PersonPolicy.partnersMayReach(actorSettings, DataCategory.FRIENDS)) {
                reasons |= bit(Reason.SETTINGS_FORBID);
            }
            subjectSettings = PersonPolicy.settingsWordAt(subject, second, nano);
            if (!PersonPolicy.permitsFriendsPartners(subjectSettings, category)) {
                reasons |= bit(Reason.FRIEND_SETTINGS_FORBID);
            }
        }

        if (!rates.tryAcquire(request.partnerId(), request.rateKey(), nanoClock.getAsLong())) {
            reasons |= bit(Reason.RATE_LIMITED);
        }

        DecisionBasis basis = new DecisionBasis(
                agreement < 0 ? 0 : partner.agreementId(agreement), agreement < 0 ? 0 : partner.agreementVersion(agreement),
                consent < 0 ? 0 : PersonPolicy.consentId(actor, consent),
                consent < 0 ? 0 : PersonPolicy.consentVersion(actor, consent),
                PersonPolicy.settingsVersion(actorSettings), PersonPolicy.settingsVersion(subjectSettings));
        return reasons == 0
                ? new Decision(Outcome.ALLOW, ReasonSet.EMPTY, basis, category.fields())
                : new Decision(Outcome.DENY, ReasonSet.ofBits(reasons), basis, List.of());
    }

    /**
     * A friend list cut friend by friend: the friends of {@code request.actor()} whose own settings let their friends'
     * partners reach the request's category. Rate limits are not charged per friend; the list request was counted.
     */
    public long[] filterFriends(DecisionRequest request) {
        return filterFriendsOf(request, request.actor());
    }

    /**
     * The same cut over the friends of {@code personId} (the actor, or a friend reached on the friend's own
     * allowance), read in place from the person's table rather than from a copy of the list.
     */
    public long[] filterFriendsOf(DecisionRequest request, long personId) {
        long[] t = view.table(personId);
        return filterFriends(request, t, PersonPolicy.friendsStart(t), t.length);
    }

    /**
     * The same cut over any list of people (e.g. a friend's friends, reached on the friend's own allowance): exactly
     * the candidates for which {@link #decide} on the request about them would not name FRIEND_SETTINGS_FORBID.
     */
    public long[] filterFriends(DecisionRequest request, long[] candidates) {
        return filterFriends(request, candidates, 0, candidates.length);
    }

    private long[] filterFriends(DecisionRequest request, long[] candidates, int from, int to) {
        long[] kept = new long[to - from];
        int n = 0;
        long second = request.at().getEpochSecond();
        int nano = request.at().getNano();
        DataCategory category = request.scope().category();
        for (int i = from; i < to; i++) {
            long friend = candidates[i];
            if (PersonPolicy.permitsFriendsPartners(PersonPolicy.settingsWordAt(view.table(friend), second, nano),
                    category)) {
                kept[n++] = friend;
            }
        }
        return n == kept.length ? kept : Arrays.copyOf(kept, n);
    }

    /**
     * The other people whose data rides on one page of an allowed request (invariant 3), decided together in one
     * pass over their packed tables: the authors of a thread's messages, a thread's participants, the recipients
     * of a message. Position by position the answer says whether that person's part may be released, and why not.
     *
     * <p>The rule, per person {@code p} at the request's instant:
     * <ul>
     *   <li>{@code p} is the request's subject: released (the page's own decision covered the subject's data);</li>
     *   <li>{@code p} is the actor on a friend's page: the actor's own settings must let partners reach the
     *       category ({@code SETTINGS_FORBID});</li>
     *   <li>anyone else: {@code p}'s own settings must let their friends' partners reach the category
     *       ({@code FRIEND_SETTINGS_FORBID}), whether or not {@code p} is the actor's friend. A thread participant
     *       who is not a friend is still another person whose data it is, and the friend rule is the strictest a
     *       person can set for partners other than their own, so it is applied to everyone: friendship is not
     *       required and never loosens it. For a read (data released to the partner) the actor's consent and the
     *       purpose must also cover friends' data ({@code FRIENDS_DATA_NOT_CONSENTED},
     *       {@code FRIENDS_DATA_NOT_IN_PURPOSE}), exactly as for a friend's profile; for a write or delete nothing
     *       of {@code p}'s is released, so only {@code p}'s settings count.</li>
     * </ul>
     * The page's own decision (partner, agreement, consent, scope, rate) is {@link #decide}'s; call this only for
     * a request it allowed. Nothing is charged to the rate limiter here.
     */
    public CoSubjects coSubjects(DecisionRequest request, long[] people) {
        int[] bits = new int[people.length];
        long second = request.at().getEpochSecond();
        int nano = request.at().getNano();
        DataCategory category = request.scope().category();
        long actor = request.actor();
        long subject = request.subject();
        // What does not depend on the person is worked out once for the page.
        int others = request.scope().operation() == Operation.READ ? friendsGrantBits(request, second, nano) : 0;
        int actorBits = actor != subject
                && !PersonPolicy.partnersMayReach(PersonPolicy.settingsWordAt(view.table(actor), second, nano), category)
                ? bit(Reason.SETTINGS_FORBID) : 0;
        int friendForbids = bit(Reason.FRIEND_SETTINGS_FORBID);
        int withheld = 0;
        int union = 0;
        for (int i = 0; i < people.length; i++) {
            long p = people[i];
            int b;
            if (p == subject) {
                b = 0;
            } else if (p == actor) {
                b = actorBits;
            } else {
                b = PersonPolicy.permitsFriendsPartners(PersonPolicy.settingsWordAt(view.table(p), second, nano), category)
                        ? others : others | friendForbids;
            }
            bits[i] = b;
            if (b != 0) {
                withheld++;
                union |= b;
            }
        }
        return new CoSubjects(bits, withheld, union);
    }

    /** FRIENDS_DATA_NOT_IN_PURPOSE and FRIENDS_DATA_NOT_CONSENTED as they apply to the request's partner, purpose and actor. */
    private int friendsGrantBits(DecisionRequest request, long second, int nano) {
        int reasons = 0;
        PartnerPolicy partner = view.partnerPolicy(request.partnerId());
        int purposeCode = purposeCode(partner, request.purpose());
        int agreement = partner == null ? -1 : partner.agreementFor(purposeCode, second, nano);
        if (agreement < 0 || !partner.purposeFriendsData(agreement, partner.purposeIndex(agreement, purposeCode))) {
            reasons |= bit(Reason.FRIENDS_DATA_NOT_IN_PURPOSE);
        }
        long[] actor = view.table(request.actor());
        Consent[] records = null;
        if (purposeCode >= PersonPolicy.PURPOSE_BITS) {
            PersonPolicy person = view.person(request.actor());
            records = person.consents();
            actor = person.table();
        }
        int consent = PersonPolicy.consentFor(actor, records, request.partnerId(), purposeCode, request.purpose(),
                second, nano);
        if (consent < 0 || !PersonPolicy.consentFriendsData(actor, consent)) {
            reasons |= bit(Reason.FRIENDS_DATA_NOT_CONSENTED);
        }
        return reasons;
    }

    /** The purpose's code: the partner's own agreements name it, or else only a consent may, and must be found to say why not. */
    private int purposeCode(PartnerPolicy partner, String purpose) {
        int code = partner == null ? PurposeCodes.UNKNOWN : partner.codeOf(purpose);
        return code == PurposeCodes.UNKNOWN ? view.purposeCode(purpose) : code;
    }

    private static int bit(Reason reason) {
        return ReasonSet.bit(reason);
    }
}
