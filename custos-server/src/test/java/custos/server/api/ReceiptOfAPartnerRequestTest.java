package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.audit.NoteVerifier;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.account.PersonBrowser;
import custos.server.audit.PythonVerifier;
import custos.server.audit.ReceiptJson;
import custos.server.http.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The receipt of a real partner request, end to end: Seekfar gets a token through the consent screen and reads a
 * person's profile and friend list; the person downloads the receipt of each answer and it proves exactly that
 * request; the friend the list reached gets the same entry's proof, without the person's event.
 */
@Timeout(180)
class ReceiptOfAPartnerRequestTest {
    private static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void thePersonsReceiptProvesThePartnersRequestAndTheFriendGetsItsProofOnly() throws Exception {
        long person = api.freshPerson();
        long friend = api.app.engine().view().friendsOf(person)[0];
        api.settings(friend, Map.of());
        api.barrier();
        String seekfar = api.token(person, "seekfar", "social-search", List.of("profile:read", "friends:read"), true);
        HttpResponse<String> profile = api.get(seekfar, "/v1/people/" + person + "/profile");
        assertThat(profile.statusCode()).isEqualTo(200);
        HttpResponse<String> friends = api.get(seekfar, "/v1/people/" + person + "/friends?limit=50");
        assertThat(friends.statusCode()).isEqualTo(200);
        long profileEntry = ApiFixture.receiptIndex(profile);
        long friendsEntry = ApiFixture.receiptIndex(friends);
        NoteVerifier key = NoteVerifier.parse(api.app.log().signer().verifierKey());

        PersonBrowser browser = PersonBrowser.signedIn(api.base, "person-" + person, ApiFixture.PASSWORD);
        HttpResponse<String> receipt = browser.get("/account/history/" + profileEntry + "/receipt");
        assertThat(receipt.statusCode()).isEqualTo(200);
        AccessEvent proven = ReceiptJson.parse(receipt.body()).verify(key).event();
        assertThat(proven).isEqualTo(api.entry(profile, person));
        assertThat(proven.subject()).isEqualTo(person);
        assertThat(proven.clientId()).isEqualTo("seekfar");
        assertThat(proven.scope()).isEqualTo("profile:read");
        assertThat(proven.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(proven.fields()).containsExactly("id", "name", "city");
        assertThat(proven.cites()).as("the gateway cites the inputs it decided on").isNotNull();
        JsonNode inputs = Json.MAPPER.readTree(receipt.body()).get("event").get("inputs");
        assertThat(inputs.get("policySeq").asLong()).isEqualTo(proven.policySeq());
        assertThat(inputs.get("people").get(0).get("person").asLong()).isEqualTo(person);
        // The verifier written outside Java reads the same entry, citations included (version 4).
        Path file = Files.createTempFile("custos-receipt", ".json");
        try {
            Files.writeString(file, receipt.body());
            PythonVerifier py = PythonVerifier.run(file.toString(), "--key", api.app.log().signer().verifierKey());
            assertThat(py.exit()).as(py.err()).isZero();
            assertThat(py.out()).contains("receipt verified: entry " + profileEntry).contains("person   " + person)
                    .contains("inputs   policy sequence " + proven.policySeq())
                    .contains("person " + person + " at " + proven.cites().seqOf(person));
        } finally {
            Files.deleteIfExists(file);
        }

        AccessEvent listed = ReceiptJson.parse(browser.get("/account/history/" + friendsEntry + "/receipt").body()).verify(key).event();
        assertThat(listed.coSubjects()).contains(friend);
        JsonNode download = Json.MAPPER.readTree(browser.get("/account/download/data.json").body());
        List<Long> indexes = new ArrayList<>();
        download.get("history").forEach(e -> indexes.add(e.get("index").asLong()));
        assertThat(indexes).contains(profileEntry, friendsEntry);

        api.app.oauth().passwords().set(friend, "person-" + friend, ApiFixture.PASSWORD);
        PersonBrowser friendsBrowser = PersonBrowser.signedIn(api.base, "person-" + friend, ApiFixture.PASSWORD);
        HttpResponse<String> theirs = friendsBrowser.get("/account/history/" + friendsEntry + "/receipt");
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(theirs.body()).get("role").asText()).isEqualTo("co-subject");
        assertThat(ReceiptJson.parse(theirs.body()).verify(key).event()).isNull();
        assertThat(friendsBrowser.get("/account/history/" + profileEntry + "/receipt").statusCode())
                .as("the person's own profile read is not the friend's").isEqualTo(404);
    }
}
