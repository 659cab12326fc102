package custos.server.account;

import static custos.server.account.AccountGateways.expect;
import static custos.server.account.AccountGateways.reasons;
import static custos.server.account.AccountGateways.submit;
import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.consent.ConsentGrant;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.data.DataCategory;
import custos.data.Scope;
import custos.server.oauth.Browser;
import custos.server.store.JdbiPartnerStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Partners with access" over real HTTP: the person signs in and uses the page on one gateway while the partner calls
 * the API on another, so each change is seen to be in force everywhere when the page answers.
 */
@Timeout(180)
class PartnersPageTest {
    static final String PAGE = "/account/partners";
    @RegisterExtension
    static final AccountGateways gw = new AccountGateways();

    @Test
    void withdrawingOnThePageEndsTheConsentAndItsTokensOnTheOtherGatewayBeforeThePageAnswers() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "tunewave", "share-in-messages", List.of("messages:read"), false);
        String threads = "/v1/people/" + person + "/threads";
        assertThat(gw.partnerGet(token, threads).statusCode()).isEqualTo(200);
        Browser browser = gw.signIn(person);
        String page = browser.get(PAGE).body();
        assertThat(page).contains("Tunewave").contains("Read your private messages")
                .contains("Send, read and tidy up songs shared in private messages").contains("1 time in the last 30 days")
                .contains("Withdraw Tunewave's access");
        Consent consent = gw.liveConsent(person, "tunewave");

        HttpResponse<String> done = submit(browser, PAGE + "/withdraw", "consent", Long.toString(consent.id()),
                "version", Integer.toString(consent.version()));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(Browser.location(done)).isEqualTo(PAGE + "?done=withdrawn&partner=tunewave");
        HttpResponse<String> next = gw.partnerGet(token, threads);
        assertThat(next.statusCode()).as("the token of the withdrawn grant, on the other gateway: %s", next.body())
                .isEqualTo(403);
        assertThat(reasons(next)).containsExactly("CONSENT_REVOKED");
        assertThat(gw.consents().find(consent.id()).orElseThrow().withdrawnAt()).isNotNull();
        assertThat(liveTokens(consent.id())).as("tokens of the grant left unrevoked").isZero();
        String after = browser.get(Browser.location(done)).body();
        assertThat(after).contains("You withdrew Tunewave's access").contains("Withdrawn")
                .doesNotContain("Withdraw Tunewave's access");
    }

    @Test
    void unTickingOneScopeRefusesItOnTheOtherGatewayAndTheLastOneWithdraws() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "orbitel", "device-integration", List.of("profile:read", "contacts:read"), false);
        String contacts = "/v1/people/" + person + "/contacts";
        String profile = "/v1/people/" + person + "/profile";
        assertThat(gw.partnerGet(token, contacts).statusCode()).isEqualTo(200);
        Browser browser = gw.signIn(person);
        Consent consent = gw.liveConsent(person, "orbitel");

        HttpResponse<String> done = submit(browser, PAGE + "/remove-scope", "consent", Long.toString(consent.id()),
                "version", Integer.toString(consent.version()), "scope", "contacts:read");

        assertThat(done.statusCode()).isEqualTo(303);
        HttpResponse<String> next = gw.partnerGet(token, contacts);
        assertThat(next.statusCode()).isEqualTo(403);
        assertThat(reasons(next)).contains("SCOPE_NOT_CONSENTED");
        assertThat(gw.partnerGet(token, profile).statusCode()).as("the scope left").isEqualTo(200);
        Consent narrowed = gw.consents().find(consent.id()).orElseThrow();
        assertThat(narrowed.scopes()).containsExactly(Scope.parse("profile:read"));

        HttpResponse<String> last = submit(browser, PAGE + "/remove-scope", "consent", Long.toString(consent.id()),
                "version", Integer.toString(narrowed.version()), "scope", "profile:read");
        assertThat(Browser.location(last)).isEqualTo(PAGE + "?done=withdrawn&partner=orbitel");
        assertThat(gw.consents().find(consent.id()).orElseThrow().withdrawnAt()).as("the last scope withdraws").isNotNull();
        HttpResponse<String> afterLast = gw.partnerGet(token, profile);
        assertThat(afterLast.statusCode()).isEqualTo(403);
        assertThat(reasons(afterLast)).containsExactly("CONSENT_REVOKED");
    }

    @Test
    void takingFriendsDataOutRefusesTheFriendsDataOnTheOtherGateway() throws Exception {
        long person = gw.freshPerson();
        long friend = gw.a.engine().view().friendsOf(person)[0];
        gw.openToFriendsPartners(friend);
        String token = gw.token(person, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        String friendsProfile = "/v1/people/" + friend + "/profile";
        assertThat(gw.partnerGet(token, friendsProfile).statusCode()).isEqualTo(200);
        Browser browser = gw.signIn(person);
        Consent consent = gw.liveConsent(person, "seekfar");
        assertThat(browser.get(PAGE).body()).contains("Take your friends' data out of Seekfar Search's access");

        HttpResponse<String> done = submit(browser, PAGE + "/remove-friends", "consent", Long.toString(consent.id()),
                "version", Integer.toString(consent.version()));

        assertThat(done.statusCode()).isEqualTo(303);
        HttpResponse<String> next = gw.partnerGet(token, friendsProfile);
        assertThat(next.statusCode()).isEqualTo(403);
        assertThat(reasons(next)).contains("FRIENDS_DATA_NOT_CONSENTED");
        assertThat(gw.consents().find(consent.id()).orElseThrow().friendsData()).isFalse();
        assertThat(gw.partnerGet(token, "/v1/people/" + person + "/profile").statusCode()).as("own data").isEqualTo(200);
    }

    @Test
    void aConsentRunningOutWithinThirtyDaysRenewsWithTheSameScopesAndOneFurtherAwayDoesNot() throws Exception {
        long person = gw.freshPerson();
        long tunewave = partnerId("tunewave");
        Instant now = Instant.now();
        Consent expiring = gw.consents().record(new ConsentGrant(person, tunewave, Set.of("share-in-messages"),
                Set.of(Scope.parse("messages:read")), false, "test", ConsentMethod.CONSENT_SCREEN,
                now.minus(Duration.ofDays(700)), now.plus(Duration.ofDays(10))));
        long orbitel = partnerId("orbitel");
        long lastingId = gw.consents().record(new ConsentGrant(person, orbitel, Set.of("device-integration"),
                Set.of(Scope.parse("contacts:read")), false, "test", ConsentMethod.CONSENT_SCREEN,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300)))).id();
        Consent lasting = gw.consents().find(lastingId).orElseThrow();
        Browser browser = gw.signIn(person);
        assertThat(browser.get(PAGE).body()).contains("Renew Tunewave's access")
                .doesNotContain("Renew Orbitel Mobile's access");

        HttpResponse<String> done = submit(browser, PAGE + "/renew", "consent", Long.toString(expiring.id()),
                "version", Integer.toString(expiring.version()));

        assertThat(done.statusCode()).isEqualTo(303);
        Consent renewed = gw.consents().find(expiring.id()).orElseThrow();
        assertThat(renewed.scopes()).containsExactly(Scope.parse("messages:read"));
        assertThat(renewed.friendsData()).isFalse();
        assertThat(renewed.validUntil()).isCloseTo(now.plus(Duration.ofDays(730)), within(Duration.ofMinutes(5)));
        assertThat(renewed.history()).extracting(h -> h.state()).endsWith(ConsentState.RENEWED);

        HttpResponse<String> early = submit(browser, PAGE + "/renew", "consent", Long.toString(lasting.id()),
                "version", Integer.toString(lasting.version()));
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("does not run out within 30 days");
        assertThat(gw.consents().find(lasting.id()).orElseThrow()).isEqualTo(lasting);
    }

    @Test
    void aPartnerThatReachedMeThroughAFriendIsListedWithTheFriendAndWhat() throws Exception {
        long person = gw.freshPerson();
        long friend = gw.a.engine().view().friendsOf(person)[0];
        String friendsToken = gw.seekfarThroughFriend(person, friend);
        HttpResponse<String> list = gw.partnerGet(friendsToken, "/v1/people/" + friend + "/friends?limit=100");
        assertThat(list.body()).contains("\"id\":" + person);
        String friendName = gw.a.database().jdbi().withHandle(h -> h.createQuery("select name from people where id = :id")
                .bind("id", friend).mapTo(String.class).one());

        String page = gw.signIn(person).get(PAGE).body();

        String section = page.substring(page.indexOf("Reached through a friend"), page.indexOf("Expired and withdrawn"));
        assertThat(section).contains("Seekfar Search").contains(friendName.replace("'", "'"))
                .contains("friend list").contains("profile")
                .contains("href=\"/account/settings#category-friends\"").contains("href=\"/account/settings#category-profile\"");
    }

    @Test
    void formsThatAreForgedNotMineMalformedOrStaleChangeNothing() throws Exception {
        long person = gw.freshPerson();
        gw.token(person, "orbitel", "device-integration", List.of("profile:read", "contacts:read"), false);
        Consent mine = gw.liveConsent(person, "orbitel");
        long other = gw.freshPerson();
        gw.token(other, "tunewave", "share-in-messages", List.of("messages:read"), false);
        Consent theirs = gw.liveConsent(other, "tunewave");
        Browser browser = gw.signIn(person);
        String id = Long.toString(mine.id());
        String version = Integer.toString(mine.version());

        List<String> refusals = new ArrayList<>();
        expect(refusals, 403, "did not come from your partners page", browser.post(PAGE + "/withdraw",
                List.of(Map.entry("csrf", "forged"), Map.entry("consent", id), Map.entry("version", version))));
        expect(refusals, 403, "did not come from your partners page", browser.post(PAGE + "/withdraw",
                List.of(Map.entry("consent", id), Map.entry("version", version))));
        expect(refusals, 404, "None of your consents has that number", submit(browser, PAGE + "/withdraw",
                "consent", Long.toString(theirs.id()), "version", Integer.toString(theirs.version())));
        expect(refusals, 404, "None of your consents has that number", submit(browser, PAGE + "/remove-scope",
                "consent", Long.toString(theirs.id()), "version", Integer.toString(theirs.version()), "scope", "messages:read"));
        expect(refusals, 404, "None of your consents has that number", submit(browser, PAGE + "/withdraw",
                "consent", "999999999", "version", "1"));
        for (String malformed : List.of("12abc", "", "-1", "1".repeat(40), "1e3")) {
            expect(refusals, 400, "does not name one of your consents", submit(browser, PAGE + "/withdraw",
                    "consent", malformed, "version", version));
        }
        expect(refusals, 400, "does not name one of your consents", submit(browser, PAGE + "/withdraw",
                "consent", id, "version", "x".repeat(5000)));
        expect(refusals, 400, "does not include that permission", submit(browser, PAGE + "/remove-scope",
                "consent", id, "version", version, "scope", "calendar:read"));
        for (String scope : List.of("messages:fly", "nonsense", "profile:read".repeat(20), "")) {
            expect(refusals, 400, "does not name a permission", submit(browser, PAGE + "/remove-scope",
                    "consent", id, "version", version, "scope", scope));
        }
        expect(refusals, 409, "changed after you opened the page", submit(browser, PAGE + "/withdraw",
                "consent", id, "version", Integer.toString(mine.version() - 1)));
        expect(refusals, 409, "changed after you opened the page", submit(browser, PAGE + "/remove-friends",
                "consent", id, "version", version));
        assertThat(refusals).isEmpty();
        assertThat(gw.consents().find(mine.id()).orElseThrow()).as("my consent").isEqualTo(mine);
        assertThat(gw.consents().find(theirs.id()).orElseThrow()).as("the other person's consent").isEqualTo(theirs);
        assertThat(browser.get(PAGE).body()).as("the other person's partner").doesNotContain("Tunewave");

        // A form from a page shown before a change made elsewhere (another window) is stale.
        gw.a.changes().consents().narrow(mine.id(), Set.of(Scope.parse("profile:read")), false);
        expect(refusals, 409, "changed after you opened the page", submit(browser, PAGE + "/withdraw",
                "consent", id, "version", version));
        gw.a.changes().consents().withdraw(mine.id(), Instant.now());
        Consent withdrawn = gw.consents().find(mine.id()).orElseThrow();
        expect(refusals, 409, "changed after you opened the page", submit(browser, PAGE + "/remove-scope",
                "consent", id, "version", Integer.toString(withdrawn.version()), "scope", "profile:read"));
        assertThat(refusals).isEmpty();
        assertThat(gw.consents().find(mine.id()).orElseThrow()).isEqualTo(withdrawn);
    }

    private static long partnerId(String slug) {
        return new JdbiPartnerStore(gw.a.database().jdbi()).bySlug(slug).orElseThrow().partner().id();
    }

    private static long liveTokens(long consentId) {
        return gw.a.database().jdbi().withHandle(h -> h.createQuery(
                "select count(*) from oauth_tokens where consent_id = :c and revoked_at is null").bind("c", consentId)
                .mapTo(Long.class).one());
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(d.toSeconds(), ChronoUnit.SECONDS);
    }
}
