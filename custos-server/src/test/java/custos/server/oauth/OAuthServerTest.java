package custos.server.oauth;

import custos.server.replay.SimulatedClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import custos.consent.Consent;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.server.http.CustosServer;
import custos.server.http.Json;
import custos.server.pages.Pages;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiSettingsStore;
import custos.people.CategorySetting;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.server.store.Seeder;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The authorization server over real HTTP, on a fresh PostgreSQL database holding the real migrations and a small
 * reference world (the archetype partners with their demo client credentials).
 */
class OAuthServerTest {
    static final String SERVER = custos.server.store.TestStores.SERVER;
    static final long SEED = 7;
    static final String PASSWORD = "correct horse battery";
    static final String TUNEWAVE = "tunewave";
    static final String SHARE = "share-in-messages";
    static final List<String> MESSAGES = List.of("messages:read", "messages:write", "messages:delete");

    static final SimulatedClock clock = new SimulatedClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    static final AtomicLong nextPerson = new AtomicLong(2);
    static String dbName;
    static Database db;
    static OAuthServer oauth;
    static CustosServer server;
    static JdbiConsentStore consents;
    static volatile String base = "http://127.0.0.1:0";

    @BeforeAll
    static void start() {
        dbName = "custos_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        admin("create database " + dbName);
        db = Database.open(DbConfig.external(SERVER + dbName, "postgres", null));
        Seeder.seed(db, new WorldSpec(40, SEED), false);
        consents = new JdbiConsentStore(db.jdbi());
        oauth = OAuthServer.create(db.jdbi(), new JdbiPartnerStore(db.jdbi()), consents, new Pages(),
                OAuthSettings.defaults(() -> URI.create(base), false), clock);
        server = CustosServer.start("127.0.0.1", 0, new SimpleMeterRegistry(), oauth.features());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
        admin("drop database if exists " + dbName + " with (force)");
    }

    // --- client secrets ---------------------------------------------------------------------------------------

    @Test
    void aClientSecretHashOfThePreBcryptFormatStillAuthenticatesAndIsReplacedByABcryptHash() throws Exception {
        String client = TUNEWAVE;
        String plain = secret(client).getValue();
        byte[] salt = new byte[16];
        javax.crypto.spec.PBEKeySpec spec = new javax.crypto.spec.PBEKeySpec(plain.toCharArray(), salt, 10_000, 256);
        byte[] derived = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String legacy = "pbkdf2-sha256$10000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derived);
        db.jdbi().useHandle(h -> h.execute("update partner_clients set secret_hash = ? where client_id = ?", legacy, client));

        HTTPResponse res = revoke(client, new com.nimbusds.oauth2.sdk.token.BearerAccessToken("no-such-token"));

        assertThat(res.getStatusCode()).as(res.getBody()).isEqualTo(200);
        String stored = db.jdbi().withHandle(h -> h.createQuery("select secret_hash from partner_clients where client_id = :c")
                .bind("c", client).mapTo(String.class).one());
        assertThat(stored).startsWith("$2y$");
        assertThat(custos.partner.ClientSecrets.verifies(plain, stored)).isTrue();
    }

    // --- the code flow ------------------------------------------------------------------------------------------

    @Test
    void codeFlowThroughTheConsentScreenGivesATokenWithOnlyTheTickedScopes() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        CodeVerifier verifier = new CodeVerifier();
        URI authorize = authorizeUri(TUNEWAVE, verifier, CodeChallengeMethod.S256, SHARE, MESSAGES, new State("s1"));

        HttpResponse<String> consentPage = logIn(browser, authorize, person);
        assertThat(consentPage.statusCode()).isEqualTo(200);
        assertThat(consentPage.body()).contains("Tunewave wants to reach your data")
                .contains("Read your private messages").contains("Send private messages in your name")
                .contains("Delete your private messages").contains("730 days")
                .contains("This does not include your friends' data");
        assertThat(consentPage.headers().firstValue("x-frame-options")).hasValue("DENY");

        HttpResponse<String> answer = answer(browser, consentPage.body(), List.of("messages:read", "messages:write"), "allow");
        assertThat(answer.statusCode()).isEqualTo(303);
        Map<String, List<String>> params = URLUtils.parseParameters(URI.create(Browser.location(answer)).getQuery());
        assertThat(Browser.location(answer)).startsWith(redirect(TUNEWAVE) + "?");
        assertThat(params.get("state")).containsExactly("s1");
        assertThat(params.get("iss")).containsExactly(base);

        AccessTokenResponse tokens = success(token(TUNEWAVE, new AuthorizationCodeGrant(
                new AuthorizationCode(params.get("code").get(0)), redirect(TUNEWAVE), verifier)));
        assertThat(tokens.getTokens().getAccessToken().getScope().toStringList())
                .containsExactlyInAnyOrder("messages:read", "messages:write");
        assertThat(tokens.getTokens().getRefreshToken()).isNotNull();
        AccessGrant grant = oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue()).orElseThrow();
        assertThat(grant.personId()).isEqualTo(person);
        assertThat(grant.partnerId()).isEqualTo(1);
        assertThat(grant.purpose()).isEqualTo(SHARE);
        assertThat(grant.scopes()).extracting(Object::toString).containsExactlyInAnyOrder("messages:read", "messages:write");
        assertThat(grant.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));

        Consent consent = consents.find(grant.consentId()).orElseThrow();
        assertThat(consent.personId()).isEqualTo(person);
        assertThat(consent.purposes()).containsExactly(SHARE);
        assertThat(consent.scopes()).extracting(Object::toString).containsExactlyInAnyOrder("messages:read", "messages:write");
        assertThat(consent.method()).isEqualTo(ConsentMethod.CONSENT_SCREEN);
        assertThat(consent.noticeVersion()).isEqualTo(ConsentRecorder.NOTICE_VERSION);
        assertThat(consent.validUntil()).isEqualTo(clock.instant().plus(Duration.ofDays(730)));
        assertThat(consent.history()).extracting(c -> c.state()).containsExactly(ConsentState.GIVEN);
        assertThat(policyChanges("consent", consent.id())).isPositive();
    }

    @Test
    void answeringTheConsentScreenAgainRenewsTheSameRecord() throws Exception {
        long person = freshPerson();
        AccessGrant first = grantFor(person, TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        clock.advance(Duration.ofDays(1));
        AccessGrant second = grantFor(person, TUNEWAVE, SHARE, MESSAGES, List.of("messages:read"));
        assertThat(second.consentId()).isEqualTo(first.consentId());
        Consent renewed = consents.find(second.consentId()).orElseThrow();
        assertThat(renewed.history()).extracting(c -> c.state()).containsExactly(ConsentState.GIVEN, ConsentState.RENEWED);
        assertThat(renewed.version()).isEqualTo(2);
        assertThat(renewed.scopes()).extracting(Object::toString).containsExactly("messages:read");
        assertThat(renewed.validUntil()).isEqualTo(clock.instant().plus(Duration.ofDays(730)));
    }

    @Test
    void friendsDataIsOfferedWithACheckboxAndRecordedOnlyWhenTicked() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        CodeVerifier verifier = new CodeVerifier();
        HttpResponse<String> page = logIn(browser, authorizeUri("seekfar", verifier, CodeChallengeMethod.S256,
                "social-search", List.of("profile:read", "friends:read"), new State("f")), person);
        assertThat(page.body()).contains("name=\"friends\"").contains("See who your friends are");
        HttpResponse<String> answer = answer(browser, page.body(), List.of("profile:read", "friends:read"), "allow");
        String code = URLUtils.parseParameters(URI.create(Browser.location(answer)).getQuery()).get("code").get(0);
        AccessTokenResponse tokens = success(token("seekfar", new AuthorizationCodeGrant(new AuthorizationCode(code),
                redirect("seekfar"), verifier)));
        AccessGrant grant = oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue()).orElseThrow();
        assertThat(consents.find(grant.consentId()).orElseThrow().friendsData()).isFalse();
    }

    @Test
    void tickedFriendsBoxRecordsFriendsDataOnTheConsent() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        CodeVerifier verifier = new CodeVerifier();
        HttpResponse<String> page = logIn(browser, authorizeUri("seekfar", verifier, CodeChallengeMethod.S256,
                "social-search", List.of("profile:read", "friends:read"), new State("f")), person);
        HttpResponse<String> answer = browser.post("/oauth2/consent", List.of(Map.entry("csrf", Browser.hidden(page.body(), "csrf")),
                Map.entry("query", Browser.hidden(page.body(), "query")), Map.entry("scope", "friends:read"),
                Map.entry("friends", "yes"), Map.entry("decision", "allow")));
        String code = URLUtils.parseParameters(URI.create(Browser.location(answer)).getQuery()).get("code").get(0);
        AccessTokenResponse tokens = success(token("seekfar", new AuthorizationCodeGrant(new AuthorizationCode(code),
                redirect("seekfar"), verifier)));
        AccessGrant grant = oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue()).orElseThrow();
        Consent consent = consents.find(grant.consentId()).orElseThrow();
        assertThat(consent.friendsData()).isTrue();
        assertThat(consent.scopes()).extracting(Object::toString).containsExactly("friends:read");
    }

    @Test
    void demoPersonLogsInWithTheLoginDerivedFromTheSeed() throws Exception {
        DemoLogin demo = DemoLogin.forWorld(SEED);
        demo.install(oauth.passwords());
        assertThat(demo.personId()).isEqualTo(ReferenceWorld.DEMO_PERSON);
        Browser browser = new Browser(base);
        HttpResponse<String> login = browser.get(pathOf(authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, MESSAGES, new State("demo"))));
        HttpResponse<String> back = browser.post("/oauth2/login", List.of(Map.entry("csrf", Browser.hidden(login.body(), "csrf")),
                Map.entry("query", Browser.hidden(login.body(), "query")), Map.entry("login", "demo"),
                Map.entry("password", demo.password())));
        assertThat(back.statusCode()).isEqualTo(303);
        HttpResponse<String> consent = browser.get(Browser.location(back));
        assertThat(consent.body()).contains("Tunewave wants to reach your data")
                .as("the demo person consented to every archetype before").contains("What you chose last time");

        // The demo person's Tunewave consent covers both its purposes; renewing one keeps the other's scopes.
        Consent before = consents.forPerson(demo.personId()).stream().filter(c -> c.partnerId() == 1).findFirst().orElseThrow();
        assertThat(before.purposes()).contains(SHARE, "listening-profile");
        HttpResponse<String> answer = answer(browser, consent.body(), List.of("messages:read"), "allow");
        assertThat(answer.statusCode()).isEqualTo(303);
        Consent after = consents.find(before.id()).orElseThrow();
        assertThat(after.scopes()).extracting(Object::toString)
                .containsExactlyInAnyOrder("messages:read", "profile:read", "friends:read");
        assertThat(after.history()).last().satisfies(c -> assertThat(c.state()).isEqualTo(ConsentState.RENEWED));
        assertThat(after.version()).isEqualTo(before.version() + 1);
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLax() throws Exception {
        HttpResponse<String> login = new Browser(base).get(pathOf(authorizeUri(TUNEWAVE, new CodeVerifier(),
                CodeChallengeMethod.S256, SHARE, MESSAGES, new State("k"))));
        assertThat(login.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c)
                .startsWith(Sessions.COOKIE + "=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                .as("served over plain http, so not Secure").doesNotContainIgnoringCase("Secure"));
    }

    @Test
    void denyingOnTheConsentScreenRedirectsWithAccessDeniedAndRecordsNothing() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        HttpResponse<String> page = logIn(browser, authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, MESSAGES, new State("d")), person);
        HttpResponse<String> answer = answer(browser, page.body(), MESSAGES, "deny");
        assertThat(errorOf(answer)).isEqualTo("access_denied");
        assertThat(consents.forPerson(person)).allMatch(c -> c.withdrawnAt() != null);
    }

    @Test
    void nothingIsPreTickedOnAFirstConsentAndFriendsDataNeverIs() throws Exception {
        long person = freshPerson();
        HttpResponse<String> page = logIn(new Browser(base), authorizeUri("seekfar", new CodeVerifier(),
                CodeChallengeMethod.S256, "social-search", List.of("profile:read", "friends:read"), new State("p")), person);
        assertThat(page.body()).contains("name=\"friends\"").doesNotContain("What you chose last time");
        assertThat(ticked(page.body())).isEmpty();
    }

    @Test
    void aRenewalScreenShowsWhatWasChosenLastTimeAndPreTicksNothingBeyondIt() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        HttpResponse<String> first = logIn(browser, authorizeUri("seekfar", new CodeVerifier(), CodeChallengeMethod.S256,
                "social-search", List.of("profile:read", "friends:read"), new State("r1")), person);
        List<Map.Entry<String, String>> fields = new ArrayList<>(List.of(Map.entry("csrf", Browser.hidden(first.body(), "csrf")),
                Map.entry("query", Browser.hidden(first.body(), "query")), Map.entry("scope", "profile:read"),
                Map.entry("friends", "yes"), Map.entry("decision", "allow")));
        assertThat(browser.post("/oauth2/consent", fields).statusCode()).isEqualTo(303);

        HttpResponse<String> again = browser.get(pathOf(authorizeUri("seekfar", new CodeVerifier(), CodeChallengeMethod.S256,
                "social-search", List.of("profile:read", "friends:read"), new State("r2"))));
        assertThat(again.body()).contains("What you chose last time").contains("See your name and the city you live in")
                .contains("You also let it reach your friends' data");
        // Only last time's scope starts ticked; friends:read (not chosen) and friends' data (never pre-ticked) do not.
        assertThat(ticked(again.body())).containsExactly("profile:read");
    }

    @Test
    void scopesThePersonsOwnSettingsBlockAreShownBlockedWithTheReasonAndAreNotGranted() throws Exception {
        long person = freshPerson();
        new JdbiSettingsStore(db.jdbi()).newVersion(person, Map.of(DataCategory.FRIENDS,
                new CategorySetting(Visibility.FRIENDS, false, false)), clock.instant().minusSeconds(1));
        Browser browser = new Browser(base);
        CodeVerifier verifier = new CodeVerifier();
        HttpResponse<String> page = logIn(browser, authorizeUri("seekfar", verifier, CodeChallengeMethod.S256,
                "social-search", List.of("profile:read", "friends:read"), new State("b")), person);
        assertThat(page.body()).doesNotContain("value=\"friends:read\"").contains("value=\"profile:read\"")
                .contains("See who your friends are").contains("Your privacy settings keep partners away from your friend list")
                .contains("href=\"/account/settings\"");

        // A stale or tampered form that ticks the blocked scope anyway is granted only the open one.
        HttpResponse<String> answer = answer(browser, page.body(), List.of("profile:read", "friends:read"), "allow");
        String code = URLUtils.parseParameters(URI.create(Browser.location(answer)).getQuery()).get("code").get(0);
        AccessTokenResponse tokens = success(token("seekfar", new AuthorizationCodeGrant(new AuthorizationCode(code),
                redirect("seekfar"), verifier)));
        AccessGrant grant = oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue()).orElseThrow();
        assertThat(consents.find(grant.consentId()).orElseThrow().scopes()).extracting(Object::toString)
                .containsExactly("profile:read");
    }

    @Test
    void theScreenNamesThePartnerAndTheDomainItsAnswerGoesTo() throws Exception {
        HttpResponse<String> page = logIn(new Browser(base), authorizeUri(TUNEWAVE, new CodeVerifier(),
                CodeChallengeMethod.S256, SHARE, MESSAGES, new State("n")), freshPerson());
        assertThat(page.body()).contains("<strong>Tunewave</strong> at <strong>" + redirect(TUNEWAVE).getHost() + "</strong>");
    }

    @Test
    void allowWithNothingTickedShowsTheScreenAgainAndRecordsNothing() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        HttpResponse<String> page = logIn(browser, authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, MESSAGES, new State("e")), person);
        HttpResponse<String> answer = answer(browser, page.body(), List.of(), "allow");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("Nothing is ticked").contains("name=\"scope\"");
        assertThat(consents.forPerson(person)).allMatch(c -> c.withdrawnAt() != null);
    }

    @Test
    void wrongPasswordShowsTheLoginAgain() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        HttpResponse<String> login = browser.get(pathOf(authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, MESSAGES, new State("w"))));
        HttpResponse<String> retry = browser.post("/oauth2/login", List.of(Map.entry("csrf", Browser.hidden(login.body(), "csrf")),
                Map.entry("query", Browser.hidden(login.body(), "query")), Map.entry("login", login(person)),
                Map.entry("password", "not the password")));
        assertThat(retry.statusCode()).isEqualTo(401);
        assertThat(retry.body()).contains("do not match");
    }

    @Test
    void consentFormWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        HttpResponse<String> page = logIn(browser, authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, MESSAGES, new State("c")), person);
        HttpResponse<String> forged = browser.post("/oauth2/consent", List.of(Map.entry("csrf", "guessed"),
                Map.entry("query", Browser.hidden(page.body(), "query")), Map.entry("scope", "messages:read"),
                Map.entry("decision", "allow")));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue("location")).isEmpty();
    }

    @Test
    void consentFormFromASessionThatHasNotLoggedInIsRefused() throws Exception {
        Browser browser = new Browser(base);
        HttpResponse<String> login = browser.get(pathOf(authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, MESSAGES, new State("n"))));
        assertThat(login.body()).as("the session has not logged in").contains("Log in to continue");
        HttpResponse<String> early = browser.post("/oauth2/consent", List.of(Map.entry("csrf", Browser.hidden(login.body(), "csrf")),
                Map.entry("query", Browser.hidden(login.body(), "query")), Map.entry("scope", "messages:read"),
                Map.entry("decision", "allow")));
        assertThat(early.statusCode()).isEqualTo(403);
        assertThat(early.headers().firstValue("location")).isEmpty();
    }

    // --- PKCE ---------------------------------------------------------------------------------------------------

    @Test
    void wrongPkceVerifierIsRefusedAtTheTokenEndpoint() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        TokenErrorResponse error = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE),
                new CodeVerifier())));
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(error.getErrorObject().getDescription()).contains("code_verifier");
    }

    @Test
    void missingPkceVerifierIsRefusedAtTheTokenEndpoint() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        TokenErrorResponse error = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE))));
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void authorizeWithoutCodeChallengeIsRedirectedBackAsInvalidRequest() throws Exception {
        URI uri = authorizeUri(TUNEWAVE, null, null, SHARE, MESSAGES, new State("p"));
        HttpResponse<String> res = new Browser(base).get(pathOf(uri));
        assertThat(errorOf(res)).isEqualTo("invalid_request");
        assertThat(paramsOf(res).get("error_description").get(0)).contains("PKCE");
        assertThat(paramsOf(res).get("state")).containsExactly("p");
    }

    @Test
    void plainPkceMethodIsRefused() throws Exception {
        URI uri = authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.PLAIN, SHARE, MESSAGES, new State("p"));
        HttpResponse<String> res = new Browser(base).get(pathOf(uri));
        assertThat(errorOf(res)).isEqualTo("invalid_request");
        assertThat(paramsOf(res).get("error_description").get(0)).contains("S256");
    }

    // --- codes ----------------------------------------------------------------------------------------------------

    @Test
    void replayedCodeFailsAndRevokesTheTokensIssuedFromIt() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE), flow.verifier());
        AccessTokenResponse first = success(token(TUNEWAVE, grant));
        String access = first.getTokens().getAccessToken().getValue();
        assertThat(oauth.accessTokens().lookup(access)).isPresent();

        TokenErrorResponse replay = failure(token(TUNEWAVE, grant));
        assertThat(replay.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(replay.getErrorObject().getDescription()).contains("already used").contains("revoked");
        assertThat(oauth.accessTokens().lookup(access)).isEmpty();
        assertThat(failure(token(TUNEWAVE, new RefreshTokenGrant(first.getTokens().getRefreshToken())))
                .getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(introspect(TUNEWAVE, first.getTokens().getAccessToken()).isActive()).isFalse();
    }

    @Test
    @Timeout(60)
    void aWrongCodeVerifierSpendsTheCodeWithoutCallingItAReplay() throws Exception {
        long person = freshPerson();
        Issued flow = codeFor(person, TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        TokenErrorResponse wrong = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE),
                new CodeVerifier())));
        assertThat(wrong.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(wrong.getErrorObject().getDescription()).contains("code_verifier").doesNotContain("revoked");

        TokenErrorResponse retry = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE),
                flow.verifier())));
        assertThat(retry.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(retry.getErrorObject().getDescription()).contains("failed").contains("no token was issued")
                .doesNotContain("already used").doesNotContain("revoked");
        assertThat(tokensOf(person)).as("nothing issued, so nothing to revoke").isZero();
    }

    @Test
    @Timeout(60)
    void aWrongRedirectUriSpendsTheCodeWithoutCallingItAReplay() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        TokenErrorResponse wrong = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(),
                URI.create(redirect(TUNEWAVE) + "x"), flow.verifier())));
        assertThat(wrong.getErrorObject().getDescription()).contains("redirect_uri").doesNotContain("revoked");

        TokenErrorResponse retry = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE),
                flow.verifier())));
        assertThat(retry.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(retry.getErrorObject().getDescription()).contains("failed").doesNotContain("revoked");
    }

    @Test
    @Timeout(60)
    void aCodePresentedByAnotherClientIsStillExchangedByItsOwn() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE), flow.verifier());
        TokenErrorResponse stranger = failure(token("northmere", grant));
        assertThat(stranger.getErrorObject().getDescription()).contains("another client");

        AccessTokenResponse own = success(token(TUNEWAVE, grant));
        assertThat(oauth.accessTokens().lookup(own.getTokens().getAccessToken().getValue())).isPresent();
        assertThat(failure(token("northmere", grant)).getErrorObject().getDescription())
                .as("another client's replay revokes nothing of Tunewave's").contains("another client");
        assertThat(oauth.accessTokens().lookup(own.getTokens().getAccessToken().getValue())).isPresent();
    }

    @Test
    void codeOlderThanSixtySecondsIsRefused() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        clock.advance(Duration.ofSeconds(61));
        TokenErrorResponse error = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE),
                flow.verifier())));
        assertThat(error.getErrorObject().getDescription()).contains("expired");
    }

    @Test
    void codeIsBoundToItsClient() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        TokenErrorResponse error = failure(token("northmere", new AuthorizationCodeGrant(flow.code(), redirect(TUNEWAVE),
                flow.verifier())));
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    // --- redirect URIs --------------------------------------------------------------------------------------------

    @Test
    void unregisteredRedirectUriIsShownAnErrorPageNeverRedirected() throws Exception {
        URI uri = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(TUNEWAVE))
                .redirectionURI(URI.create(redirect(TUNEWAVE) + "/../evil")).state(new State("r"))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .authorizationDetails(List.of(detail(SHARE, MESSAGES)))
                .endpointURI(URI.create(base + "/oauth2/authorize")).build().toURI();
        HttpResponse<String> res = new Browser(base).get(pathOf(uri));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.headers().firstValue("location")).isEmpty();
        assertThat(res.body()).contains("not registered");
    }

    @Test
    void tokenRequestWithADifferentRedirectUriIsRefused() throws Exception {
        Issued flow = codeFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        TokenErrorResponse error = failure(token(TUNEWAVE, new AuthorizationCodeGrant(flow.code(),
                URI.create(redirect(TUNEWAVE) + "x"), flow.verifier())));
        assertThat(error.getErrorObject().getDescription()).contains("redirect_uri");
    }

    @Test
    void unknownClientIsShownAnErrorPage() throws Exception {
        URI uri = authorizeUri("no-such-partner", new CodeVerifier(), CodeChallengeMethod.S256, SHARE, MESSAGES, new State("u"));
        HttpResponse<String> res = new Browser(base).get(pathOf(uri));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("invalid_client");
    }

    // --- scopes and purposes --------------------------------------------------------------------------------------

    @Test
    void scopesBeyondTheAgreementAreRefusedAtAuthorize() throws Exception {
        HttpResponse<String> res = new Browser(base).get(pathOf(authorizeUri(TUNEWAVE, new CodeVerifier(),
                CodeChallengeMethod.S256, SHARE, List.of("messages:read", "contacts:read"), new State("e"))));
        assertThat(errorOf(res)).isEqualTo("invalid_scope");
        assertThat(paramsOf(res).get("error_description").get(0)).contains("contacts:read");
    }

    @Test
    void scopeParameterIsAShorthandButThePurposeIsStillRequired() throws Exception {
        String scoped = "/oauth2/authorize?response_type=code&client_id=tunewave&redirect_uri="
                + URLUtils.serializeParameters(Map.of("x", List.of(redirect(TUNEWAVE).toString()))).substring(2)
                + "&state=q&code_challenge=" + com.nimbusds.oauth2.sdk.pkce.CodeChallenge.compute(CodeChallengeMethod.S256,
                new CodeVerifier()).getValue() + "&code_challenge_method=S256&scope=messages%3Aread";
        HttpResponse<String> without = new Browser(base).get(scoped);
        assertThat(errorOf(without)).isEqualTo("invalid_authorization_details");
        String details = URLUtils.serializeParameters(Map.of("authorization_details",
                List.of("[{\"type\":\"custos_purpose\",\"purpose\":\"share-in-messages\"}]")));
        HttpResponse<String> with = new Browser(base).get(scoped + "&" + details);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).contains("Log in to continue");
    }

    @Test
    void consentFormNamingAScopeThatWasNotRequestedIsRefused() throws Exception {
        long person = freshPerson();
        Browser browser = new Browser(base);
        HttpResponse<String> page = logIn(browser, authorizeUri(TUNEWAVE, new CodeVerifier(), CodeChallengeMethod.S256,
                SHARE, List.of("messages:read"), new State("x")), person);
        HttpResponse<String> answer = answer(browser, page.body(), List.of("messages:read", "messages:delete"), "allow");
        assertThat(errorOf(answer)).isEqualTo("invalid_scope");
    }

    @Test
    void refreshCannotWidenBeyondTheConsentedScopes() throws Exception {
        AccessTokenResponse tokens = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, List.of("messages:read"));
        TokenErrorResponse error = failure(token(TUNEWAVE, new RefreshTokenGrant(tokens.getTokens().getRefreshToken()),
                new Scope("messages:read", "messages:delete")));
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_scope");
    }

    @Test
    @Timeout(60)
    void refreshWithANarrowerScopeNarrowsTheAccessTokenButTheRotatedRefreshTokenKeepsTheGrantsScope() throws Exception {
        AccessTokenResponse first = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        AccessTokenResponse narrowed = success(token(TUNEWAVE, new RefreshTokenGrant(first.getTokens().getRefreshToken()),
                new Scope("messages:read")));
        assertThat(narrowed.getTokens().getAccessToken().getScope().toStringList()).containsExactly("messages:read");
        assertThat(oauth.accessTokens().lookup(narrowed.getTokens().getAccessToken().getValue()).orElseThrow().scopes())
                .extracting(Object::toString).containsExactly("messages:read");
        assertThat(introspect(TUNEWAVE, narrowed.getTokens().getRefreshToken()).getScope().toStringList())
                .containsExactlyInAnyOrderElementsOf(MESSAGES);

        AccessTokenResponse full = success(token(TUNEWAVE, new RefreshTokenGrant(narrowed.getTokens().getRefreshToken())));
        assertThat(full.getTokens().getAccessToken().getScope().toStringList()).containsExactlyInAnyOrderElementsOf(MESSAGES);
    }

    @Test
    void refreshAfterARenewalThatNarrowedTheConsentGivesOnlyTheNarrowerScopes() throws Exception {
        long person = freshPerson();
        AccessTokenResponse wide = tokensFor(person, TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        tokensFor(person, TUNEWAVE, SHARE, MESSAGES, List.of("messages:read"));
        AccessTokenResponse refreshed = success(token(TUNEWAVE, new RefreshTokenGrant(wide.getTokens().getRefreshToken())));
        assertThat(refreshed.getTokens().getAccessToken().getScope().toStringList()).containsExactly("messages:read");
    }

    @Test
    void retiredPurposeIsRefusedAtAuthorize() throws Exception {
        HttpResponse<String> res = new Browser(base).get(pathOf(authorizeUri("reelhouse", new CodeVerifier(),
                CodeChallengeMethod.S256, "recommend-to-friends", List.of("messages:write"), new State("v"))));
        assertThat(errorOf(res)).isEqualTo("invalid_authorization_details");
        assertThat(paramsOf(res).get("error_description").get(0)).contains("retired");
    }

    @Test
    void suspendedPartnerIsRefusedAtAuthorizeAndForClientCredentials() throws Exception {
        partnerStore().setStatus(4, custos.partner.PartnerStatus.SUSPENDED);
        HttpResponse<String> res = new Browser(base).get(pathOf(authorizeUri("orbitel", new CodeVerifier(),
                CodeChallengeMethod.S256, "device-integration", List.of("contacts:read"), new State("o"))));
        assertThat(errorOf(res)).isEqualTo("access_denied");
        assertThat(paramsOf(res).get("error_description").get(0)).contains("suspended");
        assertThat(failure(token("orbitel", new ClientCredentialsGrant())).getErrorObject().getCode())
                .isEqualTo("unauthorized_client");
    }

    @Test
    void endedAgreementIsRefusedAtAuthorize() throws Exception {
        long agreement = partnerStore().bySlug("cartwell").orElseThrow().agreements().get(0).id();
        partnerStore().endAgreement(agreement, clock.instant().minusSeconds(5));
        HttpResponse<String> res = new Browser(base).get(pathOf(authorizeUri("cartwell", new CodeVerifier(),
                CodeChallengeMethod.S256, "friend-contact-sync", List.of("profile:read"), new State("a"))));
        assertThat(errorOf(res)).isEqualTo("invalid_authorization_details");
        assertThat(paramsOf(res).get("error_description").get(0)).contains("no agreement in force");
    }

    @Test
    void purposeRetiredAfterTheGrantStopsTheRefresh() throws Exception {
        AccessTokenResponse tokens = tokensFor(freshPerson(), "reelhouse", "sign-in", List.of("profile:read"),
                List.of("profile:read"));
        long purpose = partnerStore().bySlug("reelhouse").orElseThrow().agreements().get(0).purpose("sign-in").orElseThrow().id();
        partnerStore().retirePurpose(purpose, clock.instant().minusSeconds(1));
        TokenErrorResponse error = failure(token("reelhouse", new RefreshTokenGrant(tokens.getTokens().getRefreshToken())));
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(error.getErrorObject().getDescription()).contains("retired");
    }

    // --- refresh, introspection, revocation -----------------------------------------------------------------------

    @Test
    void refreshRotatesAndReuseOfARotatedTokenRevokesTheWholeFamily() throws Exception {
        AccessTokenResponse first = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        RefreshToken r1 = first.getTokens().getRefreshToken();
        AccessTokenResponse second = success(token(TUNEWAVE, new RefreshTokenGrant(r1)));
        RefreshToken r2 = second.getTokens().getRefreshToken();
        assertThat(r2.getValue()).isNotEqualTo(r1.getValue());
        String access2 = second.getTokens().getAccessToken().getValue();
        assertThat(oauth.accessTokens().lookup(access2)).isPresent();

        TokenErrorResponse reuse = failure(token(TUNEWAVE, new RefreshTokenGrant(r1)));
        assertThat(reuse.getErrorObject().getDescription()).contains("already used");
        assertThat(oauth.accessTokens().lookup(access2)).isEmpty();
        assertThat(oauth.accessTokens().lookup(first.getTokens().getAccessToken().getValue())).isEmpty();
        assertThat(failure(token(TUNEWAVE, new RefreshTokenGrant(r2))).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void introspectionReportsActiveRevokedAndExpiredTokens() throws Exception {
        long person = freshPerson();
        AccessTokenResponse tokens = tokensFor(person, TUNEWAVE, SHARE, MESSAGES, List.of("messages:read"));
        TokenIntrospectionSuccessResponse active = introspect(TUNEWAVE, tokens.getTokens().getAccessToken());
        assertThat(active.isActive()).isTrue();
        assertThat(active.getScope().toStringList()).containsExactly("messages:read");
        assertThat(active.getSubject().getValue()).isEqualTo(String.valueOf(person));
        assertThat(active.getClientID().getValue()).isEqualTo(TUNEWAVE);
        assertThat(active.getAuthorizationDetails()).singleElement()
                .satisfies(d -> assertThat(d.getStringField("purpose")).isEqualTo(SHARE));
        assertThat(introspect("northmere", tokens.getTokens().getAccessToken()).isActive())
                .as("another partner learns nothing").isFalse();

        AccessTokenResponse expiring = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        revoke(TUNEWAVE, tokens.getTokens().getAccessToken());
        assertThat(introspect(TUNEWAVE, tokens.getTokens().getAccessToken()).isActive()).isFalse();

        clock.advance(Duration.ofMinutes(16));
        assertThat(introspect(TUNEWAVE, expiring.getTokens().getAccessToken()).isActive()).isFalse();
        assertThat(oauth.accessTokens().lookup(expiring.getTokens().getAccessToken().getValue())).isEmpty();
        assertThat(introspect(TUNEWAVE, expiring.getTokens().getRefreshToken()).isActive()).isTrue();
    }

    @Test
    void revokedAccessTokenFailsTheVeryNextLookup() throws Exception {
        AccessTokenResponse tokens = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        String access = tokens.getTokens().getAccessToken().getValue();
        assertThat(oauth.accessTokens().lookup(access)).isPresent();
        assertThat(revoke(TUNEWAVE, tokens.getTokens().getAccessToken()).getStatusCode()).isEqualTo(200);
        assertThat(oauth.accessTokens().lookup(access)).isEmpty();
        assertThat(success(token(TUNEWAVE, new RefreshTokenGrant(tokens.getTokens().getRefreshToken())))).isNotNull();
    }

    @Test
    void revokingTheRefreshTokenEndsTheWholeGrant() throws Exception {
        AccessTokenResponse tokens = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        revoke(TUNEWAVE, tokens.getTokens().getRefreshToken());
        assertThat(oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue())).isEmpty();
        assertThat(failure(token(TUNEWAVE, new RefreshTokenGrant(tokens.getTokens().getRefreshToken())))
                .getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void withdrawnConsentMakesIntrospectionInactiveAndRefreshFail() throws Exception {
        long person = freshPerson();
        AccessTokenResponse tokens = tokensFor(person, TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        AccessGrant grant = oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue()).orElseThrow();
        consents.withdraw(grant.consentId(), clock.instant());
        assertThat(introspect(TUNEWAVE, tokens.getTokens().getAccessToken()).isActive()).isFalse();
        TokenErrorResponse error = failure(token(TUNEWAVE, new RefreshTokenGrant(tokens.getTokens().getRefreshToken())));
        assertThat(error.getErrorObject().getDescription()).contains("withdrew");
    }

    @Test
    void anotherInstanceDropsARevokedTokenFromItsCacheOnTheFeedEntryOrAfterItsTtl() throws Exception {
        AccessTokens other = new AccessTokens(new TokenStore(db.jdbi()), clock, Duration.ofSeconds(1));
        AccessTokenResponse tokens = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        String access = tokens.getTokens().getAccessToken().getValue();
        long tokenId = other.lookup(access).orElseThrow().tokenId();
        long seq = db.jdbi().withHandle(h -> h.createQuery("select coalesce(max(seq), 0) from policy_changes").mapTo(Long.class).one());

        revoke(TUNEWAVE, tokens.getTokens().getAccessToken());
        var feed = new custos.server.store.JdbiPolicyChangeFeed(db.jdbi()).after(seq, 100);
        assertThat(feed).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo("oauth_token");
            assertThat(c.refId()).isEqualTo(tokenId);
        });
        feed.forEach(other::apply);
        assertThat(other.lookup(access)).isEmpty();

        AccessTokenResponse second = tokensFor(freshPerson(), TUNEWAVE, SHARE, MESSAGES, MESSAGES);
        String access2 = second.getTokens().getAccessToken().getValue();
        assertThat(other.lookup(access2)).isPresent();
        revoke(TUNEWAVE, second.getTokens().getAccessToken());
        clock.advance(Duration.ofSeconds(2));
        assertThat(other.lookup(access2)).as("without the feed, once the cache TTL has passed").isEmpty();
    }

    @Test
    void introspectionAndRevocationAnswerFailedClientsAndMalformedRequestsWithTheOAuthError() throws Exception {
        assertOAuthError(tokenPost("/oauth2/introspect", null, "token=abc"), 401, "invalid_client");
        // RFC 7009 §2.2.1: a revocation without client authentication is a failed client authentication.
        assertOAuthError(tokenPost("/oauth2/revoke", null, "token=abc"), 401, "invalid_client");
        assertOAuthError(tokenPost("/oauth2/token", null, "grant_type=authorization_code&code=x"), 401, "invalid_client");
        for (String endpoint : List.of("/oauth2/introspect", "/oauth2/revoke")) {
            HTTPResponse wrongSecret = tokenPost(endpoint, new ClientSecretBasic(new ClientID(TUNEWAVE), new Secret("wrong")),
                    "token=abc");
            assertOAuthError(wrongSecret, 401, "invalid_client");
            assertThat(wrongSecret.getBodyAsJSONObject().get("error_description")).isEqualTo("unknown client or wrong secret");
            assertOAuthError(tokenPost(endpoint, new ClientSecretBasic(new ClientID(TUNEWAVE), secret(TUNEWAVE)), ""),
                    400, "invalid_request");
        }
    }

    // --- client credentials and client authentication -------------------------------------------------------------

    @Test
    void clientCredentialsGiveATokenWithNoPersonAndNoScopes() throws Exception {
        HTTPResponse res = new TokenRequest(tokenUri(), new ClientSecretPost(new ClientID(TUNEWAVE), secret(TUNEWAVE)),
                new ClientCredentialsGrant()).toHTTPRequest().send();
        AccessTokenResponse tokens = success(res);
        assertThat(tokens.getTokens().getRefreshToken()).isNull();
        AccessGrant grant = oauth.accessTokens().lookup(tokens.getTokens().getAccessToken().getValue()).orElseThrow();
        assertThat(grant.personal()).isFalse();
        assertThat(grant.scopes()).isEmpty();
        assertThat(grant.partnerId()).isEqualTo(1);
        TokenErrorResponse scoped = failure(token(TUNEWAVE, new ClientCredentialsGrant(), new Scope("messages:read")));
        assertThat(scoped.getErrorObject().getCode()).isEqualTo("invalid_scope");
    }

    @Test
    void wrongClientSecretIsInvalidClient() throws Exception {
        HTTPResponse res = new TokenRequest(tokenUri(), new ClientSecretBasic(new ClientID(TUNEWAVE), new Secret("wrong")),
                new ClientCredentialsGrant()).toHTTPRequest().send();
        assertThat(res.getStatusCode()).isEqualTo(401);
        assertThat(res.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
        assertThat(TokenErrorResponse.parse(res).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    @Test
    void guessingAClientSecretIsThrottledAndEvenTheRightSecretWaits() throws Exception {
        String client = "cartwell";
        for (int i = 0; i < ClientAuthenticator.LIMITS.perLogin(); i++) {
            HTTPResponse wrong = new TokenRequest(tokenUri(), new ClientSecretBasic(new ClientID(client), new Secret("guess" + i)),
                    new ClientCredentialsGrant()).toHTTPRequest().send();
            assertThat(wrong.getStatusCode()).as("guess " + i).isEqualTo(401);
        }
        HTTPResponse right = new TokenRequest(tokenUri(), new ClientSecretBasic(new ClientID(client), secret(client)),
                new ClientCredentialsGrant()).toHTTPRequest().send();
        assertThat(right.getStatusCode()).isEqualTo(429);
        assertThat(Long.parseLong(right.getHeaderValue("Retry-After"))).isPositive();
        assertThat(TokenErrorResponse.parse(right).getErrorObject().getCode()).isEqualTo("invalid_client");
        HTTPResponse introspect = tokenPost("/oauth2/introspect", new ClientSecretBasic(new ClientID(client), secret(client)),
                "token=abc");
        assertThat(introspect.getStatusCode()).isEqualTo(429);
        // Another client from the same address is not locked by this one's failures.
        assertThat(new TokenRequest(tokenUri(), new ClientSecretBasic(new ClientID(TUNEWAVE), secret(TUNEWAVE)),
                new ClientCredentialsGrant()).toHTTPRequest().send().getStatusCode()).isEqualTo(200);
    }

    @Test
    void passwordGrantIsNotSupported() throws Exception {
        HTTPResponse res = new TokenRequest(tokenUri(), new ClientSecretBasic(new ClientID(TUNEWAVE), secret(TUNEWAVE)),
                new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant("someone", new Secret("pw")))
                .toHTTPRequest().send();
        assertThat(res.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(res).getErrorObject().getCode()).isEqualTo("unsupported_grant_type");
    }

    // --- metadata -----------------------------------------------------------------------------------------------

    @Test
    @Timeout(60)
    void metadataIsServedAtTheRfc8414PathAndPromisesOnlyWhatExists() throws Exception {
        HttpResponse<String> res = new Browser(base).get("/.well-known/oauth-authorization-server");
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode m = Json.MAPPER.readTree(res.body());
        assertThat(m.get("issuer").asText()).isEqualTo(base);
        assertThat(m.get("token_endpoint").asText()).isEqualTo(base + "/oauth2/token");
        assertThat(m.get("authorization_endpoint").asText()).isEqualTo(base + "/oauth2/authorize");
        assertThat(m.get("introspection_endpoint").asText()).isEqualTo(base + "/oauth2/introspect");
        assertThat(m.get("revocation_endpoint").asText()).isEqualTo(base + "/oauth2/revoke");
        assertThat(m.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(m.get("authorization_details_types_supported").toString()).isEqualTo("[\"custos_purpose\"]");
        assertThat(m.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(strings(m.get("grant_types_supported")))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
        assertThat(strings(m.get("response_types_supported"))).containsExactly("code");
        assertThat(strings(m.get("token_endpoint_auth_methods_supported")))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");

        assertThat(strings(m.get("scopes_supported"))).containsExactlyInAnyOrder("profile:read", "profile.contact:read",
                "friends:read", "messages:read", "messages:write", "messages:delete", "contacts:read", "calendar:read");
        assertThat(m.has("jwks_uri")).as("the server signs nothing a client verifies").isFalse();
        assertThat(new Browser(base).get("/oauth2/jwks").statusCode()).isEqualTo(404);
    }

    @Test
    @Timeout(60)
    void advertisedScopesAreThePartnerApisOwnAndCoverEveryScopeAPurposeNames() throws Exception {
        JsonNode metadata = Json.MAPPER.readTree(new Browser(base).get("/.well-known/oauth-authorization-server").body());
        List<String> advertised = strings(metadata.get("scopes_supported"));
        JsonNode openApi;
        try (var in = OAuthServerTest.class.getResourceAsStream("/api/openapi.json")) {
            openApi = Json.MAPPER.readTree(in);
        }
        List<String> declared = new ArrayList<>();
        openApi.get("components").get("securitySchemes").forEach(scheme -> {
            if (scheme.has("flows")) {
                scheme.get("flows").forEach(flow -> flow.get("scopes").fieldNames().forEachRemaining(declared::add));
            }
        });
        assertThat(advertised).containsExactlyInAnyOrderElementsOf(declared);
        List<String> named = db.jdbi().withHandle(h -> h.createQuery("select distinct scope from purpose_scopes")
                .mapTo(String.class).list());
        assertThat(advertised).containsAll(named);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    record Issued(AuthorizationCode code, CodeVerifier verifier) {}

    /** A person with a login and no consent in force (the seeded ones are withdrawn), so each test starts clean. */
    static long freshPerson() {
        long person = nextPerson.getAndIncrement();
        oauth.passwords().set(person, login(person), PASSWORD);
        consents.forPerson(person).forEach(c -> consents.withdraw(c.id(), clock.instant().minusSeconds(1)));
        // Default settings (partners may reach every category on consent): the seeded ones may block some, which the
        // consent screen shows as blocked; the test about that sets them itself.
        new JdbiSettingsStore(db.jdbi()).newVersion(person, Map.of(), clock.instant().minusSeconds(1));
        return person;
    }

    static JdbiPartnerStore partnerStore() {
        return new JdbiPartnerStore(db.jdbi());
    }

    static String login(long person) {
        return "person-" + person;
    }

    static HttpResponse<String> logIn(Browser browser, URI authorize, long person) throws Exception {
        HttpResponse<String> login = browser.get(pathOf(authorize));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.body()).contains("Log in to continue");
        HttpResponse<String> back = browser.post("/oauth2/login", List.of(Map.entry("csrf", Browser.hidden(login.body(), "csrf")),
                Map.entry("query", Browser.hidden(login.body(), "query")), Map.entry("login", login(person)),
                Map.entry("password", PASSWORD)));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        return browser.get(Browser.location(back));
    }

    static HttpResponse<String> answer(Browser browser, String page, List<String> ticked, String decision) throws Exception {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("csrf", Browser.hidden(page, "csrf")));
        fields.add(Map.entry("query", Browser.hidden(page, "query")));
        ticked.forEach(s -> fields.add(Map.entry("scope", s)));
        fields.add(Map.entry("decision", decision));
        return browser.post("/oauth2/consent", fields);
    }

    static Issued codeFor(long person, String client, String purpose, List<String> asked, List<String> ticked) throws Exception {
        Browser browser = new Browser(base);
        CodeVerifier verifier = new CodeVerifier();
        HttpResponse<String> page = logIn(browser, authorizeUri(client, verifier, CodeChallengeMethod.S256, purpose, asked,
                new State()), person);
        HttpResponse<String> answer = answer(browser, page.body(), ticked, "allow");
        String code = URLUtils.parseParameters(URI.create(Browser.location(answer)).getQuery()).get("code").get(0);
        return new Issued(new AuthorizationCode(code), verifier);
    }

    static AccessTokenResponse tokensFor(long person, String client, String purpose, List<String> asked, List<String> ticked)
            throws Exception {
        Issued flow = codeFor(person, client, purpose, asked, ticked);
        return success(token(client, new AuthorizationCodeGrant(flow.code(), redirect(client), flow.verifier())));
    }

    static AccessGrant grantFor(long person, String client, String purpose, List<String> asked, List<String> ticked)
            throws Exception {
        return oauth.accessTokens().lookup(tokensFor(person, client, purpose, asked, ticked).getTokens().getAccessToken()
                .getValue()).orElseThrow();
    }

    static URI authorizeUri(String client, CodeVerifier verifier, CodeChallengeMethod method, String purpose,
                            List<String> scopes, State state) {
        AuthorizationRequest.Builder b = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(client))
                .redirectionURI(redirect(client)).state(state)
                .authorizationDetails(List.of(detail(purpose, scopes)))
                .endpointURI(URI.create(base + "/oauth2/authorize"));
        if (verifier != null) {
            b.codeChallenge(verifier, method);
        }
        return b.build().toURI();
    }

    static AuthorizationDetail detail(String purpose, List<String> scopes) {
        return new AuthorizationDetail.Builder(new AuthorizationType("custos_purpose"))
                .field("purpose", purpose).field("scopes", new ArrayList<>(scopes)).build();
    }

    static URI redirect(String slug) {
        return URI.create("http://localhost:8080/partner-callback/" + slug);
    }

    static Secret secret(String slug) {
        return new Secret(ReferenceWorld.clientSecret(SEED, slug));
    }

    static URI tokenUri() {
        return URI.create(base + "/oauth2/token");
    }

    static HTTPResponse token(String client, AuthorizationGrant grant) throws Exception {
        return token(client, grant, null);
    }

    static HTTPResponse token(String client, AuthorizationGrant grant, Scope scope) throws Exception {
        return new TokenRequest(tokenUri(), new ClientSecretBasic(new ClientID(client), secret(client)), grant, scope)
                .toHTTPRequest().send();
    }

    static AccessTokenResponse success(HTTPResponse res) throws Exception {
        TokenResponse parsed = TokenResponse.parse(res);
        assertThat(parsed.indicatesSuccess()).as(res.getBody()).isTrue();
        return parsed.toSuccessResponse();
    }

    static TokenErrorResponse failure(HTTPResponse res) throws Exception {
        TokenResponse parsed = TokenResponse.parse(res);
        assertThat(parsed.indicatesSuccess()).as("expected an error").isFalse();
        return parsed.toErrorResponse();
    }

    static TokenIntrospectionSuccessResponse introspect(String client, Token token) throws Exception {
        HTTPResponse res = new TokenIntrospectionRequest(URI.create(base + "/oauth2/introspect"),
                new ClientSecretBasic(new ClientID(client), secret(client)), token).toHTTPRequest().send();
        TokenIntrospectionResponse parsed = TokenIntrospectionResponse.parse(res);
        assertThat(parsed.indicatesSuccess()).as(res.getBody()).isTrue();
        return parsed.toSuccessResponse();
    }

    static HTTPResponse revoke(String client, Token token) throws Exception {
        return new TokenRevocationRequest(URI.create(base + "/oauth2/revoke"),
                new ClientSecretBasic(new ClientID(client), secret(client)), token).toHTTPRequest().send();
    }

    static HTTPResponse tokenPost(String endpoint, ClientSecretBasic auth, String form) throws Exception {
        HTTPRequest req = new HTTPRequest(HTTPRequest.Method.POST, URI.create(base + endpoint));
        req.setEntityContentType(ContentType.APPLICATION_URLENCODED);
        req.setBody(form);
        if (auth != null) {
            auth.applyTo(req);
        }
        return req.send();
    }

    /** An RFC 6749 §5.2 error; invalid_client, and only it, with the Basic challenge. */
    static void assertOAuthError(HTTPResponse res, int status, String error) throws Exception {
        assertThat(res.getStatusCode()).as(res.getBody()).isEqualTo(status);
        assertThat(res.getBodyAsJSONObject().get("error")).isEqualTo(error);
        assertThat(res.getHeaderValue("WWW-Authenticate"))
                .isEqualTo(error.equals("invalid_client") ? "Basic realm=\"custos\"" : null);
    }

    static String pathOf(URI uri) {
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    static Map<String, List<String>> paramsOf(HttpResponse<?> res) {
        return URLUtils.parseParameters(URI.create(Browser.location(res)).getRawQuery());
    }

    static String errorOf(HttpResponse<?> res) {
        assertThat(res.statusCode()).as(String.valueOf(res.body())).isEqualTo(303);
        List<String> error = paramsOf(res).get("error");
        assertThat(error).as("error in " + Browser.location(res)).isNotNull();
        return error.get(0);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The scope checkboxes a consent page renders ticked. */
    static List<String> ticked(String page) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<input type=\"checkbox\" name=\"(scope|friends)\""
                + " value=\"([^\"]*)\"( checked)?").matcher(page);
        while (m.find()) {
            if (m.group(3) != null) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    static long tokensOf(long person) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from oauth_tokens where person_id = :p")
                .bind("p", person).mapTo(Long.class).one());
    }

    static long policyChanges(String kind, long refId) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from policy_changes where kind = :k and ref_id = :r")
                .bind("k", kind).bind("r", refId).mapTo(Long.class).one());
    }

    static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
