package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.policy.Reason;
import custos.server.CustosApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenAPI description served at {@code /v1/openapi.json} against the real server: every route the server serves
 * under {@code /v1} is described and every described operation is served; a walk through every operation with real
 * tokens (allowed, denied, not found, malformed, unauthenticated, rate limited) checks each answer's status, headers
 * and body against the document. The walk asserts nothing about what the server should answer, only that the
 * document describes what it did answer, so a change on either side that the other does not follow fails here.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceTest {
    static ApiFixture api;
    static OpenApiContract contract;
    static final List<String> findings = new ArrayList<>();
    static final Map<OpenApiContract.Operation, Set<Integer>> answered = new LinkedHashMap<>();
    static final Set<String> problemTypes = new LinkedHashSet<>();

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 20));
        var res = api.get(null, "/v1/openapi.json");
        assertThat(res.statusCode()).isEqualTo(200);
        contract = new OpenApiContract(ApiFixture.json(res));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static HttpResponse<String> get(String token, String path) throws Exception {
        return check("GET", path, api.get(token, path));
    }

    static HttpResponse<String> send(String token, String method, String path, String json) throws Exception {
        return check(method, path, api.send(token, method, path, json));
    }

    private static HttpResponse<String> check(String method, String path, HttpResponse<String> res) throws Exception {
        findings.addAll(contract.findings(method, path, res));
        contract.operation(method, path).ifPresent(op -> answered.computeIfAbsent(op, k -> new TreeSet<>()).add(res.statusCode()));
        if (res.headers().firstValue("content-type").orElse("").startsWith("application/problem+json")) {
            problemTypes.add(ApiFixture.json(res).path("type").asText());
        }
        return res;
    }

    @Test
    @Order(1)
    void everyRouteServedUnderV1IsDescribedAndEveryDescribedOperationIsServed() {
        Set<String> served = RouteRecorder.routes(api.app.features());
        Set<String> described = contract.operations().stream().map(OpenApiContract.Operation::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> servedApi = served.stream().filter(r -> r.split(" ", 2)[1].startsWith("/v1/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(described).as("served routes under /v1 missing from the OpenAPI description").containsAll(servedApi);
        assertThat(served).as("operations the description promises that no route serves").containsAll(described);
        JsonNode flow = contract.doc().at("/components/securitySchemes/partnerToken/flows/authorizationCode");
        assertThat(served).contains("GET " + flow.path("authorizationUrl").asText(), "POST " + flow.path("tokenUrl").asText(),
                "POST " + flow.path("refreshUrl").asText());
    }

    @Test
    @Order(2)
    void theReasonCodesOfTheDescriptionAreExactlyTheEnginesReasons() {
        List<String> documented = new ArrayList<>();
        contract.doc().at("/components/schemas/Problem/properties/reasons/items/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).containsExactlyElementsOf(Arrays.stream(Reason.values()).map(Reason::name).toList());
    }

    @Test
    @Order(3)
    void everyAnswerOfAWalkThroughEveryOperationIsDescribed() throws Exception {
        long p = api.freshPerson();
        long[] friends = api.app.engine().view().friendsOf(p);
        long friend = friends[0];
        long stranger = stranger(p);

        // Unauthenticated, and a token nobody issued.
        get(null, "/v1/people/" + p + "/profile");
        get("not-a-token", "/v1/people/" + p + "/profile");

        // Seekfar: profiles and friend lists, its own person's and a friend's; what its purpose never had.
        String seekfar = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        get(seekfar, "/v1/people/" + p + "/profile");
        get(seekfar, "/v1/people/" + friend + "/profile");
        get(seekfar, "/v1/people/" + stranger + "/profile");
        get(seekfar, "/v1/people/999999999/profile");
        get(seekfar, "/v1/people/abc/profile");
        JsonNode page = ApiFixture.json(get(seekfar, "/v1/people/" + p + "/friends?limit=1"));
        if (page.hasNonNull("nextCursor")) {
            get(seekfar, "/v1/people/" + p + "/friends?limit=200&cursor=" + page.get("nextCursor").asText());
        }
        get(seekfar, "/v1/people/" + friend + "/friends");
        get(seekfar, "/v1/people/" + p + "/friends?limit=0");
        get(seekfar, "/v1/people/" + p + "/friends?cursor=%25%25");
        get(seekfar, "/v1/people/" + p + "/threads");
        get(seekfar, "/v1/people/" + p + "/threads/1/messages");
        get(seekfar, "/v1/people/" + p + "/contacts");
        get(seekfar, "/v1/people/" + p + "/calendar/events");
        send(seekfar, "POST", "/v1/people/" + p + "/messages", "{\"to\": " + friend + ", \"body\": \"hello\"}");
        send(seekfar, "DELETE", "/v1/people/" + p + "/messages/1", null);

        // Orbitel: contacts, calendar and the contact fields of a profile.
        String orbitel = api.token(p, "orbitel", "device-integration",
                List.of("contacts:read", "calendar:read", "profile:read", "profile.contact:read", "friends:read"), true);
        get(orbitel, "/v1/people/" + p + "/profile");
        get(orbitel, "/v1/people/" + p + "/contacts?limit=2");
        get(orbitel, "/v1/people/" + p + "/calendar/events?limit=2");
        get(orbitel, "/v1/people/" + friend + "/contacts");
        get(orbitel, "/v1/people/" + stranger + "/calendar/events");

        // Tunewave: write, read and delete messages; into threads the person is not in; a malformed body.
        String tunewave = api.token(p, "tunewave", "share-in-messages",
                List.of("messages:read", "messages:write", "messages:delete"), false);
        var sent = send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"to\": " + friend + ", \"body\": \"Listen to this\"}");
        send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"to\": " + stranger + ", \"body\": \"Listen to this\"}");
        send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"body\": \"\"}");
        send(tunewave, "POST", "/v1/people/" + p + "/messages", "[1, 2]");
        JsonNode threads = ApiFixture.json(get(tunewave, "/v1/people/" + p + "/threads?limit=1"));
        long thread = threads.path("items").path(0).path("id").asLong(0);
        if (thread > 0) {
            get(tunewave, "/v1/people/" + p + "/threads/" + thread + "/messages");
            send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"threadId\": " + thread + ", \"body\": \"and this\"}");
        }
        get(tunewave, "/v1/people/" + p + "/threads/999999999/messages");
        get(tunewave, "/v1/people/" + p + "/threads/x/messages");
        if (sent.statusCode() == 201) {
            send(tunewave, "DELETE", "/v1/people/" + p + "/messages/" + ApiFixture.json(sent).path("id").asLong(), null);
        }
        send(tunewave, "DELETE", "/v1/people/" + p + "/messages/999999999", null);
        send(tunewave, "DELETE", "/v1/people/" + p + "/messages/x", null);

        // Over the token's rate (20 a second): the walk goes on until one answer is 429.
        String hurried = api.token(p, "seekfar", "social-search", List.of("profile:read"), false);
        for (int i = 0; i < 200 && !answered.getOrDefault(new OpenApiContract.Operation("/v1/people/{id}/profile", "GET"), Set.of()).contains(429); i++) {
            get(hurried, "/v1/people/" + p + "/profile");
        }

        // The log: a receipt before and after a checkpoint covers it, proofs, malformed and impossible questions.
        var last = get(seekfar, "/v1/people/" + p + "/profile");
        long index = Long.parseLong(last.headers().firstValue(Gate.RECEIPT_HEADER).orElseThrow().replaceAll("^index=(\\d+).*", "$1"));
        for (int i = 0; i < 100 && get(null, "/v1/log/receipt/" + index).statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        get(null, "/v1/log/receipt/999999999");
        get(null, "/v1/log/receipt/x");
        get(null, "/v1/log/proof/inclusion?index=" + index + "&size=" + (index + 1));
        get(null, "/v1/log/proof/inclusion?index=5");
        get(null, "/v1/log/proof/consistency?from=1&to=" + (index + 1));
        get(null, "/v1/log/proof/consistency?from=9&to=2");
        get(null, "/v1/openapi.json");
        get(null, "/health");
        walkTheAdminApi();

        assertThat(findings).as("answers the OpenAPI description does not describe").isEmpty();
        Set<OpenApiContract.Operation> described = new LinkedHashSet<>(contract.operations());
        assertThat(answered.keySet()).as("operations the walk reached").containsAll(described);
        // Every problem type an answer named has its page.
        for (String type : problemTypes) {
            assertThat(api.get(null, type).statusCode()).as(type).isEqualTo(200);
        }
        System.out.println("OpenAPI walk, statuses answered per operation: " + answered);
    }

    /** The admin API: an operator's whole round of actions, an auditor's refusals, and bad input of each kind. */
    private static void walkTheAdminApi() throws Exception {
        var staff = new custos.server.console.StaffAccounts(api.db.jdbi(), java.time.Clock.systemUTC());
        String op = staff.issueToken(staff.add("walk-op", custos.server.console.StaffRole.OPERATOR, "a long walk password"));
        String auditor = staff.issueToken(staff.add("walk-aud", custos.server.console.StaffRole.AUDITOR, "a long walk password"));
        get(auditor, "/v1/admin/partners");
        get(null, "/v1/admin/actions");
        send(auditor, "POST", "/v1/admin/partners", "{\"slug\": \"walk\", \"name\": \"Walk\", \"kind\": \"app\"}");
        send(op, "POST", "/v1/admin/partners", "{\"slug\": \"walk\", \"name\": \"Walk\", \"kind\": \"app\"}");
        send(op, "POST", "/v1/admin/partners", "{\"slug\": \"walk\", \"name\": \"Walk\", \"kind\": \"app\"}");
        send(op, "POST", "/v1/admin/partners", "{\"slug\": \"Walk!\"}");
        send(op, "POST", "/v1/admin/partners/walk/suspend", null);
        send(op, "POST", "/v1/admin/partners/walk/reinstate", null);
        send(op, "POST", "/v1/admin/partners/walk/reinstate", null);
        send(op, "POST", "/v1/admin/partners/nobody/suspend", null);
        JsonNode client = ApiFixture.json(send(op, "POST", "/v1/admin/partners/walk/clients", "{\"redirectUris\": [\"https://walk.example/cb\"]}"));
        send(op, "POST", "/v1/admin/clients/" + client.path("clientId").asText() + "/rotate-secret", null);
        long agreement = ApiFixture.json(send(op, "POST", "/v1/admin/partners/walk/agreements",
                "{\"consentLifetimeDays\": 30, \"dailyPeopleVolume\": 100}")).path("agreementId").asLong();
        long purpose = ApiFixture.json(send(op, "POST", "/v1/admin/agreements/" + agreement + "/purposes",
                "{\"code\": \"walking\", \"description\": \"Walks\", \"scopes\": [\"profile:read\"]}")).path("purposeId").asLong();
        send(op, "POST", "/v1/admin/purposes/" + purpose + "/retire", null);
        send(op, "POST", "/v1/admin/agreements/" + agreement + "/end", "{\"at\": \"2999-01-01T00:00:00Z\"}");
        get(op, "/v1/admin/actions");
    }

    private static long stranger(long p) {
        for (long q = 2; ; q++) {
            if (q != p && !api.app.engine().view().areFriends(p, q)) {
                return q;
            }
        }
    }
}
