package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OperatorActionCodecTest {
    private static final OperatorAction RETIRE = new OperatorAction(UUID.fromString("00000000-0000-0001-0000-000000000002"),
            Instant.ofEpochSecond(1_700_000_000L, 5), "ops", "purpose.retire", 3, "purpose:7",
            new TreeMap<>(Map.of("retiredAt", "")), new TreeMap<>(Map.of("retiredAt", "2023-11-14T22:13:20Z")));

    @Test
    void anOperatorActionsBytesAreTheDocumentedLayoutByteForByte() {
        String hex = HexFormat.of().formatHex(OperatorActionCodec.encode(RETIRE));
        assertThat(hex).isEqualTo("10"                                  // code 16: operator action, version 1
                + "0000000000000001" + "0000000000000002"               // id
                + "000000006553f100" + "00000005"                       // seconds, nanoseconds
                + "00000003" + "6f7073"                                 // actor "ops"
                + "0000000e" + HexFormat.of().formatHex("purpose.retire".getBytes())
                + "0000000000000003"                                    // partner
                + "00000009" + HexFormat.of().formatHex("purpose:7".getBytes())
                + "00000001" + "00000009" + HexFormat.of().formatHex("retiredAt".getBytes()) + "00000000"
                + "00000001" + "00000009" + HexFormat.of().formatHex("retiredAt".getBytes())
                + "00000014" + HexFormat.of().formatHex("2023-11-14T22:13:20Z".getBytes()));
    }

    @Test
    void decodingTheBytesGivesTheSameActionBackWithKeysInOrderAndNonAsciiText() {
        OperatorAction a = OperatorAction.of(Instant.parse("2026-12-01T10:00:00.123456789Z"), "ops-zoë", "partner.register", 99,
                "partner:99", Map.of(), Map.of("slug", "x", "name", "Müller & Söhne", "kind", "RETAILER", "status", "ACTIVE"));
        assertThat(OperatorActionCodec.decode(OperatorActionCodec.encode(a))).isEqualTo(a);
    }

    @Test
    void malformedBytesAreRefusedNotGuessed() {
        byte[] good = OperatorActionCodec.encode(RETIRE);
        assertThatThrownBy(() -> OperatorActionCodec.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> OperatorActionCodec.decode(longer)).hasMessageContaining("trailing");
        byte[] other = good.clone();
        other[0] = 2;
        assertThatThrownBy(() -> OperatorActionCodec.decode(other)).hasMessageContaining("not an operator action");
    }

    @Test
    void theFirstByteTellsAccessEventsFromOperatorActionsAndRefusesAnUnknownCode() {
        assertThat(LogEntryKind.of(OperatorActionCodec.encode(RETIRE))).isEqualTo(LogEntryKind.OPERATOR_ACTION);
        assertThat(LogEntryKind.of(new byte[] {(byte) EventCodec.VERSION})).isEqualTo(LogEntryKind.ACCESS_EVENT);
        assertThat(LogEntryKind.of(new byte[] {1})).isEqualTo(LogEntryKind.ACCESS_EVENT);
        assertThat(LogEntryKind.of(new byte[] {17})).isEqualTo(LogEntryKind.DECISION_INPUT);
        assertThatThrownBy(() -> LogEntryKind.of(new byte[] {19})).hasMessageContaining("unknown log entry code 19");
    }

    @Test
    void theCommitmentOfAnActionIsCheckableFromItsOpeningAlone() {
        byte[] salt = new byte[32];
        byte[] opening = OperatorActionCodec.encode(RETIRE);
        byte[] leaf = EventSealer.commitment(salt, opening);
        assertThat(leaf[0]).isEqualTo(EventSealer.COMMITMENT_VERSION);
        opening[opening.length - 1] ^= 1;
        assertThat(EventSealer.commitment(salt, opening)).isNotEqualTo(leaf);
    }
}
