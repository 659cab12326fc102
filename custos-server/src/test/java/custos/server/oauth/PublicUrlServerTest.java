package custos.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import custos.server.CustosApp;
import custos.server.http.Json;
import custos.server.http.PublicUrl;
import custos.server.store.Database;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway told its public URL, as behind a TLS-terminating proxy: reached here over plain HTTP at 127.0.0.1, it
 * still names itself by the public URL everywhere a client checks (metadata, the {@code iss} of the code response,
 * introspection) and marks its session cookie Secure, whatever {@code Host} or forwarded headers a request carries.
 */
@Timeout(60)
class PublicUrlServerTest {
    static final String PUBLIC = "https://custos.example.com";
    static final long SEED = 5;
    static final long PERSON = 3;

    static TestStores.Target target;
    static CustosApp app;
    static String local;

    @BeforeAll
    static void start() {
        target = TestStores.server();
        Database db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(30, SEED), false);
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withPublicUrl(PublicUrl.parse(PUBLIC + "/")));
        app.oauth().passwords().set(PERSON, "proxied", "a long enough password");
        local = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        target.cleanup().run();
    }

    @Test
    void metadataNamesThePublicUrlAsIssuerAndBaseOfEveryEndpointWhateverTheRequestSays() throws Exception {
        HttpResponse<String> res = new Browser(local).get("/.well-known/oauth-authorization-server",
                "X-Forwarded-Host", "attacker.example", "X-Forwarded-Proto", "http", "Forwarded", "host=attacker.example");
        JsonNode m = Json.MAPPER.readTree(res.body());
        assertThat(m.get("issuer").asText()).isEqualTo(PUBLIC);
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "introspection_endpoint",
                "revocation_endpoint")) {
            assertThat(m.get(endpoint).asText()).as(endpoint).startsWith(PUBLIC + "/oauth2/");
        }
        assertThat(res.body()).doesNotContain("127.0.0.1").doesNotContain("localhost:").doesNotContain("attacker");
    }

    @Test
    void theCodeResponseCarriesThePublicUrlAsIssAndTheSessionCookieIsSecure() throws Exception {
        Browser browser = Browser.behindTlsProxy(local);
        CodeVerifier verifier = new CodeVerifier();
        URI redirect = URI.create("http://localhost:8080/partner-callback/tunewave");
        URI authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID("tunewave"))
                .redirectionURI(redirect).state(new State("pub")).codeChallenge(verifier, CodeChallengeMethod.S256)
                .authorizationDetails(List.of(OAuthServerTest.detail("share-in-messages", List.of("messages:read"))))
                .endpointURI(URI.create(local + "/oauth2/authorize")).build().toURI();

        HttpResponse<String> login = browser.get(OAuthServerTest.pathOf(authorize));
        assertThat(login.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c)
                .startsWith(Sessions.COOKIE + "=").containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly"));
        HttpResponse<String> back = browser.post("/oauth2/login", List.of(Map.entry("csrf", Browser.hidden(login.body(), "csrf")),
                Map.entry("query", Browser.hidden(login.body(), "query")), Map.entry("login", "proxied"),
                Map.entry("password", "a long enough password")));
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        HttpResponse<String> consent = browser.get(Browser.location(back));
        HttpResponse<String> answer = OAuthServerTest.answer(browser, consent.body(), List.of("messages:read"), "allow");
        Map<String, List<String>> params = URLUtils.parseParameters(URI.create(Browser.location(answer)).getRawQuery());
        assertThat(params.get("iss")).containsExactly(PUBLIC);

        TokenResponse tokens = TokenResponse.parse(new TokenRequest(URI.create(local + "/oauth2/token"),
                new ClientSecretBasic(new ClientID("tunewave"), new Secret(ReferenceWorld.clientSecret(SEED, "tunewave"))),
                new AuthorizationCodeGrant(new AuthorizationCode(params.get("code").get(0)), redirect, verifier))
                .toHTTPRequest().send());
        assertThat(tokens.indicatesSuccess()).isTrue();
    }
}
