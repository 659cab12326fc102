package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.data.DataCategory;
import custos.policy.Outcome;
import custos.server.CustosApp;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariant 3 over HTTP: a message someone else wrote, the participants and subject of a thread, and the recipient of
 * a message are other people's data and follow those people's own settings. Tunewave's messages purpose is given
 * friends' data here, so what is withheld is withheld for the other person's settings, not for the purpose.
 */
class CoSubjectsTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0).withRates(10_000, 40));
        api.db.jdbi().useHandle(h -> h.createUpdate("update purposes set friends_data = true where code = 'share-in-messages'")
                .execute());
        api.barrier();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A new thread with {@code subject} and these participants. */
    private static long thread(String subject, long... participants) {
        return api.db.jdbi().inTransaction(h -> {
            long t = h.createUpdate("insert into message_threads (subject, started_at) values (:s, now())")
                    .bind("s", subject).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            for (long p : participants) {
                h.createUpdate("insert into thread_participants (thread_id, person_id) values (:t, :p)")
                        .bind("t", t).bind("p", p).execute();
            }
            return t;
        });
    }

    private static long message(long thread, long sender, String body) {
        return api.db.jdbi().withHandle(h -> h.createUpdate(
                        "insert into messages (thread_id, sender_id, body, sent_at) values (:t, :s, :b, :at)")
                .bind("t", thread).bind("s", sender).bind("b", body).bind("at", Timestamp.from(Instant.now()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    private static long messagesIn(long thread) {
        return api.db.jdbi().withHandle(h -> h.createQuery("select count(*) from messages where thread_id = :t")
                .bind("t", thread).mapTo(Long.class).one());
    }

    /** A fresh person and two friends: the first keeps friends' partners away from messages, the second lets them in. */
    private record Circle(long person, long forbids, long permits) {}

    private static Circle circle() {
        long p = api.freshPerson();
        long[] friends = api.app.engine().view().friendsOf(p);
        api.settings(friends[0], Map.of(DataCategory.MESSAGES, false));
        api.settings(friends[1], Map.of(DataCategory.MESSAGES, true));
        api.barrier();
        return new Circle(p, friends[0], friends[1]);
    }

    private static String token(long person, List<String> scopes, boolean friends) throws Exception {
        return api.token(person, "tunewave", "share-in-messages", scopes, friends);
    }

    @Test
    void aMessageWrittenBySomeoneWhoseSettingsForbidItIsWithheldCountedAndNeverShown() throws Exception {
        Circle c = circle();
        long t = thread("Weekend", c.person(), c.forbids(), c.permits());
        long mine = message(t, c.person(), "my own words");
        message(t, c.forbids(), "a private secret");
        long theirs = message(t, c.permits(), "happy to share");
        String token = token(c.person(), List.of("messages:read"), true);

        HttpResponse<String> res = api.get(token, "/v1/people/" + c.person() + "/threads/" + t + "/messages");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = ApiFixture.json(res);
        List<Long> ids = new ArrayList<>();
        body.get("items").forEach(m -> ids.add(m.get("id").asLong()));
        assertThat(ids).containsExactly(mine, theirs);
        assertThat(body.at("/withheld/count").asInt()).isEqualTo(1);
        assertThat(body.at("/withheld/reasons").toString()).isEqualTo("[\"FRIEND_SETTINGS_FORBID\"]");
        assertThat(res.body()).doesNotContain("a private secret").doesNotContain(":" + c.forbids() + ",")
                .doesNotContain(":" + c.forbids() + "}");
        AccessEvent entry = api.entry(res, c.person());
        assertThat(entry.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(entry.records()).isEqualTo(2);
        assertThat(entry.coSubjects()).as("only authors whose messages were released").containsExactly(c.permits());
    }

    @Test
    void aGrantWithoutFriendsDataReleasesOnlyThePersonsOwnMessages() throws Exception {
        Circle c = circle();
        long t = thread("Weekend", c.person(), c.permits());
        long mine = message(t, c.person(), "mine");
        message(t, c.permits(), "theirs");
        String token = token(c.person(), List.of("messages:read"), false);

        HttpResponse<String> res = api.get(token, "/v1/people/" + c.person() + "/threads/" + t + "/messages");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = ApiFixture.json(res);
        assertThat(body.get("items")).hasSize(1);
        assertThat(body.get("items").get(0).get("id").asLong()).isEqualTo(mine);
        assertThat(body.at("/withheld/count").asInt()).isEqualTo(1);
        assertThat(body.at("/withheld/reasons").toString()).isEqualTo("[\"FRIENDS_DATA_NOT_CONSENTED\"]");
        assertThat(api.entry(res, c.person()).coSubjects()).isEmpty();
    }

    @Test
    void aThreadListCutsParticipantsByTheirOwnSettingsAndShowsASubjectOnlyWhenAllAreReleased() throws Exception {
        Circle c = circle();
        long open = thread("Open plans", c.person(), c.permits());
        long hidden = thread("Hidden plans", c.person(), c.forbids(), c.permits());
        String token = token(c.person(), List.of("messages:read"), true);

        HttpResponse<String> res = api.get(token, "/v1/people/" + c.person() + "/threads?cursor="
                + new Cursor(open - 1).encode());

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode items = ApiFixture.json(res).get("items");
        assertThat(ApiFixture.json(res).has("withheld")).as("threads are cut inside, not withheld whole").isFalse();
        assertThat(items).hasSize(2);
        JsonNode first = items.get(0);
        JsonNode second = items.get(1);
        assertThat(first.get("id").asLong()).isEqualTo(open);
        assertThat(first.get("subject").asText()).isEqualTo("Open plans");
        assertThat(first.get("participants").toString()).isEqualTo("[" + c.person() + "," + c.permits() + "]");
        assertThat(first.has("withheld")).isFalse();
        assertThat(second.get("id").asLong()).isEqualTo(hidden);
        assertThat(second.has("subject")).as("a subject is released only with every participant").isFalse();
        assertThat(second.get("participants").toString()).isEqualTo("[" + c.person() + "," + c.permits() + "]");
        assertThat(second.at("/withheld/count").asInt()).isEqualTo(1);
        assertThat(second.at("/withheld/reasons").toString()).isEqualTo("[\"FRIEND_SETTINGS_FORBID\"]");
        assertThat(res.body()).doesNotContain("Hidden plans");
        assertThat(api.entry(res, c.person()).coSubjects()).containsExactly(c.permits());
    }

    @Test
    void writingToAListedFriendWhoseSettingsForbidItIsA403FriendSettingsForbidAndWritesNothing() throws Exception {
        Circle c = circle(); // c.forbids() keeps messages from friends' partners but shows in friend lists
        String token = token(c.person(), List.of("messages:write"), false);

        HttpResponse<String> res = api.send(token, "POST", "/v1/people/" + c.person() + "/messages",
                "{\"to\":" + c.forbids() + ",\"body\":\"Listen to this\"}");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
        assertThat(ApiFixture.reasons(res)).containsExactly("FRIEND_SETTINGS_FORBID");
        AccessEvent entry = api.entry(res, c.person());
        assertThat(entry.outcome()).isEqualTo(Outcome.DENY);
        assertThat(entry.reasons()).containsExactly("FRIEND_SETTINGS_FORBID");
        assertThat(directThreads(c.person(), c.forbids())).isZero();
        assertThat(api.send(token, "POST", "/v1/people/" + c.person() + "/messages",
                "{\"to\":" + c.permits() + ",\"body\":\"Listen to this\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void writingToAFriendWhoseSettingsAlsoHideThemFromFriendListsLooksLikeWritingToAStranger() throws Exception {
        Circle c = circle();
        api.settings(c.forbids(), Map.of(DataCategory.MESSAGES, false, DataCategory.FRIENDS, false));
        api.barrier();
        String token = token(c.person(), List.of("messages:write"), false);
        long stranger = 1;
        while (stranger == c.person() || api.app.engine().view().areFriends(c.person(), stranger)) {
            stranger++;
        }

        HttpResponse<String> res = api.send(token, "POST", "/v1/people/" + c.person() + "/messages",
                "{\"to\":" + c.forbids() + ",\"body\":\"Listen to this\"}");
        HttpResponse<String> toStranger = api.send(token, "POST", "/v1/people/" + c.person() + "/messages",
                "{\"to\":" + stranger + ",\"body\":\"Listen to this\"}");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(404);
        assertThat(withoutReceipt(res)).isEqualTo(withoutReceipt(toStranger));
        AccessEvent entry = api.entry(res, c.person());
        assertThat(entry.outcome()).isEqualTo(Outcome.DENY);
        assertThat(entry.reasons()).containsExactly("FRIEND_SETTINGS_FORBID");
        assertThat(api.entry(toStranger, c.person()).reasons()).containsExactly("NOT_FRIENDS");
        assertThat(directThreads(c.person(), c.forbids())).isZero();
    }

    /** Threads that both people are in: a refused write must not have started one. */
    private static int directThreads(long a, long b) {
        return api.db.jdbi().withHandle(h -> h.createQuery("""
                        select count(*) from thread_participants x join thread_participants y on x.thread_id = y.thread_id
                        where x.person_id = :a and y.person_id = :b
                          and x.thread_id in (select thread_id from messages where body = 'Listen to this')""")
                .bind("a", a).bind("b", b).mapTo(Integer.class).one());
    }

    @Test
    void writingIntoAThreadWhoseParticipantForbidsItIsA403FriendSettingsForbidAndWritesNothing() throws Exception {
        Circle c = circle();
        long t = thread("Group", c.person(), c.forbids(), c.permits());
        String token = token(c.person(), List.of("messages:write"), false);

        HttpResponse<String> res = api.send(token, "POST", "/v1/people/" + c.person() + "/messages",
                "{\"threadId\":" + t + ",\"body\":\"Listen to this\"}");

        assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
        assertThat(ApiFixture.reasons(res)).containsExactly("FRIEND_SETTINGS_FORBID");
        AccessEvent entry = api.entry(res, c.person());
        assertThat(entry.outcome()).isEqualTo(Outcome.DENY);
        assertThat(entry.reasons()).containsExactly("FRIEND_SETTINGS_FORBID");
        assertThat(messagesIn(t)).isZero();
    }

    static String withoutReceipt(HttpResponse<String> res) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) ApiFixture.json(res);
        body.remove("receipt");
        return res.statusCode() + " " + body;
    }
}
