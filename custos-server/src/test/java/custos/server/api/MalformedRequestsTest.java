package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A corpus of malformed requests over every route the gateway serves (read from its features, so a new page or
 * endpoint is covered the day it is registered): bad path values, bad queries, bad bodies, bad credentials, with
 * and without a person's token and a signed-in session. Zero 5xx, and nothing in the store changes but the audit
 * log (which records every refusal after authentication).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MalformedRequestsTest {
    static final List<String> PATH_VALUES = List.of("", "0", "-1", "+1", "01", "%EF%BC%91", "1%3Bx", "1;x", "%00",
            "99999999999999999999", "abc", "1.5", "%FF", "..%2F..", "%20", "1e3");
    static final List<String> QUERIES = List.of("?limit=%00", "?limit=1&limit=2", "?cursor=%FF%FE", "?cursor=YzE6LTE",
            "?before=-1", "?before=abc", "?index=abc", "?%00=1", "?partner=x&category=%00&from=2026-13-45", "?a=" + "x".repeat(6000));
    static final List<String> BODIES = List.of("{\"to\":\"\\u0000\",\"body\":\"\\u0000\"}", "{\"to\":2,\"body\":5}", "[]", "{",
            "null", "{\"to\":1e400}", "a=%00&csrf=%00&login=%00", "csrf=x&csrf=y&scope=%00", "\u0000\u0001", "x".repeat(20_000));
    static final List<String> TABLES = List.of("consents", "consent_states", "privacy_settings", "messages", "message_threads",
            "oauth_tokens", "oauth_codes", "person_credentials", "partners", "partner_clients", "agreements", "purposes");

    private static ApiFixture api;
    private static String token;
    private static String sessionCookie;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(1e6, 1e6));
        long person = api.freshPerson();
        token = api.token(person, "tunewave", "share-in-messages", List.of("messages:read", "messages:write"), true);
        sessionCookie = signIn("person-" + person, ApiFixture.PASSWORD);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void noMalformedRequestOnAnyRouteIsA5xxOrChangesTheStore() throws Exception {
        Map<String, String> before = snapshot();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String route : RouteRecorder.routes(api.app.features())) {
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            if (method.equals("ANY") || template.contains("*")) {
                continue;
            }
            List<String> paths = new ArrayList<>();
            if (template.contains("{")) {
                for (String v : PATH_VALUES) paths.add(template.replaceAll("\\{[^}]+}", v));
            } else {
                paths.add(template);
            }
            for (String path : paths) {
                for (String query : QUERIES.subList(0, path.equals(template) ? QUERIES.size() : 2)) {
                    for (Credentials c : Credentials.values()) {
                        List<String> bodies = method.equals("GET") || method.equals("HEAD") ? List.of("")
                                : c == Credentials.NONE || path.equals(template) ? BODIES : BODIES.subList(0, 2);
                        for (String body : bodies) {
                            sent++;
                            HttpResponse<String> res = send(method, path + query, c, body);
                            if (res != null && res.statusCode() >= 500) {
                                failures.add(res.statusCode() + " " + method + " " + path + query + " [" + c + "] body="
                                        + abbreviate(body) + " -> " + abbreviate(res.body()));
                            }
                        }
                    }
                }
            }
        }
        assertThat(sent).as("requests sent").isGreaterThan(1000);
        assertThat(failures).as("5xx answers out of " + sent + " malformed requests").isEmpty();
        api.barrier();
        assertThat(snapshot()).as("rows of every table but the audit log's").isEqualTo(before);
    }

    enum Credentials { NONE, BEARER, TWO_AUTHORIZATIONS, NUL_BASIC, GARBAGE_BEARER, SESSION }

    private static HttpResponse<String> send(String method, String pathAndQuery, Credentials c, String body) throws Exception {
        URI uri;
        try {
            uri = URI.create(api.base + pathAndQuery);
        } catch (IllegalArgumentException unencodable) {
            return null; // a request line no client library can send; the raw-socket tests cover those
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        switch (c) {
            case NONE -> { }
            case BEARER -> b.header("Authorization", "Bearer " + token);
            case TWO_AUTHORIZATIONS -> b.header("Authorization", "Bearer " + token).header("Authorization", "Bearer x");
            case NUL_BASIC -> b.header("Authorization", "Basic AP86AA==");
            case GARBAGE_BEARER -> b.header("Authorization", "Bearer \u00ff\u00fe");
            case SESSION -> b.header("Cookie", sessionCookie);
        }
        if (!body.isEmpty()) {
            b.header("Content-Type", body.startsWith("{") || body.startsWith("[") || body.equals("null")
                    ? "application/json" : "application/x-www-form-urlencoded");
        }
        try {
            return http.send(b.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException headerTheClientRefuses) {
            return null;
        }
    }

    private static Map<String, String> snapshot() {
        Map<String, String> rows = new LinkedHashMap<>();
        api.db.jdbi().useHandle(h -> {
            for (String table : TABLES) {
                rows.put(table, h.createQuery("select count(*) || ':' || coalesce(sum(hashtext(t::text)), 0) from " + table + " t")
                        .mapTo(String.class).one());
            }
        });
        return rows;
    }

    private static String signIn(String login, String password) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(api.base + "/account/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String anonymous = cookie(form);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(api.base + "/account/sign-in"))
                .header("Cookie", anonymous).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + enc(csrf.group(1)) + "&login=" + enc(login)
                        + "&password=" + enc(password))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(303);
        return cookie(in);
    }

    private static String cookie(HttpResponse<?> res) {
        String set = res.headers().allValues("set-cookie").stream().filter(v -> v.startsWith("custos_session="))
                .findFirst().orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        String flat = s == null ? "" : s.replace('\n', ' ');
        return flat.length() > 160 ? flat.substring(0, 160) + "..." : flat;
    }
}
