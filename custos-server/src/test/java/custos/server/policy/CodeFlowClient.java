package custos.server.policy;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import custos.world.ReferenceWorld;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One partner's client of the code flow with PKCE, keeping what {@code PartnerSide} does not hand out: the code (to
 * replay it) and the refresh token (to rotate and reuse it). The person's browser ticks every asked scope.
 */
final class CodeFlowClient {
    private static final Pattern HIDDEN = Pattern.compile("name=\"(csrf|query)\" value=\"([^\"]*)\"");

    /** A code as the partner's callback received it, with the verifier only the partner knows. */
    record Code(AuthorizationCode code, CodeVerifier verifier) {}

    private final String partner;
    private final ClientSecretBasic auth;
    private final URI redirect;
    private final Map<Long, HttpClient> browsers = new ConcurrentHashMap<>();

    CodeFlowClient(String partner) {
        this.partner = partner;
        this.auth = new ClientSecretBasic(new ClientID(partner), new Secret(ReferenceWorld.clientSecret(TwoGateways.SEED, partner)));
        this.redirect = URI.create("http://localhost:8080/partner-callback/" + partner);
    }

    /** Logs the person in at {@code base}, allows {@code scopes} for {@code purpose}, returns the code. */
    Code authorize(String base, long person, String purpose, List<String> scopes, boolean friends) throws Exception {
        // One browser per person: after the first login its session cookie (valid on both gateways) skips the login.
        HttpClient browser = browsers.computeIfAbsent(person, p -> HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).followRedirects(HttpClient.Redirect.NEVER).build());
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationDetail detail = new AuthorizationDetail.Builder(new AuthorizationType("custos_purpose"))
                .field("purpose", purpose).field("scopes", new ArrayList<>(scopes)).build();
        URI authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(partner))
                .redirectionURI(redirect).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .authorizationDetails(List.of(detail)).endpointURI(URI.create(base + "/oauth2/authorize")).build().toURI();
        String consent = expect(browser.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString()), 200).body();
        if (consent.contains("name=\"password\"")) {
            String next = location(expect(post(browser, base + "/oauth2/login", List.of(Map.entry("csrf", hidden(consent, "csrf")),
                    Map.entry("query", hidden(consent, "query")), Map.entry("login", "person-" + person),
                    Map.entry("password", TwoGateways.PASSWORD))), 303));
            consent = expect(browser.send(HttpRequest.newBuilder(URI.create(base).resolve(next)).build(),
                    HttpResponse.BodyHandlers.ofString()), 200).body();
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("csrf", hidden(consent, "csrf")));
        fields.add(Map.entry("query", hidden(consent, "query")));
        scopes.forEach(s -> fields.add(Map.entry("scope", s)));
        if (friends) {
            fields.add(Map.entry("friends", "yes"));
        }
        fields.add(Map.entry("decision", "allow"));
        String back = location(post(browser, base + "/oauth2/consent", fields));
        List<String> code = URLUtils.parseParameters(URI.create(back).getRawQuery()).get("code");
        if (code == null || code.isEmpty()) {
            throw new AssertionError("no code for " + partner + "/" + purpose + ": " + back);
        }
        return new Code(new AuthorizationCode(code.get(0)), verifier);
    }

    /** Exchanges a code at {@code base}: the token response, success or error. */
    TokenResponse exchange(String base, Code code) throws Exception {
        return token(base, new AuthorizationCodeGrant(code.code(), redirect, code.verifier()));
    }

    /** Rotates a refresh token at {@code base}: the token response, success or error. */
    TokenResponse refresh(String base, String refreshToken) throws Exception {
        return token(base, new RefreshTokenGrant(new RefreshToken(refreshToken)));
    }

    /** The tokens of a successful response; fails the test otherwise. */
    static Tokens tokens(TokenResponse response) {
        if (!response.indicatesSuccess()) {
            throw new AssertionError("token request refused: " + response.toErrorResponse().getErrorObject());
        }
        return response.toSuccessResponse().getTokens();
    }

    /** RFC 7009 revocation of one token at {@code base}; the HTTP status. */
    int revoke(String base, String token) throws Exception {
        return new TokenRevocationRequest(URI.create(base + "/oauth2/revoke"), auth, new BearerAccessToken(token))
                .toHTTPRequest().send().getStatusCode();
    }

    private TokenResponse token(String base, AuthorizationGrant grant) throws Exception {
        return TokenResponse.parse(new TokenRequest(URI.create(base + "/oauth2/token"), auth, grant).toHTTPRequest().send());
    }

    private static HttpResponse<String> expect(HttpResponse<String> res, int status) {
        if (res.statusCode() != status) {
            throw new AssertionError(res.uri() + " answered " + res.statusCode() + ": " + res.body());
        }
        return res;
    }

    private static String location(HttpResponse<String> res) {
        return res.headers().firstValue("location").orElseThrow(() -> new AssertionError(res.uri() + " did not redirect: "
                + res.statusCode() + " " + res.body()));
    }

    private static HttpResponse<String> post(HttpClient browser, String url, List<Map.Entry<String, String>> fields) throws Exception {
        String body = fields.stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hidden(String html, String name) {
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2).replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&");
            }
        }
        throw new AssertionError("the page has no " + name + " field");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
