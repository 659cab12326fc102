package custos.policy;

import custos.data.Scope;
import custos.data.DataCategory;
import custos.data.Operation;
import static custos.policy.TinyWorld.*;
import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DecisionEngineTest {

    @Test
    void allowsOwnDataWhenEveryConditionHoldsAndReleasesExactlyTheCategoryFields() {
        Decision d = decide(openWorld(), own(MESSAGES_READ));
        assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(d.reasons()).isEmpty();
        assertThat(d.fields()).isEqualTo(DataCategory.MESSAGES.fields());
        assertThat(d.basis()).isEqualTo(new DecisionBasis(21, 3, 31 + ALICE, 1, 1, 1));
    }

    @Test
    void allowsAFriendsDataWhenConsentPurposeAndFriendSettingsAllIncludeIt() {
        Decision d = decide(openWorld(), ofFriend(CONTACTS_READ));
        assertThat(d.allowed()).isTrue();
        assertThat(d.fields()).isEqualTo(DataCategory.CONTACTS.fields());
    }

    @Test
    void deniesAnEmptyWorldWithNoFieldsAndTheMissingPieces() {
        Decision d = decide(new PolicyView(16), own(MESSAGES_READ));
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.reasons()).containsExactlyInAnyOrder(Reason.NO_AGREEMENT, Reason.NO_CONSENT);
        assertThat(d.fields()).isEmpty();
        assertThat(d.basis()).isEqualTo(DecisionBasis.NONE);
    }

    @Test
    void partnerSuspendedForSuspendedAndRetiredPartners() {
        for (PartnerStatus status : EnumSet.of(PartnerStatus.SUSPENDED, PartnerStatus.RETIRED)) {
            PolicyView view = openWorld();
            view.putPartner(partner(status, PartnerKind.APP,
                    agreement(T0, null, purpose(Set.of(MESSAGES_READ), false, null))));
            assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.PARTNER_SUSPENDED);
        }
    }

    @Test
    void noAgreementWhenNoAgreementServesThePurpose() {
        PolicyView view = openWorld();
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.NO_AGREEMENT);
    }

    @Test
    void agreementExpiredWhenItEndedBeforeTheRequestAndWhenItHasNotStarted() {
        PolicyView view = openWorld();
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP,
                agreement(T0, NOW.minusSeconds(1), purpose(Set.of(MESSAGES_READ), false, null))));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.AGREEMENT_EXPIRED);
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP,
                agreement(NOW.plusSeconds(1), null, purpose(Set.of(MESSAGES_READ), false, null))));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.AGREEMENT_EXPIRED);
    }

    @Test
    void purposeRetiredFromItsRetirementInstantOn() {
        PolicyView view = openWorld();
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.VIDEO,
                agreement(T0, null, purpose(Set.of(MESSAGES_READ), false, NOW))));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.PURPOSE_RETIRED);
    }

    @Test
    void scopeNotInPurposeWhenThePurposeNeverAskedForIt() {
        PolicyView view = openWorld();
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP,
                agreement(T0, null, purpose(Set.of(CONTACTS_READ), false, null))));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.SCOPE_NOT_IN_PURPOSE);
    }

    @Test
    void friendsDataNotInPurposeWhenThePurposeIsAboutTheActorOnly() {
        PolicyView view = openWorld();
        view.putPartner(activePartner(false));
        assertThat(decide(view, ofFriend(MESSAGES_READ)).reasons()).containsExactly(Reason.FRIENDS_DATA_NOT_IN_PURPOSE);
    }

    @Test
    void noConsentWhenThePersonNeverConsented() {
        PolicyView view = new PolicyView(16);
        view.putPartner(activePartner(true));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.NO_CONSENT);
    }

    @Test
    void consentExpiredAfterItsValidUntilAndBeforeItWasGiven() {
        PolicyView view = openWorld();
        view.putConsent(consent(31 + ALICE, ALICE, Set.of(MESSAGES_READ), true, T0, NOW, null));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.CONSENT_EXPIRED);
        view.putConsent(consent(31 + ALICE, ALICE, Set.of(MESSAGES_READ), true, NOW.plusSeconds(1), null, null));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.CONSENT_EXPIRED);
    }

    @Test
    void consentRevokedTakesEffectOnTheVeryNextDecision() {
        PolicyView view = openWorld();
        assertThat(decide(view, own(MESSAGES_READ)).allowed()).isTrue();
        view.putConsent(consent(31 + ALICE, ALICE, Set.of(MESSAGES_READ), true, T0, null, NOW.minusSeconds(1)));
        Decision d = decide(view, own(MESSAGES_READ));
        assertThat(d.reasons()).containsExactly(Reason.CONSENT_REVOKED);
        assertThat(d.fields()).isEmpty();
    }

    @Test
    void scopeNotConsentedWhenTheLiveConsentLacksTheScope() {
        PolicyView view = openWorld();
        view.putConsent(consent(31 + ALICE, ALICE, Set.of(CONTACTS_READ), true, T0, null, null));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.SCOPE_NOT_CONSENTED);
    }

    @Test
    void friendsDataNotConsentedWhenTheActorKeptFriendsOut() {
        PolicyView view = openWorld();
        view.putConsent(liveConsent(ALICE, false));
        assertThat(decide(view, ofFriend(MESSAGES_READ)).reasons()).containsExactly(Reason.FRIENDS_DATA_NOT_CONSENTED);
        assertThat(decide(view, own(MESSAGES_READ)).allowed()).isTrue();
    }

    @Test
    void settingsForbidOnTheVeryNextDecisionAfterTheActorSwitchesPartnersOff() {
        PolicyView view = openWorld();
        assertThat(decide(view, own(MESSAGES_READ)).allowed()).isTrue();
        view.putSettings(settings(ALICE, 2, NOW.minusSeconds(1), false, false));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.SETTINGS_FORBID);
    }

    @Test
    void settingsAreReadAsInForceAtTheRequestTimeSoPastDecisionsReplay() {
        PolicyView view = openWorld();
        view.putSettings(settings(ALICE, 2, NOW.plusSeconds(60), false, false));
        Decision before = decide(view, own(MESSAGES_READ));
        assertThat(before.allowed()).isTrue();
        assertThat(before.basis().actorSettingsVersion()).isEqualTo(1);
        DecisionRequest later = new DecisionRequest(PARTNER, "c", PURPOSE, ALICE, ALICE, MESSAGES_READ,
                NOW.plusSeconds(60), null);
        Decision after = decide(view, later);
        assertThat(after.reasons()).containsExactly(Reason.SETTINGS_FORBID);
        assertThat(after.basis().actorSettingsVersion()).isEqualTo(2);
    }

    @Test
    void friendSettingsForbidEvenWithTheActorsFullConsent() {
        PolicyView view = openWorld();
        view.putSettings(settings(BOB, 2, NOW.minusSeconds(1), true, false));
        Decision d = decide(view, ofFriend(MESSAGES_READ));
        assertThat(d.reasons()).containsExactly(Reason.FRIEND_SETTINGS_FORBID);
        assertThat(d.basis().subjectSettingsVersion()).isEqualTo(2);
    }

    @Test
    void aFriendWithNoStoredSettingsKeepsFriendsPartnersOutByDefault() {
        PolicyView view = new PolicyView(16);
        view.putPartner(activePartner(true));
        view.putConsent(liveConsent(ALICE, true));
        view.addFriendship(ALICE, BOB);
        assertThat(decide(view, ofFriend(MESSAGES_READ)).reasons()).containsExactly(Reason.FRIEND_SETTINGS_FORBID);
    }

    @Test
    void notFriendsWhenTheSubjectIsAStranger() {
        PolicyView view = openWorld();
        DecisionRequest stranger = new DecisionRequest(PARTNER, "c", PURPOSE, ALICE, 999, MESSAGES_READ, NOW, null);
        view.putSettings(settings(999, 1, T0, true, true));
        assertThat(decide(view, stranger).reasons()).containsExactly(Reason.NOT_FRIENDS);
    }

    @Test
    void rateLimitedWhenTheLimiterRefusesTheToken() {
        long[] clock = {0};
        java.util.Set<String> spent = new java.util.HashSet<>(); // a bucket of one request per token, never refilled
        DecisionEngine engine = new DecisionEngine(openWorld(), (partnerId, rateKey, nowNanos) -> spent.add(rateKey),
                () -> clock[0]);
        DecisionRequest r = new DecisionRequest(PARTNER, "c", PURPOSE, ALICE, ALICE, MESSAGES_READ, NOW, "tok");
        assertThat(engine.decide(r).allowed()).isTrue();
        Decision second = engine.decide(r);
        assertThat(second.reasons()).containsExactly(Reason.RATE_LIMITED);
        assertThat(second.fields()).isEmpty();
    }

    @Test
    void aDenialNamesEveryReasonNotOnlyTheFirst() {
        PolicyView view = new PolicyView(16);
        view.putPartner(partner(PartnerStatus.SUSPENDED, PartnerKind.APP,
                agreement(T0, NOW, purpose(Set.of(CONTACTS_READ), false, T0))));
        view.putConsent(consent(31 + ALICE, ALICE, Set.of(CONTACTS_READ), false, T0, null, null));
        view.putSettings(settings(ALICE, 1, T0, false, false));
        assertThat(decide(view, ofFriend(MESSAGES_READ)).reasons()).containsExactlyInAnyOrder(
                Reason.PARTNER_SUSPENDED, Reason.AGREEMENT_EXPIRED, Reason.PURPOSE_RETIRED,
                Reason.SCOPE_NOT_IN_PURPOSE, Reason.FRIENDS_DATA_NOT_IN_PURPOSE, Reason.SCOPE_NOT_CONSENTED,
                Reason.FRIENDS_DATA_NOT_CONSENTED, Reason.NOT_FRIENDS, Reason.SETTINGS_FORBID,
                Reason.FRIEND_SETTINGS_FORBID);
    }

    @ParameterizedTest
    @EnumSource(PartnerKind.class)
    void noPartnerKindBypassesTheSettings(PartnerKind kind) {
        PolicyView view = openWorld();
        view.putPartner(partner(PartnerStatus.ACTIVE, kind,
                agreement(T0, null, purpose(Set.of(MESSAGES_READ, CONTACTS_READ), true, null))));
        view.putSettings(settings(ALICE, 2, T0.plus(Duration.ofDays(1)), false, false));
        view.putSettings(settings(BOB, 2, T0.plus(Duration.ofDays(1)), true, false));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.SETTINGS_FORBID);
        assertThat(decide(view, ofFriend(MESSAGES_READ)).reasons()).contains(Reason.FRIEND_SETTINGS_FORBID);
    }

    @Test
    void endingTheAgreementStopsAccessOnTheVeryNextDecision() {
        PolicyView view = openWorld();
        assertThat(decide(view, own(MESSAGES_READ)).allowed()).isTrue();
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP,
                agreement(T0, NOW, purpose(Set.of(MESSAGES_READ, CONTACTS_READ), true, null))));
        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.AGREEMENT_EXPIRED);
    }

    @Test
    void retiringThePurposeStopsAccessOnTheVeryNextDecision() {
        PolicyView view = openWorld();
        assertThat(decide(view, ofFriend(MESSAGES_READ)).allowed()).isTrue();
        view.putPartner(partner(PartnerStatus.ACTIVE, PartnerKind.APP,
                agreement(T0, null, purpose(Set.of(MESSAGES_READ, CONTACTS_READ), true, NOW.minusSeconds(5)))));
        assertThat(decide(view, ofFriend(MESSAGES_READ)).reasons()).containsExactly(Reason.PURPOSE_RETIRED);
    }

    @Test
    void friendListKeepsExactlyTheFriendsWhoseSettingsLetFriendsPartnersIn() {
        PolicyView view = openWorld();
        for (long f = 300; f < 310; f++) {
            view.addFriendship(ALICE, f);
            view.putSettings(settings(f, 1, T0, true, f % 3 == 0));
        }
        view.putSettings(settings(305, 2, NOW.minusSeconds(1), true, true));
        view.putSettings(settings(306, 2, NOW.minusSeconds(1), true, false));
        long[] kept = new DecisionEngine(view, RateLimiter.UNLIMITED).filterFriends(ofFriend(Scope.of(DataCategory.FRIENDS, Operation.READ)));
        assertThat(kept).containsExactly(BOB, 300, 303, 305, 309);
    }

    /** Past 63 purposes a consent's purposes no longer fit its packed bits; the engine then reads the records. */
    @Test
    void purposesBeyondThePackedBitsAreDecidedFromTheConsentRecords() {
        PolicyView view = new PolicyView(16);
        Consent crowd = liveConsent(999, false);
        for (int i = 0; i < 70; i++) {
            // One purpose a consent, in order: "other-68" gets code 68 and "sync" (the partner's, next) code 70.
            view.putConsent(new Consent(1000 + i, "rec", 999, PARTNER, Set.of("other-" + i), crowd.scopes(), false,
                    "n1", crowd.method(), T0, null, null, 1, java.util.List.of()));
        }
        view.putPartner(activePartner(true));
        view.putSettings(settings(ALICE, 1, T0, true, true));
        view.putSettings(settings(BOB, 1, T0, true, true));
        view.addFriendship(ALICE, BOB);
        Consent elsewhere = liveConsent(ALICE, true);
        view.putConsent(new Consent(2, "rec-2", ALICE, PARTNER, java.util.Set.of("other-68"), elsewhere.scopes(), true,
                "n1", elsewhere.method(), T0, null, null, 1, java.util.List.of()));

        assertThat(decide(view, own(MESSAGES_READ)).reasons()).containsExactly(Reason.NO_CONSENT);

        view.putConsent(liveConsent(ALICE, true));
        assertThat(decide(view, own(MESSAGES_READ)).basis().consentId()).isEqualTo(31 + ALICE);
        assertThat(decide(view, ofFriend(CONTACTS_READ)).allowed()).isTrue();
        view.putConsent(consent(31 + ALICE, ALICE, Set.of(MESSAGES_READ, CONTACTS_READ), true, T0, null,
                NOW.minusSeconds(1)));
        assertThat(decide(view, ofFriend(CONTACTS_READ)).reasons()).containsExactly(Reason.CONSENT_REVOKED);
    }

    // --- co-subjects of a page ------------------------------------------------------------------------------------

    private static final long CAROL = 300;

    private static CoSubjects authors(PolicyView view, DecisionRequest page, long... people) {
        return new DecisionEngine(view, RateLimiter.UNLIMITED).coSubjects(page, people);
    }

    @Test
    void aPageOfMessagesWithholdsTheAuthorWhoseSettingsForbidItAndCountsWhy() {
        PolicyView view = openWorld();
        view.putSettings(settings(BOB, 2, T0.plusSeconds(1), true, false));
        CoSubjects cut = authors(view, own(MESSAGES_READ), ALICE, BOB, ALICE, BOB);
        assertThat(cut.released(0)).isTrue();
        assertThat(cut.released(1)).isFalse();
        assertThat(cut.reasons(1)).containsExactly(Reason.FRIEND_SETTINGS_FORBID);
        assertThat(cut.released(2)).isTrue();
        assertThat(cut.withheldCount()).isEqualTo(2);
        assertThat(cut.withheldReasonCodes()).containsExactly("FRIEND_SETTINGS_FORBID");
    }

    @Test
    void anAuthorWhoIsNotAFriendFollowsTheSameRuleFriendshipNeitherRequiredNorLoosening() {
        PolicyView view = openWorld();
        view.putSettings(settings(CAROL, 1, T0, true, true));
        assertThat(authors(view, own(MESSAGES_READ), CAROL).released(0)).isTrue();
        view.putSettings(settings(CAROL, 2, T0.plusSeconds(1), true, false));
        assertThat(authors(view, own(MESSAGES_READ), CAROL).reasons(0)).containsExactly(Reason.FRIEND_SETTINGS_FORBID);
    }

    @Test
    void readingOthersMessagesNeedsFriendsDataInConsentAndPurposeButWritingToThemOnlyTheirSettings() {
        PolicyView view = new PolicyView(16);
        view.putPartner(activePartner(false));
        view.putConsent(liveConsent(ALICE, false));
        view.putSettings(settings(BOB, 1, T0, true, true));
        assertThat(authors(view, own(MESSAGES_READ), BOB).reasons(0))
                .containsExactly(Reason.FRIENDS_DATA_NOT_IN_PURPOSE, Reason.FRIENDS_DATA_NOT_CONSENTED);
        DecisionRequest write = new DecisionRequest(PARTNER, "client", PURPOSE, ALICE, ALICE,
                Scope.of(DataCategory.MESSAGES, Operation.WRITE), NOW, null);
        assertThat(authors(view, write, BOB).released(0)).isTrue();
    }
}
