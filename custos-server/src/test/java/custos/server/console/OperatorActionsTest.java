package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.EventSealer;
import custos.audit.LogEntryKind;
import custos.audit.OperatorAction;
import custos.audit.OperatorActionCodec;
import custos.audit.ProofVerifier;
import custos.server.http.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator actions through the admin API on gateway a: each is in force on gateway b when its call returns (the
 * change barrier), each is an entry of the verifiable log whose opening matches its commitment, and bad input is a
 * problem with a stable type that changes nothing.
 */
@Timeout(180)
class OperatorActionsTest {
    @RegisterExtension
    static final ConsoleGateways gw = new ConsoleGateways();

    private static JsonNode ok(HttpResponse<String> res, int status) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return Json.MAPPER.readTree(res.body());
    }

    @Test
    void retiringAPurposeIsInForceOnTheOtherInstanceWhenTheCallReturns() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "tunewave", "share-in-messages", List.of("messages:read"));
        assertThat(gw.partnerGet(token, "/v1/people/" + person + "/threads").statusCode()).isEqualTo(200);
        long purpose = gw.purposeId("tunewave", "share-in-messages");
        JsonNode done = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/purposes/" + purpose + "/retire", null), 200);
        assertThat(done.path("before").path("retiredAt").asText()).isEmpty();
        assertThat(done.path("after").path("retiredAt").asText()).isNotEmpty();
        HttpResponse<String> refused = gw.partnerGet(token, "/v1/people/" + person + "/threads");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("PURPOSE_RETIRED");
        HttpResponse<String> again = gw.admin(gw.operatorToken, "POST", "/v1/admin/purposes/" + purpose + "/retire", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("/problems/conflict").contains("already retired");
    }

    @Test
    void suspendingAPartnerStopsItOnTheOtherInstanceAndReinstatingLetsItBackIn() throws Exception {
        long person = gw.freshPerson();
        String token = gw.token(person, "orbitel", "device-integration", List.of("profile:read"));
        assertThat(gw.partnerGet(token, "/v1/people/" + person + "/profile").statusCode()).isEqualTo(200);
        ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/orbitel/suspend", null), 200);
        HttpResponse<String> refused = gw.partnerGet(token, "/v1/people/" + person + "/profile");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("PARTNER_SUSPENDED");
        ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/orbitel/reinstate", null), 200);
        assertThat(gw.partnerGet(token, "/v1/people/" + person + "/profile").statusCode()).isEqualTo(200);
    }

    @Test
    void everyActionIsALogEntryWhoseOpeningMatchesItsCommitmentAndBothInstancesTreesHoldIt() throws Exception {
        List<Long> indexes = new ArrayList<>();
        JsonNode partner = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners",
                "{\"slug\": \"lumen\", \"name\": \"Lumen Games\", \"kind\": \"game\"}"), 201);
        indexes.add(partner.path("logIndex").asLong());
        assertThat(partner.path("after").path("status").asText()).isEqualTo("ACTIVE");
        JsonNode agreement = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/lumen/agreements",
                "{\"consentLifetimeDays\": 90, \"dailyPeopleVolume\": 500}"), 201);
        indexes.add(agreement.path("logIndex").asLong());
        long agreementId = agreement.path("agreementId").asLong();
        JsonNode purpose = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/agreements/" + agreementId + "/purposes",
                "{\"code\": \"leaderboards\", \"description\": \"Show friends' scores\", \"scopes\": [\"profile:read\", \"friends:read\"], \"friendsData\": true}"), 201);
        indexes.add(purpose.path("logIndex").asLong());
        assertThat(purpose.path("after").path("scopes").asText()).isEqualTo("friends:read profile:read");
        JsonNode client = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/lumen/clients",
                "{\"redirectUris\": [\"https://lumen.example/callback\"]}"), 201);
        indexes.add(client.path("logIndex").asLong());
        String clientId = client.path("clientId").asText();
        String secret = client.path("clientSecret").asText();
        assertThat(clientCredentials(clientId, secret)).isEqualTo(200);
        JsonNode rotated = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/clients/" + clientId + "/rotate-secret", null), 200);
        indexes.add(rotated.path("logIndex").asLong());
        assertThat(rotated.path("before").path("secretFingerprint").asText())
                .isNotEqualTo(rotated.path("after").path("secretFingerprint").asText());
        assertThat(rotated.toString()).doesNotContain("$2y$");
        assertThat(clientCredentials(clientId, secret)).as("the old secret after rotation").isEqualTo(401);
        assertThat(clientCredentials(clientId, rotated.path("clientSecret").asText())).isEqualTo(200);
        JsonNode ended = ok(gw.admin(gw.operatorToken, "POST", "/v1/admin/agreements/" + agreementId + "/end", null), 200);
        indexes.add(ended.path("logIndex").asLong());
        assertThat(ended.path("after").path("version").asText()).isEqualTo("2");

        for (long idx : indexes) {
            var row = gw.a.database().jdbi().withHandle(h -> h.createQuery("""
                            select e.leaf_data, e.leaf_hash, e.salt, e.entry_kind, e.outcome, e.subject_person, o.opening
                            from access_events e join operator_actions o on o.idx = e.idx where e.idx = :i""")
                    .bind("i", idx).mapToMap().one());
            byte[] opening = (byte[]) row.get("opening");
            assertThat(EventSealer.commitment((byte[]) row.get("salt"), opening)).isEqualTo((byte[]) row.get("leaf_data"));
            assertThat(ProofVerifier.leafHash((byte[]) row.get("leaf_data"))).isEqualTo((byte[]) row.get("leaf_hash"));
            assertThat(LogEntryKind.of(opening)).isEqualTo(LogEntryKind.OPERATOR_ACTION);
            assertThat(((Number) row.get("entry_kind")).intValue()).isEqualTo(LogEntryKind.OPERATOR_ACTION_V1);
            assertThat(row.get("outcome")).isNull();
            assertThat(row.get("subject_person")).isNull();
            OperatorAction action = OperatorActionCodec.decode(opening);
            assertThat(action.actor()).isEqualTo("op-test");
            assertThat(action.partnerId()).isEqualTo(partner.path("partnerId").asLong());
        }
        long last = indexes.get(indexes.size() - 1);
        assertThat(gw.a.log().awaitCheckpoint(last + 1, Duration.ofSeconds(10))).isTrue();
        assertThat(gw.b.log().awaitCheckpoint(last + 1, Duration.ofSeconds(10))).as("the other instance read them from the store").isTrue();
        assertThat(gw.b.log().tree().leafHash(last)).isEqualTo(gw.a.log().tree().leafHash(last));

        JsonNode actions = ok(gw.admin(gw.auditorToken, "GET", "/v1/admin/actions", null), 200);
        List<String> names = new ArrayList<>();
        actions.path("actions").forEach(a -> names.add(a.path("action").asText()));
        assertThat(names).contains("partner.register", "agreement.add", "purpose.add", "client.add", "client.rotate-secret",
                "agreement.end");
    }

    @Test
    void badInputIsAProblemWithAStableTypeAndChangesNothing() throws Exception {
        long actions = gw.count("select count(*) from operator_actions");
        long partners = gw.count("select count(*) from partners");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners", "{\"slug\": \"Bad Slug\", \"name\": \"x\", \"kind\": \"app\"}"),
                400, "bad-request", "slug");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners", "{\"slug\": \"okay\", \"name\": \"x\", \"kind\": \"spaceship\"}"),
                400, "bad-request", "unknown partner kind spaceship");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners", "{\"slug\": \"tunewave\", \"name\": \"x\", \"kind\": \"app\"}"),
                409, "conflict", "already registered");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners", "{not json"), 400, "bad-request", "not valid JSON");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/nobody/suspend", null), 404, "not-found", "no partner nobody");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/seekfar/reinstate", null), 409, "conflict", "not suspended");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/seekfar/clients", "{\"redirectUris\": [\"javascript:alert(1)\"]}"),
                400, "bad-request", "redirect URI");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/agreements/999999/end", null), 404, "not-found", "no agreement");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/agreements/x/end", null), 400, "bad-request", "positive whole number");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/agreements/1/purposes",
                "{\"code\": \"ok-code\", \"description\": \"d\", \"scopes\": [\"messages:launch\"]}"), 400, "bad-request", "unknown scope");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/partners/seekfar/agreements",
                "{\"consentLifetimeDays\": 0, \"dailyPeopleVolume\": 1}"), 400, "bad-request", "consent lifetime");
        expect(gw.admin(gw.operatorToken, "POST", "/v1/admin/purposes/999999/retire", null), 404, "not-found", "no purpose");
        assertThat(gw.count("select count(*) from operator_actions")).isEqualTo(actions);
        assertThat(gw.count("select count(*) from partners")).isEqualTo(partners);
    }

    @Test
    void aCapabilityBeyondTheseActsThroughPerformIsLoggedTheSameWayAndARefusalKeepsNothing() {
        var jdbi = gw.a.database().jdbi();
        OperatorActions actions = new OperatorActions(jdbi, new custos.server.policy.ChangeBarrier(jdbi,
                new custos.server.store.JdbiPolicyChangeFeed(jdbi)), java.time.Clock.systemUTC(), () -> { });
        long cartwell = gw.count("select id from partners where slug = 'cartwell'");
        OperatorActions.Done done = actions.perform(gw.operator, h -> new OperatorActions.Change("finding.resolve", cartwell,
                "finding:1", java.util.Map.of("state", "open"), java.util.Map.of("state", "resolved"), java.util.Map.of()));
        assertThat(gw.count("select count(*) from operator_actions where action = 'finding.resolve' and idx = " + done.logIndex()))
                .isEqualTo(1);
        assertThat(OperatorActionCodec.decode(jdbi.withHandle(h -> h.createQuery("select opening from operator_actions where idx = :i")
                .bind("i", done.logIndex()).mapTo(byte[].class).one())).after()).containsEntry("state", "resolved");

        long logged = gw.count("select count(*) from operator_actions");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.perform(gw.auditor, h -> {
            throw new AssertionError("an auditor's change must not run");
        })).isInstanceOf(ActionRefused.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> actions.perform(gw.operator, h -> {
            h.execute("update partners set name = 'Renamed' where slug = 'cartwell'");
            throw new ActionRefused(ActionRefused.Why.CONFLICT, "changed its mind");
        })).hasMessage("changed its mind");
        assertThat(gw.count("select count(*) from partners where slug = 'cartwell' and name = 'Renamed'")).isZero();
        assertThat(gw.count("select count(*) from operator_actions")).isEqualTo(logged);
    }

    private static void expect(HttpResponse<String> res, int status, String type, String words) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(res.body()).contains("\"type\":\"/problems/" + type + "\"").contains(words);
    }

    private static int clientCredentials(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return gw.http.send(HttpRequest.newBuilder(URI.create(gw.base() + "/oauth2/token"))
                        .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
