package custos.policy;

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
 * person's settings (and, for friends' data, the friend's settings) are consulted on every request.
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
        int purposeCode = partner == null ? PurposeCodes.UNKNOWN : partner.codeOf(request.purpose());
        if (purposeCode == PurposeCodes.UNKNOWN) {
            // No agreement of this partner names it; a consent still may, and must be found to say why not.
            purposeCode = view.purposeCode(request.purpose());
        }
        long scopeBit = PersonPolicy.scopeBit(scope);
        int agreement = -1;
        if (partner == null) {
            reasons |= bit(Reason.NO_AGREEMENT);
        } else {
            if (!partner.active()) {
                reasons |= bit(Reason.PARTNER_SUSPENDED);
            }
            agreement = partner.agreementFor(purposeCode, second, nano);
            if (agreement < 0) {
                reasons |= bit(Reason.NO_AGREEMENT);
            } else {
                if (!partner.inForceAt(agreement, second, nano)) {
                    reasons |= bit(Reason.AGREEMENT_EXPIRED);
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

    private static int bit(Reason reason) {
        return ReasonSet.bit(reason);
    }
}
