package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.CustosApp;
import custos.world.ReferenceWorld;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/api.md step by step, as its curl commands do it: discovery, Seekfar's token, reading, a denial, Tunewave's
 * token, writing into a thread and deleting, the refused writes, a receipt (404 with Retry-After until a checkpoint
 * covers it, then the tlog-proof; the leaf from the entry bundle matches the inclusion proof), introspection and
 * revocation. When a step of the walk-through stops working, this fails.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ApiWalkThroughTest {
    static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A fresh person who is in at least one message thread, as the demo person is. */
    private static long personWithAThread() {
        while (true) {
            long p = api.freshPerson();
            if (!api.app.database().jdbi().withHandle(h -> h.createQuery(
                    "select thread_id from thread_participants where person_id = :p").bind("p", p).mapTo(Long.class).list()).isEmpty()) {
                return p;
            }
        }
    }

    @Test
    void theWalkThroughWorksAsWritten() throws Exception {
        // 1. Discovery.
        var metadata = api.get(null, "/.well-known/oauth-authorization-server");
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(ApiFixture.json(metadata).path("authorization_endpoint").asText()).endsWith("/oauth2/authorize");

        // 2-4. Seekfar's token; the profile cut to profile:read; the friend list.
        long p = personWithAThread();
        String seekfar = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        var profile = api.get(seekfar, "/v1/people/" + p + "/profile");
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(ApiFixture.json(profile).properties()).extracting(e -> e.getKey()).containsExactly("id", "name", "city");
        assertThat(profile.headers().firstValue(Gate.RECEIPT_HEADER)).hasValueSatisfying(v -> assertThat(v).matches("index=\\d+; proof=/v1/log/receipt/\\d+"));
        assertThat(api.get(seekfar, "/v1/people/" + p + "/friends?limit=20").statusCode()).isEqualTo(200);

        // 5. A denial lists every reason, and its type is a page.
        var contacts = api.get(seekfar, "/v1/people/" + p + "/contacts");
        assertThat(contacts.statusCode()).isEqualTo(403);
        JsonNode denied = ApiFixture.json(contacts);
        assertThat(ApiFixture.reasons(contacts)).contains("SCOPE_NOT_IN_PURPOSE", "SCOPE_NOT_CONSENTED");
        assertThat(api.get(null, denied.path("type").asText()).statusCode()).isEqualTo(200);

        // 6. Tunewave's token; write into one of the person's threads; delete it; the refused writes.
        String tunewave = api.token(p, "tunewave", "share-in-messages",
                List.of("messages:read", "messages:write", "messages:delete"), false);
        var threads = api.get(tunewave, "/v1/people/" + p + "/threads?limit=1");
        assertThat(threads.statusCode()).isEqualTo(200);
        long thread = ApiFixture.json(threads).path("items").path(0).path("id").asLong();
        // As in the demo: the thread's other people keep their friends' partners away (the default), so the write is
        // refused and nothing is written; once they open their settings, the write and the delete go through.
        List<Long> others = api.app.database().jdbi().withHandle(h -> h.createQuery(
                        "select person_id from thread_participants where thread_id = :t and person_id <> :p")
                .bind("t", thread).bind("p", p).mapTo(Long.class).list());
        others.forEach(other -> api.settings(other, java.util.Map.of(custos.data.DataCategory.MESSAGES, false)));
        api.barrier();
        var refused = api.send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"threadId\": " + thread + ", \"body\": \"Listen to this\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(ApiFixture.reasons(refused)).containsExactly("FRIEND_SETTINGS_FORBID");
        others.forEach(other -> api.settings(other, java.util.Map.of()));
        api.barrier();
        var sent = api.send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"threadId\": " + thread + ", \"body\": \"Listen to this\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        long message = ApiFixture.json(sent).path("id").asLong();
        assertThat(api.send(tunewave, "DELETE", "/v1/people/" + p + "/messages/" + message, null).statusCode()).isEqualTo(204);
        long stranger = 2;
        while (stranger == p || api.app.engine().view().areFriends(p, stranger)) {
            stranger++;
        }
        assertThat(api.send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"to\": " + stranger + ", \"body\": \"Listen to this\"}")
                .statusCode()).isEqualTo(404);
        assertThat(api.send(tunewave, "DELETE", "/v1/people/" + p + "/messages/" + message, null).statusCode()).isEqualTo(404);
        assertThat(api.send(tunewave, "POST", "/v1/people/" + p + "/messages", "{\"threadId\": " + thread + ", \"body\": \"\"}")
                .statusCode()).isEqualTo(400);

        // 7. The receipt of the latest decision: 404 with Retry-After until a checkpoint covers it, then the proof.
        var latest = api.get(tunewave, "/v1/people/" + p + "/threads?limit=1");
        long n = Long.parseLong(latest.headers().firstValue(Gate.RECEIPT_HEADER).orElseThrow().replaceAll("^index=(\\d+).*", "$1"));
        HttpResponse<String> receipt = api.get(null, "/v1/log/receipt/" + n);
        for (int i = 0; i < 100 && receipt.statusCode() != 200; i++) {
            assertThat(receipt.statusCode()).isEqualTo(404);
            assertThat(receipt.headers().firstValue("Retry-After")).hasValue("1");
            Thread.sleep(100);
            receipt = api.get(null, "/v1/log/receipt/" + n);
        }
        assertThat(receipt.statusCode()).isEqualTo(200);
        assertThat(receipt.body()).startsWith("c2sp.org/tlog-proof@v1\nindex " + n + "\n");
        long size = Long.parseLong(api.get(null, "/log/checkpoint").body().split("\n")[1]);
        long w = size - n / 256 * 256;
        String tile = w >= 256 ? String.format("%03d", n / 256) : String.format("%03d.p/%d", n / 256, w);
        byte[] bundle = api.http.send(HttpRequest.newBuilder(URI.create(api.base + "/log/tile/entries/" + tile)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        int at = (int) (35 * (n % 256));
        assertThat(bundle[at] << 8 | bundle[at + 1]).as("entry length").isEqualTo(33);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        sha.update(Arrays.copyOfRange(bundle, at + 2, at + 35));
        String leafHash = Base64.getEncoder().encodeToString(sha.digest());
        var inclusion = api.get(null, "/v1/log/proof/inclusion?index=" + n + "&size=" + size);
        assertThat(ApiFixture.json(inclusion).path("leafHash").asText()).isEqualTo(leafHash);

        // 8. Introspect, revoke, introspect: the token is gone, and the API says 401.
        assertThat(clientPost("tunewave", "/oauth2/introspect", tunewave).path("active").asBoolean()).isTrue();
        clientPost("tunewave", "/oauth2/revoke", tunewave);
        assertThat(clientPost("tunewave", "/oauth2/introspect", tunewave).path("active").asBoolean()).isFalse();
        assertThat(api.get(tunewave, "/v1/people/" + p + "/threads").statusCode()).isEqualTo(401);
    }

    /** {@code curl -u client:secret -d token=T URL}. */
    private static JsonNode clientPost(String client, String path, String token) throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + ReferenceWorld.clientSecret(ApiFixture.SEED, client))
                .getBytes(StandardCharsets.UTF_8));
        var res = api.http.send(HttpRequest.newBuilder(URI.create(api.base + path)).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
        return res.body().isBlank() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : ApiFixture.json(res);
    }
}
