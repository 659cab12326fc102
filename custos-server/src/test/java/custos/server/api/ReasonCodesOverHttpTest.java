package custos.server.api;

import static custos.server.api.ApiFixture.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.people.CategorySetting;
import custos.people.Visibility;
import custos.partner.PartnerStatus;
import custos.data.DataCategory;
import custos.policy.Reason;
import custos.server.CustosApp;
import custos.server.audit.AccessHistory;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiSettingsStore;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every reason code the decision engine has is produced by a partner's HTTP request to the gateway, and shows in
 * the denial (or, for a person the token cannot reach, in the audit log behind a 404 that reveals nothing). The
 * last check fails when a reason is added without a way to produce it over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReasonCodesOverHttpTest {
    private ApiFixture api;
    private final Set<Reason> seen = EnumSet.noneOf(Reason.class);

    @BeforeAll
    void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 40));
    }

    @AfterAll
    void everyReasonWasProducedOverHttp() {
        try {
            assertThat(seen).as("reasons produced over HTTP by this class").isEqualTo(EnumSet.allOf(Reason.class));
        } finally {
            api.close();
        }
    }

    private List<String> denied(HttpResponse<String> res, int status) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(res.headers().firstValue(Gate.RECEIPT_HEADER)).isPresent();
        List<String> reasons = reasons(res);
        reasons.forEach(r -> seen.add(Reason.valueOf(r)));
        return reasons;
    }

    private List<Long> friends(long person) {
        List<Long> out = new ArrayList<>();
        for (long f : api.app.engine().view().friendsOf(person)) {
            out.add(f);
        }
        return out;
    }

    @Test
    void aSuspendedPartnerIsDeniedOnItsNextRequest() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "orbitel", "device-integration", List.of("profile:read"), false);
        var partners = new JdbiPartnerStore(api.db.jdbi());
        long id = partners.bySlug("orbitel").orElseThrow().partner().id();
        partners.setStatus(id, PartnerStatus.SUSPENDED);
        api.barrier();
        try {
            assertThat(denied(api.get(t, "/v1/people/" + p + "/profile"), 403)).contains("PARTNER_SUSPENDED");
        } finally {
            partners.setStatus(id, PartnerStatus.ACTIVE);
            api.barrier();
        }
    }

    @Test
    void aLapsedPartnerIsDeniedAsDormantNotAsSuspended() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "orbitel", "device-integration", List.of("profile:read"), false);
        var partners = new JdbiPartnerStore(api.db.jdbi());
        long id = partners.bySlug("orbitel").orElseThrow().partner().id();
        var barrier = new custos.server.policy.ChangeBarrier(api.db.jdbi(),
                new custos.server.store.JdbiPolicyChangeFeed(api.db.jdbi()));
        new custos.server.compliance.JdbcPartnerActivity(api.db.jdbi(), barrier).lapse(id, Instant.now(), Instant.EPOCH);
        try {
            assertThat(denied(api.get(t, "/v1/people/" + p + "/profile"), 403)).contains("PARTNER_DORMANT")
                    .doesNotContain("PARTNER_SUSPENDED");
        } finally {
            partners.setStatus(id, PartnerStatus.ACTIVE);
            api.barrier();
        }
    }

    @Test
    void anAgreementSuspendedForWantOfRecertificationDeniesWithRecertificationOverdue() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "orbitel", "device-integration", List.of("profile:read"), false);
        long agreement = new JdbiPartnerStore(api.db.jdbi()).bySlug("orbitel").orElseThrow().agreements().stream()
                .filter(a -> a.purpose("device-integration").isPresent()).findFirst().orElseThrow().id();
        var store = new custos.server.compliance.JdbcRecertificationStore(api.db.jdbi(),
                new custos.server.policy.ChangeBarrier(api.db.jdbi(), new custos.server.store.JdbiPolicyChangeFeed(api.db.jdbi())));
        store.suspend(agreement, Instant.now().minusSeconds(1));
        try {
            assertThat(denied(api.get(t, "/v1/people/" + p + "/profile"), 403)).contains("RECERTIFICATION_OVERDUE");
        } finally {
            new custos.compliance.Recertification(store).recertify(agreement, Instant.now(), "test", "lifted", 365);
        }
        assertThat(api.get(t, "/v1/people/" + p + "/profile").statusCode()).isEqualTo(200);
    }

    @Test
    void aPartnersOwnTokenReachesNobodyNoAgreementNoConsent() throws Exception {
        long p = api.freshPerson();
        String t = api.clientToken("seekfar");
        assertThat(denied(api.get(t, "/v1/people/" + p + "/profile"), 403)).contains("NO_AGREEMENT", "NO_CONSENT");
    }

    @Test
    void anEndedAgreementDeniesWithAgreementExpired() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "cartwell", "friend-contact-sync", List.of("profile:read"), false);
        var partners = new JdbiPartnerStore(api.db.jdbi());
        long agreement = partners.bySlug("cartwell").orElseThrow().agreements().stream()
                .filter(a -> a.purpose("friend-contact-sync").isPresent()).findFirst().orElseThrow().id();
        partners.endAgreement(agreement, Instant.now().minusSeconds(1));
        api.barrier();
        assertThat(denied(api.get(t, "/v1/people/" + p + "/profile"), 403)).contains("AGREEMENT_EXPIRED");
    }

    @Test
    void aRetiredPurposeDeniesWithPurposeRetired() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "northmere", "pay-friends-in-messages", List.of("messages:read"), false);
        var partners = new JdbiPartnerStore(api.db.jdbi());
        var purpose = partners.bySlug("northmere").orElseThrow().agreements().stream()
                .flatMap(a -> a.purpose("pay-friends-in-messages").stream()).findFirst().orElseThrow();
        partners.retirePurpose(purpose.id(), Instant.now().minusSeconds(1));
        api.barrier();
        assertThat(denied(api.get(t, "/v1/people/" + p + "/threads"), 403)).contains("PURPOSE_RETIRED");
    }

    @Test
    void aScopeOutsideThePurposeIsDeniedEvenBeforeConsentIsAsked() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "seekfar", "social-search", List.of("profile:read"), false);
        assertThat(denied(api.get(t, "/v1/people/" + p + "/contacts"), 403))
                .contains("SCOPE_NOT_IN_PURPOSE", "SCOPE_NOT_CONSENTED");
    }

    @Test
    void friendsDataUnderAPurposeWithoutItIsDenied() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "tunewave", "listening-profile", List.of("profile:read", "friends:read"), true);
        long friend = friends(p).get(0);
        assertThat(denied(api.get(t, "/v1/people/" + friend + "/profile"), 403)).contains("FRIENDS_DATA_NOT_IN_PURPOSE");
    }

    @Test
    void friendsDataTheConsentLeftOutIsDenied() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), false);
        long friend = friends(p).get(0);
        assertThat(denied(api.get(t, "/v1/people/" + friend + "/profile"), 403)).contains("FRIENDS_DATA_NOT_CONSENTED");
    }

    @Test
    void aFriendsOwnSettingsDenyTheirFriendsPartners() throws Exception {
        long p = api.freshPerson();
        long friend = friends(p).get(0);
        var settings = new JdbiSettingsStore(api.db.jdbi());
        settings.newVersion(friend, Map.of(DataCategory.PROFILE, new CategorySetting(Visibility.FRIENDS, true, false)),
                Instant.now().minusSeconds(1));
        api.barrier();
        String t = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        // A 404 like a stranger's, so probing ids reveals no hidden friendship; the entry keeps the true reason.
        var res = api.get(t, "/v1/people/" + friend + "/profile");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(404);
        assertThat(ApiFixture.json(res).path("reasons").isMissingNode()).isTrue();
        assertThat(logged(res, friend)).containsExactly("FRIEND_SETTINGS_FORBID");
    }

    /** The reasons of the entry behind an answer, counted as produced. */
    private List<String> logged(HttpResponse<String> res, long subject) {
        List<String> reasons = api.entry(res, subject).reasons();
        reasons.forEach(r -> seen.add(Reason.valueOf(r)));
        return reasons;
    }

    @Test
    void aMalformedRequestIsA400AndTheLogSaysInvalidRequest() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "tunewave", "share-in-messages", List.of("messages:write"), false);
        var res = api.send(t, "POST", "/v1/people/" + p + "/messages", "{\"to\":" + friends(p).get(0) + ",\"body\":\"\\u0000\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(logged(res, p)).containsExactly("INVALID_REQUEST");
    }

    @Test
    void somethingNotThereAfterAnAllowableDecisionIsA404AndTheLogSaysNoSuchResource() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "tunewave", "share-in-messages", List.of("messages:delete"), false);
        var res = api.send(t, "DELETE", "/v1/people/" + p + "/messages/987654321", null);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(404);
        assertThat(logged(res, p)).containsExactly("NO_SUCH_RESOURCE");
    }

    @Test
    void thePersonsOwnSettingsDenyEvenAFullConsent() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "orbitel", "device-integration", List.of("contacts:read"), false);
        new JdbiSettingsStore(api.db.jdbi()).newVersion(p, Map.of(DataCategory.CONTACTS,
                new CategorySetting(Visibility.FRIENDS, false, false)), Instant.now().minusSeconds(1));
        api.barrier();
        assertThat(denied(api.get(t, "/v1/people/" + p + "/contacts"), 403)).containsExactly("SETTINGS_FORBID");
    }

    @Test
    void withdrawnAndExpiredConsentsAreDeniedWithTheirReason() throws Exception {
        assertThat(deniedAfterConsentEnds("valid_until")).contains("CONSENT_EXPIRED");
        assertThat(deniedAfterConsentEnds("withdrawn_at")).contains("CONSENT_REVOKED");
    }

    /** A fresh person's tunewave consent ends a second ago by {@code column}; what their token's next request gets. */
    private List<String> deniedAfterConsentEnds(String column) throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "tunewave", "share-in-messages", List.of("messages:read"), false);
        api.db.jdbi().useHandle(h -> h.createUpdate("update consents set " + column + " = now() - interval '1 second',"
                + " version = version + 1 where person_id = :p and withdrawn_at is null").bind("p", p).execute());
        api.barrier();
        return denied(api.get(t, "/v1/people/" + p + "/threads"), 403);
    }

    @Test
    void aPersonOutsideTheTokensCircleIsA404AndTheLogSaysNotFriends() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        long stranger = 1;
        while (stranger == p || api.app.engine().view().areFriends(p, stranger)) {
            stranger++;
        }
        var res = api.get(t, "/v1/people/" + stranger + "/profile");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(ApiFixture.json(res).path("reasons").isMissingNode()).as("a 404 says nothing about why").isTrue();
        long s = stranger;
        AccessEvent logged = new AccessHistory(api.db.jdbi()).of(stranger, 10).stream()
                .filter(e -> e.role() == AccessHistory.Role.SUBJECT && e.event() != null && e.event().actor() == p)
                .findFirst().orElseThrow(() -> new AssertionError("no audit entry in " + s + "'s history")).event();
        assertThat(logged.reasons()).contains("NOT_FRIENDS");
        logged.reasons().forEach(r -> seen.add(Reason.valueOf(r)));
    }

    @Test
    void aTokenOverItsRateIsA429WithRetryAfter() throws Exception {
        long p = api.freshPerson();
        String t = api.token(p, "seekfar", "social-search", List.of("profile:read"), false);
        HttpResponse<String> last = null;
        for (int i = 0; i < 400 && (last == null || last.statusCode() == 200); i++) {
            last = api.get(t, "/v1/people/" + p + "/profile");
        }
        assertThat(denied(last, 429)).contains("RATE_LIMITED");
        assertThat(last.headers().firstValue("retry-after")).isPresent();
    }
}
