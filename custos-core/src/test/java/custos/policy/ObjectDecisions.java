package custos.policy;

import custos.data.Scope;
import custos.data.DataCategory;
import custos.consent.Consent;
import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The engine as it was before its hot path was packed into primitive arrays: it walks the view's public records
 * (consents, settings versions, agreements) one object at a time. Kept as the oracle the packed engine must equal.
 */
final class ObjectDecisions {
    private final PolicyView view;
    private final RateLimiter rates;
    private final LongSupplier nanoClock;

    ObjectDecisions(PolicyView view, RateLimiter rates) {
        this(view, rates, System::nanoTime);
    }

    ObjectDecisions(PolicyView view, RateLimiter rates, LongSupplier nanoClock) {
        this.view = view;
        this.rates = rates;
        this.nanoClock = nanoClock;
    }

    public PolicyView view() {
        return view;
    }

    public Decision decide(DecisionRequest request) {
        EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
        Instant at = request.at();
        Scope scope = request.scope();
        boolean friendsData = request.friendsData();

        // Partner, agreement, purpose.
        Agreement agreement = null;
        PartnerEntry partner = view.partner(request.partnerId());
        if (partner == null) {
            reasons.add(Reason.NO_AGREEMENT);
        } else {
            if (partner.partner().status() != PartnerStatus.ACTIVE) {
                reasons.add(partner.partner().status() == PartnerStatus.DORMANT
                        ? Reason.PARTNER_DORMANT : Reason.PARTNER_SUSPENDED);
            }
            agreement = agreementFor(partner, request.purpose(), at);
            if (agreement == null) {
                reasons.add(Reason.NO_AGREEMENT);
            } else {
                if (!agreement.inForceAt(at)) {
                    reasons.add(Reason.AGREEMENT_EXPIRED);
                }
                if (agreement.recertificationSuspendedAt(at)) {
                    reasons.add(Reason.RECERTIFICATION_OVERDUE);
                }
                Purpose purpose = agreement.purpose(request.purpose()).orElseThrow();
                if (purpose.retiredAt(at)) {
                    reasons.add(Reason.PURPOSE_RETIRED);
                }
                if (!purpose.scopes().contains(scope)) {
                    reasons.add(Reason.SCOPE_NOT_IN_PURPOSE);
                }
                if (friendsData && !purpose.friendsData()) {
                    reasons.add(Reason.FRIENDS_DATA_NOT_IN_PURPOSE);
                }
            }
        }

        // The acting person's consent.
        Consent consent = consentFor(request.actor(), request.partnerId(), request.purpose(), at);
        if (consent == null) {
            reasons.add(Reason.NO_CONSENT);
        } else if (consent.withdrawnBy(at)) {
            reasons.add(Reason.CONSENT_REVOKED);
        } else if (consent.expiredBy(at) || at.isBefore(consent.givenAt())) {
            reasons.add(Reason.CONSENT_EXPIRED);
        } else {
            if (!consent.scopes().contains(scope)) {
                reasons.add(Reason.SCOPE_NOT_CONSENTED);
            }
            if (friendsData && !consent.friendsData()) {
                reasons.add(Reason.FRIENDS_DATA_NOT_CONSENTED);
            }
        }

        // Settings: the actor's always; for friends' data also the friend's, and they must be friends.
        PrivacySettings actorSettings = view.settingsAt(request.actor(), at);
        PrivacySettings subjectSettings = actorSettings;
        if (!friendsData) {
            if (!setting(actorSettings, scope.category()).partnersMayReach()) {
                reasons.add(Reason.SETTINGS_FORBID);
            }
        } else {
            if (!view.areFriends(request.actor(), request.subject())) {
                reasons.add(Reason.NOT_FRIENDS);
            }
            // Reaching friends goes through the actor's own friend list, which the actor's settings must open.
            if (!setting(actorSettings, DataCategory.FRIENDS).partnersMayReach()) {
                reasons.add(Reason.SETTINGS_FORBID);
            }
            subjectSettings = view.settingsAt(request.subject(), at);
            if (!setting(subjectSettings, scope.category()).permitsFriendsPartners()) {
                reasons.add(Reason.FRIEND_SETTINGS_FORBID);
            }
        }

        if (!rates.tryAcquire(request.partnerId(), request.rateKey(), nanoClock.getAsLong())) {
            reasons.add(Reason.RATE_LIMITED);
        }

        DecisionBasis basis = new DecisionBasis(
                agreement == null ? 0 : agreement.id(), agreement == null ? 0 : agreement.version(),
                consent == null ? 0 : consent.id(), consent == null ? 0 : consent.version(),
                version(actorSettings), version(subjectSettings));
        return reasons.isEmpty()
                ? new Decision(Outcome.ALLOW, reasons, basis, scope.category().fields())
                : new Decision(Outcome.DENY, reasons, basis, List.of());
    }

    /**
     * A friend list cut friend by friend: the friends of {@code request.actor()} whose own settings let their friends'
     * partners reach the request's category. Rate limits are not charged per friend; the list request was counted.
     */
    public long[] filterFriends(DecisionRequest request) {
        return filterFriends(request, view.friendsOf(request.actor()));
    }

    /** The same cut over any list of people (e.g. a friend's friends, reached on the friend's own allowance). */
    public long[] filterFriends(DecisionRequest request, long[] candidates) {
        long[] kept = new long[candidates.length];
        int n = 0;
        Instant at = request.at();
        DataCategory category = request.scope().category();
        for (long friend : candidates) {
            if (setting(view.settingsAt(friend, at), category).permitsFriendsPartners()) {
                kept[n++] = friend;
            }
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    /** Prefers an agreement in force at {@code at} serving the purpose; else the latest one that ever served it. */
    private static Agreement agreementFor(PartnerEntry partner, String purpose, Instant at) {
        Agreement fallback = null;
        for (Agreement a : partner.agreements()) {
            if (a.purpose(purpose).isPresent()) {
                if (a.inForceAt(at)) {
                    return a;
                }
                if (fallback == null || a.validFrom().isAfter(fallback.validFrom())) {
                    fallback = a;
                }
            }
        }
        return fallback;
    }

    /** Prefers a consent live at {@code at} that names the purpose; else the most recent one, to say why not. */
    private Consent consentFor(long person, long partnerId, String purpose, Instant at) {
        Consent fallback = null;
        for (Consent c : view.consentsOf(person)) {
            if (c.partnerId() != partnerId || !c.purposes().contains(purpose)) {
                continue;
            }
            if (c.liveAt(at)) {
                return c;
            }
            if (fallback == null || c.givenAt().isAfter(fallback.givenAt())) {
                fallback = c;
            }
        }
        return fallback;
    }

    private static CategorySetting setting(PrivacySettings settings, DataCategory category) {
        return settings == null ? PrivacySettings.DEFAULT : settings.of(category);
    }

    private static int version(PrivacySettings settings) {
        return settings == null ? 0 : settings.version();
    }
}
