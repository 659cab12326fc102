package custos.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.audit.AccessEvent;
import custos.audit.EventCodec;
import custos.audit.EventSealer;
import custos.audit.ProofVerifier;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.http.Json;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The published test vectors (docs/receipts/vectors.json) are what Custos writes: the Java encoder produces each
 * vector's bytes from its fields, and its commitment and leaf hash; and the Python verifier agrees on all of it.
 */
@Timeout(90)
class ReceiptVectorsTest {
    static final HexFormat HEX = HexFormat.of();

    @Test
    void theJavaEncoderWritesThePublishedVectors() throws Exception {
        JsonNode vectors = Json.MAPPER.readTree(Files.readString(PythonVerifier.repoFile("docs/receipts/vectors.json"))).get("vectors");
        assertThat(vectors.size()).isGreaterThanOrEqualTo(4);
        boolean nonAscii = false;
        for (JsonNode v : vectors) {
            AccessEvent event = event(v.get("event"));
            byte[] bytes = HEX.parseHex(v.get("eventHex").asText());
            assertThat(HEX.formatHex(EventCodec.encode(event))).as(v.get("name").asText()).isEqualTo(v.get("eventHex").asText());
            assertThat(EventCodec.decode(bytes)).isEqualTo(event);
            byte[] commitment = EventSealer.commitment(HEX.parseHex(v.get("salt").asText()), bytes);
            assertThat(HEX.formatHex(commitment)).isEqualTo(v.get("commitment").asText());
            assertThat(HEX.formatHex(ProofVerifier.leafHash(commitment))).isEqualTo(v.get("leafHash").asText());
            nonAscii |= !event.clientId().chars().allMatch(c -> c < 0x80);
        }
        assertThat(nonAscii).as("a vector with non-ASCII text").isTrue();
    }

    @Test
    void versionOneVectorsStillDecodeToTheirFields() throws Exception {
        JsonNode vectors = Json.MAPPER.readTree(Files.readString(PythonVerifier.repoFile("docs/receipts/vectors.json"))).get("version1");
        assertThat(vectors.size()).isGreaterThanOrEqualTo(2);
        for (JsonNode v : vectors) {
            byte[] bytes = HEX.parseHex(v.get("eventHex").asText());
            assertThat(bytes[0]).isEqualTo((byte) 1);
            assertThat(EventCodec.decode(bytes)).as(v.get("name").asText()).isEqualTo(event(v.get("event")));
            assertThat(HEX.formatHex(EventSealer.commitment(HEX.parseHex(v.get("salt").asText()), bytes))).isEqualTo(v.get("commitment").asText());
        }
    }

    @Test
    void thePythonVerifierAgreesWithTheVectors() throws Exception {
        PythonVerifier run = PythonVerifier.run("--vectors", PythonVerifier.repoFile("docs/receipts/vectors.json").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("vectors verified: 4 events").contains("2 version-1 events decode");
    }

    static AccessEvent event(JsonNode e) {
        JsonNode b = e.get("basis");
        return new AccessEvent(UUID.fromString(e.get("id").asText()), Instant.parse(e.get("at").asText()), e.get("partnerId").asLong(),
                e.get("clientId").asText(), e.get("purpose").asText(), e.get("scope").asText(), e.get("actor").asLong(),
                e.get("subject").asLong(), longs(e.get("coSubjects")), Outcome.valueOf(e.get("outcome").asText()),
                strings(e.get("reasons")), new DecisionBasis(b.get("agreementId").asLong(), b.get("agreementVersion").asInt(),
                b.get("consentId").asLong(), b.get("consentVersion").asInt(), b.get("actorSettingsVersion").asInt(),
                b.get("subjectSettingsVersion").asInt()), e.get("records").asInt(), strings(e.get("fields")));
    }

    private static List<Long> longs(JsonNode a) {
        List<Long> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
