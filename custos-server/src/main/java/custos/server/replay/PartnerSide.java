package custos.server.replay;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.rar.AuthorizationDetail;
import com.nimbusds.oauth2.sdk.rar.AuthorizationType;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.io.IOException;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A partner's side of the OAuth 2.0 code flow with PKCE, driven against a running Custos over real HTTP, with the
 * person's browser answering the login and consent screens as the person chooses. Used by {@code custos replay}
 * and by the API tests; the client messages are built and parsed by the Nimbus SDK, as a real partner would.
 */
public final class PartnerSide {
    private static final Pattern HIDDEN = Pattern.compile("name=\"(csrf|query)\" value=\"([^\"]*)\"");

    private final String base;
    private final String clientId;
    private final Secret secret;
    private final URI redirect;

    public PartnerSide(String base, String clientId, String secret, URI redirect) {
        this.base = base;
        this.clientId = clientId;
        this.secret = new Secret(secret);
        this.redirect = redirect;
    }

    /** What the person does on the consent screen: which scopes stay ticked, whether friends' data does. */
    public record Answer(List<String> ticked, boolean friends, boolean allow) {}

    /** The end of a flow: an access token and its refresh token, or why there is none (an OAuth error code, or the step that failed). */
    public record Result(String token, String refusal, String refreshToken) {
        static Result refused(String why) {
            return new Result(null, why, null);
        }

        public Optional<String> accessToken() {
            return Optional.ofNullable(token);
        }
    }

    /**
     * Runs the whole flow for one person: authorize, log in, answer the consent screen, exchange the code.
     */
    public Result authorize(String login, String password, String purpose, List<String> scopes, Answer answer)
            throws IOException, InterruptedException {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationDetail detail = new AuthorizationDetail.Builder(new AuthorizationType("custos_purpose"))
                .field("purpose", purpose).field("scopes", new ArrayList<>(scopes)).build();
        URI authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(clientId))
                .redirectionURI(redirect).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .authorizationDetails(List.of(detail)).endpointURI(URI.create(base + "/oauth2/authorize")).build().toURI();

        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        if (loginPage.statusCode() == 303) {
            return Result.refused(error(loginPage.headers().firstValue("location").orElse("")));
        }
        if (loginPage.statusCode() != 200) {
            return Result.refused("authorize_http_" + loginPage.statusCode());
        }
        HttpResponse<String> afterLogin = post(browser, "/oauth2/login", List.of(
                Map.entry("csrf", hidden(loginPage.body(), "csrf")), Map.entry("query", hidden(loginPage.body(), "query")),
                Map.entry("login", login), Map.entry("password", password)));
        Optional<String> next = afterLogin.headers().firstValue("location");
        if (afterLogin.statusCode() != 303 || next.isEmpty()) {
            return Result.refused("login_failed");
        }
        HttpResponse<String> consentPage = browser.send(HttpRequest.newBuilder(URI.create(base).resolve(next.get())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (consentPage.statusCode() == 303) {
            return Result.refused(error(consentPage.headers().firstValue("location").orElse("")));
        }
        if (consentPage.statusCode() != 200) {
            return Result.refused("consent_http_" + consentPage.statusCode());
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("csrf", hidden(consentPage.body(), "csrf")));
        fields.add(Map.entry("query", hidden(consentPage.body(), "query")));
        // A person can tick only what the screen offers: scopes their own settings block have no checkbox.
        List<String> offered = new ArrayList<>();
        java.util.regex.Matcher box = java.util.regex.Pattern.compile("name=\"scope\" value=\"([^\"]+)\"")
                .matcher(consentPage.body());
        while (box.find()) {
            offered.add(box.group(1));
        }
        List<String> ticked = answer.ticked().stream().filter(offered::contains).toList();
        if (answer.allow() && ticked.isEmpty()) {
            return Result.refused("all_asked_blocked_by_settings");
        }
        ticked.forEach(s -> fields.add(Map.entry("scope", s)));
        if (answer.friends()) {
            fields.add(Map.entry("friends", "yes"));
        }
        fields.add(Map.entry("decision", answer.allow() ? "allow" : "deny"));
        HttpResponse<String> answered = post(browser, "/oauth2/consent", fields);
        Optional<String> back = answered.headers().firstValue("location");
        if (back.isEmpty()) {
            return Result.refused("consent_http_" + answered.statusCode());
        }
        List<String> code = URLUtils.parseParameters(URI.create(back.get()).getRawQuery()).get("code");
        if (code == null || code.isEmpty()) {
            return Result.refused(answer.allow() ? error(back.get()) : "person_denied");
        }
        return exchange(new AuthorizationCode(code.get(0)), verifier);
    }

    private static String error(String location) {
        String query = location.contains("?") ? URI.create(location).getRawQuery() : null;
        List<String> error = query == null ? null : URLUtils.parseParameters(query).get("error");
        return error == null || error.isEmpty() ? "no_code" : error.get(0);
    }

    private Result exchange(AuthorizationCode code, CodeVerifier verifier) throws IOException {
        try {
            TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(base + "/oauth2/token"),
                    new ClientSecretBasic(new ClientID(clientId), secret), new AuthorizationCodeGrant(code, redirect, verifier))
                    .toHTTPRequest().send());
            return response.indicatesSuccess()
                    ? new Result(response.toSuccessResponse().getTokens().getAccessToken().getValue(), null,
                            java.util.Optional.ofNullable(response.toSuccessResponse().getTokens().getRefreshToken())
                                    .map(t -> t.getValue()).orElse(null))
                    : Result.refused("token_" + response.toErrorResponse().getErrorObject().getCode());
        } catch (ParseException e) {
            throw new IOException("the token endpoint's answer could not be parsed: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> post(HttpClient browser, String path, List<Map.Entry<String, String>> fields)
            throws IOException, InterruptedException {
        String body = fields.stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hidden(String html, String name) throws IOException {
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2).replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&");
            }
        }
        throw new IOException("the page has no " + name + " field");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
