package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import custos.audit.AccessEvent;
import custos.data.DataCategory;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.audit.AccessHistory;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariant 8 over HTTP: every answer after authentication, refusals included, has its audit entry and receipt; no
 * entry says ALLOW for a request that then failed; and to a partner a friend it may not see, a stranger and an id
 * nobody has look exactly alike, while the entry keeps the true reason.
 */
class RefusalsTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 40));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static long stranger(long person) {
        long s = 1;
        while (s == person || api.app.engine().view().areFriends(person, s)) {
            s++;
        }
        return s;
    }

    /** What a partner can compare: status, header names, and the body but for the receipt and the path it sent. */
    private static String seenByPartner(HttpResponse<String> res) throws Exception {
        ObjectNode body = (ObjectNode) ApiFixture.json(res);
        body.remove("receipt");
        body.remove("instance");
        Set<String> headers = new TreeSet<>(res.headers().map().keySet());
        return res.statusCode() + " " + headers + " " + body;
    }

    @Test
    void aFriendTheSettingsHideAStrangerAndANonexistentIdLookTheSameOnEveryEndpoint() throws Exception {
        long p = api.freshPerson();
        long hidden = api.app.engine().view().friendsOf(p)[0];
        api.settings(hidden, Map.of(DataCategory.PROFILE, false, DataCategory.FRIENDS, false));
        api.barrier();
        long stranger = stranger(p);
        long nobody = 987_654_321L;
        String token = api.token(p, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);

        for (String endpoint : List.of("/profile", "/friends")) {
            HttpResponse<String> friend = api.get(token, "/v1/people/" + hidden + endpoint);
            HttpResponse<String> unrelated = api.get(token, "/v1/people/" + stranger + endpoint);
            HttpResponse<String> missing = api.get(token, "/v1/people/" + nobody + endpoint);

            assertThat(friend.statusCode()).as(friend.body()).isEqualTo(404);
            assertThat(seenByPartner(friend)).isEqualTo(seenByPartner(unrelated)).isEqualTo(seenByPartner(missing));
            assertThat(friend.headers().firstValue(Gate.RECEIPT_HEADER)).isPresent();
            assertThat(api.entry(friend, hidden).reasons()).containsExactly("FRIEND_SETTINGS_FORBID");
            assertThat(api.entry(unrelated, stranger).reasons()).contains("NOT_FRIENDS");
            assertThat(api.entry(missing, nobody).reasons()).contains("NOT_FRIENDS");
        }
    }

    @Test
    void aDenialOnAFriendNeverNamesThatFriendsOwnReasons() throws Exception {
        long p = api.freshPerson();
        long hidden = api.app.engine().view().friendsOf(p)[0];
        api.settings(hidden, Map.of(DataCategory.PROFILE, false));
        api.barrier();
        // No friends' data in the consent: the same 403 for the hidden friend and the stranger, naming only that.
        String token = api.token(p, "seekfar", "social-search", List.of("profile:read"), false);
        HttpResponse<String> friend = api.get(token, "/v1/people/" + hidden + "/profile");
        HttpResponse<String> unrelated = api.get(token, "/v1/people/" + stranger(p) + "/profile");
        assertThat(friend.statusCode()).isEqualTo(403);
        assertThat(ApiFixture.reasons(friend)).containsExactly("FRIENDS_DATA_NOT_CONSENTED");
        assertThat(friend.body().replaceAll("/v1/people/\\d+/", "").replaceAll("index=\\d+", "").replaceAll("receipt/\\d+", ""))
                .isEqualTo(unrelated.body().replaceAll("/v1/people/\\d+/", "").replaceAll("index=\\d+", "").replaceAll("receipt/\\d+", ""));
        assertThat(api.entry(friend, hidden).reasons()).contains("FRIEND_SETTINGS_FORBID", "FRIENDS_DATA_NOT_CONSENTED");
    }

    private static long thread(long... participants) {
        return api.db.jdbi().inTransaction(h -> {
            long t = h.createUpdate("insert into message_threads (subject, started_at) values ('x', now())")
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            for (long p : participants) {
                h.createUpdate("insert into thread_participants (thread_id, person_id) values (:t, :p)")
                        .bind("t", t).bind("p", p).execute();
            }
            return t;
        });
    }

    private static long message(long thread, long sender) {
        return api.db.jdbi().withHandle(h -> h.createUpdate(
                        "insert into messages (thread_id, sender_id, body, sent_at) values (:t, :s, 'hi', :at)")
                .bind("t", thread).bind("s", sender).bind("at", Timestamp.from(Instant.now()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /** The answer has a receipt whose entry (in {@code subject}'s history) is a DENY with exactly {@code reason}. */
    private static void refusedAndLogged(HttpResponse<String> res, int status, long subject, String reason) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(ApiFixture.json(res).path("receipt").asText()).startsWith("index=" + ApiFixture.receiptIndex(res));
        AccessEvent entry = api.entry(res, subject);
        assertThat(entry.outcome()).isEqualTo(Outcome.DENY);
        assertThat(entry.reasons()).containsExactly(reason);
        assertThat(entry.records()).isZero();
    }

    private static long allowsOf(long person) {
        return new AccessHistory(api.db.jdbi()).of(person, 500).stream()
                .filter(e -> e.role() == AccessHistory.Role.SUBJECT && "ALLOW".equals(e.outcome())).count();
    }

    @Test
    void everyRefusalOfAMessageRequestHasAReceiptAndADenyEntryAndNeverAnAllow() throws Exception {
        long p = api.freshPerson();
        long friend = api.app.engine().view().friendsOf(p)[0];
        long other = stranger(p);
        long notMine = thread(friend, other);
        long ours = thread(p, friend);
        long theirMessage = message(ours, friend);
        String token = api.token(p, "tunewave", "share-in-messages",
                List.of("messages:read", "messages:write", "messages:delete"), false);
        String messages = "/v1/people/" + p + "/messages";
        long allowsBefore = allowsOf(p);

        refusedAndLogged(api.send(token, "POST", messages, "{\"to\":" + other + ",\"body\":\"hi\"}"), 404, p, "NOT_FRIENDS");
        refusedAndLogged(api.send(token, "POST", messages, "{\"threadId\":" + notMine + ",\"body\":\"hi\"}"), 404, p,
                "NO_SUCH_RESOURCE");
        refusedAndLogged(api.get(token, "/v1/people/" + p + "/threads/" + notMine + "/messages"), 404, p,
                "NO_SUCH_RESOURCE");
        refusedAndLogged(api.send(token, "DELETE", messages + "/" + theirMessage, null), 404, p, "NO_SUCH_RESOURCE");
        refusedAndLogged(api.send(token, "DELETE", messages + "/987654321", null), 404, p, "NO_SUCH_RESOURCE");
        refusedAndLogged(api.send(token, "POST", messages, "{\"to\":" + friend + ",\"body\":\"\\u0000\"}"), 400, p,
                "INVALID_REQUEST");
        refusedAndLogged(api.send(token, "POST", messages, "{\"to\":" + friend + ",\"body\":5}"), 400, p,
                "INVALID_REQUEST");
        refusedAndLogged(api.send(token, "POST", messages, "{\"to\":\"" + friend + "\",\"body\":\"hi\"}"), 400, p,
                "INVALID_REQUEST");
        refusedAndLogged(api.send(token, "POST", messages, "{\"to\":" + friend + ",\"body\":\"hi\",\"subject\":\"a\\u0000\"}"),
                400, p, "INVALID_REQUEST");
        refusedAndLogged(api.send(token, "POST", messages, "not json"), 400, p, "INVALID_REQUEST");
        refusedAndLogged(api.get(token, "/v1/people/" + p + "/threads?limit=0"), 400, p, "INVALID_REQUEST");
        refusedAndLogged(api.get(token, "/v1/people/" + p + "/threads/abc/messages"), 400, p, "INVALID_REQUEST");
        refusedAndLogged(api.get(token, "/v1/people/abc/threads"), 400, p, "INVALID_REQUEST");

        assertThat(allowsOf(p)).as("no refused request left an ALLOW").isEqualTo(allowsBefore);
        long left = api.db.jdbi().withHandle(h -> h.createQuery("select count(*) from messages where id = :m")
                .bind("m", theirMessage).mapTo(Long.class).one());
        assertThat(left).as("the friend's message is still there").isEqualTo(1);
    }

    @Test
    void aTokenWithoutTheScopeIsA403WithRfc6750InsufficientScope() throws Exception {
        long p = api.freshPerson();
        String token = api.token(p, "orbitel", "device-integration", List.of("calendar:read"), false);
        HttpResponse<String> res = api.get(token, "/v1/people/" + p + "/contacts");
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.headers().firstValue("www-authenticate"))
                .hasValue("Bearer realm=\"custos\", error=\"insufficient_scope\", scope=\"contacts:read\"");

        new custos.server.store.JdbiSettingsStore(api.db.jdbi()).newVersion(p, Map.of(DataCategory.CALENDAR,
                new custos.people.CategorySetting(custos.people.Visibility.FRIENDS, false, false)), Instant.now().minusSeconds(1));
        api.barrier();
        HttpResponse<String> settings = api.get(token, "/v1/people/" + p + "/calendar/events");
        assertThat(settings.statusCode()).isEqualTo(403);
        assertThat(settings.headers().firstValue("www-authenticate")).as("the token has the scope; settings said no")
                .isEmpty();
    }
}
