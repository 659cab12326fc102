package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.CustosApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input the gateway once resolved silently or answered with a 500: every one is now a 4xx that names the problem in
 * its own words (never a parser's or the JDK's text), and nothing about it reaches the store.
 */
class StrictInputTest {
    private static ApiFixture api;
    private static long person;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 400));
        person = api.freshPerson();
        token = api.token(person, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aPersonIdHasOneSpellingOnly() throws Exception {
        assertThat(api.get(token, "/v1/people/" + person + "/profile").statusCode()).isEqualTo(200);
        for (String spelling : List.of("+" + person, "0" + person, "%EF%BC%91", person + "%3B", person + ";x=1", "1e3",
                "99999999999999999999")) {
            HttpResponse<String> res = api.get(token, "/v1/people/" + spelling + "/profile");
            assertThat(res.statusCode()).as(spelling).isEqualTo(400);
            JsonNode body = ApiFixture.json(res);
            assertThat(body.get("type").asText()).isEqualTo("/problems/bad-request");
            assertThat(body.get("detail").asText()).as(spelling).doesNotContain("For input string");
        }
    }

    @Test
    void aRepeatedQueryParameterIsRefusedNotResolved() throws Exception {
        HttpResponse<String> res = api.get(token, "/v1/people/" + person + "/friends?limit=1&limit=2");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(res).get("detail").asText()).contains("limit").contains("more than once");
        assertThat(api.get(token, "/v1/people/" + person + "/friends?limit=%2B1").statusCode()).isEqualTo(400);
    }

    @Test
    void twoAuthorizationHeadersAreRefusedNotPickedFrom() throws Exception {
        HttpResponse<String> res = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/v1/people/" + person + "/profile"))
                .header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_request"));
    }

    @Test
    void malformedJsonIsDescribedWithoutTheParsersText() throws Exception {
        HttpResponse<String> res = api.send(token, "POST", "/v1/people/" + person + "/messages", "{\"to\": 2, \"body\": ");
        // The whole request is validated before anything is decided, so the body is read even without the scope.
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(res).get("detail").asText()).startsWith("the body is not valid JSON")
                .doesNotContain("jackson").doesNotContain("Unexpected end-of-input");
    }

    @Test
    void aMessageBodyThatIsNotAStringIsRefusedNotCoerced() throws Exception {
        String writer = api.token(person, "tunewave", "share-in-messages", List.of("messages:write"), false);
        long friend = api.app.engine().view().friendsOf(person)[0];
        for (String body : List.of("{\"to\": " + friend + ", \"body\": 5}", "{\"to\": " + friend + ", \"body\": true}",
                "{\"to\": \"" + friend + "\", \"body\": \"hi\"}", "{\"to\": " + friend + ", \"body\": \"a\u0000b\"}")) {
            HttpResponse<String> res = api.send(writer, "POST", "/v1/people/" + person + "/messages", body);
            assertThat(res.statusCode()).as(body).isEqualTo(400);
        }
    }

    @Test
    void aNegativeContentLengthIsABadRequestNotA500() throws Exception {
        java.net.URI base = URI.create(api.base);
        try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: -5\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).startsWith("HTTP/1.1 4");
        }
    }

    @Test
    void aRepeatedOAuthParameterIsAnInvalidRequest() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("seekfar:" + custos.world.ReferenceWorld.clientSecret(
                ApiFixture.SEED, "seekfar")).getBytes(StandardCharsets.UTF_8));
        assertThat(form("/oauth2/token", basic, "grant_type=client_credentials").statusCode()).isEqualTo(200);
        HttpResponse<String> twice = form("/oauth2/token", basic, "grant_type=client_credentials&grant_type=client_credentials");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("invalid_request");
        HttpResponse<String> authorize = api.http.send(HttpRequest.newBuilder(URI.create(api.base
                + "/oauth2/authorize?response_type=code&client_id=seekfar&client_id=tunewave"
                + "&redirect_uri=http://localhost:8080/partner-callback/seekfar")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(authorize.statusCode()).isEqualTo(400);
        assertThat(authorize.headers().firstValue("location")).isEmpty();
    }

    @Test
    void aNulInAClientIdIsAnInvalidClientNotA500() throws Exception {
        // "Authorization: Basic AP86AA==" decodes to NUL, 0xFF, ':', NUL.
        HttpResponse<String> basic = form("/oauth2/token", "Basic AP86AA==", "grant_type=client_credentials");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(basic.body()).contains("invalid_client");
        String nul = Base64.getEncoder().encodeToString("sea\u0000rch:x".getBytes(StandardCharsets.UTF_8));
        assertThat(form("/oauth2/token", "Basic " + nul, "grant_type=client_credentials").statusCode()).isEqualTo(401);
        assertThat(form("/oauth2/introspect", "Basic " + nul, "token=abc").statusCode()).isEqualTo(401);
        HttpResponse<String> authorize = api.http.send(HttpRequest.newBuilder(URI.create(api.base
                + "/oauth2/authorize?response_type=code&client_id=sea%00rch&redirect_uri=http://x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorize.statusCode()).isEqualTo(400);
    }

    @Test
    void aCodeChallengeThatIsNoS256DigestIsRefused() throws Exception {
        HttpResponse<String> res = api.http.send(HttpRequest.newBuilder(URI.create(api.base
                + "/oauth2/authorize?response_type=code&client_id=seekfar&redirect_uri=http://localhost:8080/partner-callback/seekfar"
                + "&code_challenge=short&code_challenge_method=S256&state=s&scope=profile:read")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(303);
        assertThat(res.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l)
                .contains("error=invalid_request").contains("code_challenge"));
    }

    private static HttpResponse<String> form(String path, String authorization, String body) throws Exception {
        return api.http.send(HttpRequest.newBuilder(URI.create(api.base + path)).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
