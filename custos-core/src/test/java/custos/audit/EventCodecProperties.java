package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The canonical event bytes are what the tree commits to, so the encoder may never drift: version 2 must be exactly
 * the layout docs/receipts.md specifies (here written a second, plain way with {@link ByteBuffer} and the JDK's
 * UTF-8), and version 1 bytes, as {@link DataOutputStream} wrote them before, must still decode.
 */
class EventCodecProperties {

    @Property(tries = 500)
    void encodingIsTheSpecifiedLayoutAndDecodesBack(@ForAll("events") AccessEvent e) {
        assertThat(EventCodec.encode(e)).isEqualTo(specified(e));
        assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
    }

    @Property(tries = 300)
    void versionOneBytesStillDecode(@ForAll("v1events") AccessEvent e) throws IOException {
        assertThat(EventCodec.decode(versionOne(e))).isEqualTo(e);
    }

    @Test
    void nonAsciiAndNulAreStandardUtf8WithAByteLength() {
        AccessEvent e = event("Zoë 日本 \u0000 😀", List.of("naïve"));
        byte[] bytes = EventCodec.encode(e);
        byte[] client = "Zoë 日本 \u0000 😀".getBytes(StandardCharsets.UTF_8);
        assertThat(client).hasSize(18).contains((byte) 0); // NUL is one 0x00 byte, not modified UTF-8's C0 80
        int at = 1 + 16 + 12 + 8;
        assertThat(ByteBuffer.wrap(bytes, at, 4).getInt()).isEqualTo(client.length);
        assertThat(Arrays.copyOfRange(bytes, at + 4, at + 4 + client.length)).isEqualTo(client);
        assertThat(EventCodec.decode(bytes)).isEqualTo(e);
    }

    @Test
    void aLoneSurrogateIsWrittenAsTheReplacementCharacter() {
        AccessEvent e = event("a\ud800b", List.of("\udfff"));
        AccessEvent back = EventCodec.decode(EventCodec.encode(e));
        assertThat(back.clientId()).isEqualTo("a\ufffdb");
        assertThat(back.reasons()).containsExactly("\ufffd");
    }

    @Test
    void theOutcomeIsItsDocumentedCodeNotTheEnumOrdinal() {
        int at = 1 + 16 + 12 + 8 + 3 * 4 + "c".length() + "p".length() + "s".length() + 8 + 8 + 4;
        assertThat(EventCodec.encode(event("c", List.of()))[at]).isEqualTo((byte) 2); // DENY
        AccessEvent allow = new AccessEvent(UUID.randomUUID(), Instant.EPOCH, 1, "c", "p", "s", 2, 3, List.of(), Outcome.ALLOW,
                List.of(), DecisionBasis.NONE, 0, List.of());
        assertThat(EventCodec.encode(allow)[at]).isEqualTo((byte) 1);
    }

    @Test
    void malformedBytesAreRefusedNotMisread() {
        byte[] good = EventCodec.encode(event("client", List.of("r")));
        assertThatThrownBy(() -> EventCodec.decode(Arrays.copyOf(good, good.length - 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventCodec.decode(Arrays.copyOf(good, good.length + 1))).hasMessageContaining("trailing");
        byte[] version = good.clone();
        version[0] = 5;
        assertThatThrownBy(() -> EventCodec.decode(version)).hasMessageContaining("version 5");
        byte[] shortOfCitations = good.clone(); // version 2's fields under version 4's byte: the citations are missing
        shortOfCitations[0] = 4;
        assertThatThrownBy(() -> EventCodec.decode(shortOfCitations)).isInstanceOf(IllegalArgumentException.class);
        byte[] notUtf8 = good.clone();
        notUtf8[1 + 16 + 12 + 8 + 4] = (byte) 0xC0; // the first byte of "client": an overlong lead byte
        assertThatThrownBy(() -> EventCodec.decode(notUtf8)).hasMessageContaining("not UTF-8");
        byte[] hugeLength = good.clone();
        hugeLength[1 + 16 + 12 + 8] = (byte) 0xFF;
        assertThatThrownBy(() -> EventCodec.decode(hugeLength)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> EventCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKnownEventHasKnownBytes() {
        AccessEvent e = new AccessEvent(new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L), Instant.ofEpochSecond(1, 2), 3,
                "é", "", "", 4, 5, List.of(6L), Outcome.ALLOW, List.of(), new DecisionBasis(7, 8, 9, 10, 11, 12), 13, List.of("x"));
        assertThat(HexFormat.of().formatHex(EventCodec.encode(e))).isEqualTo("02"
                + "0102030405060708090a0b0c0d0e0f10" + "0000000000000001" + "00000002" + "0000000000000003"
                + "00000002c3a9" + "00000000" + "00000000" + "0000000000000004" + "0000000000000005"
                + "00000001" + "0000000000000006" + "01" + "00000000"
                + "0000000000000007" + "00000008" + "0000000000000009" + "0000000a" + "0000000b" + "0000000c"
                + "0000000d" + "00000001" + "0000000178");
    }

    @Provide
    Arbitrary<AccessEvent> events() {
        // Well-formed text of any code point, NUL and characters outside the BMP included.
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF).list().ofMaxSize(20)
                        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size())),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(40),
                Arbitraries.strings().withChars('\u0000', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff').ofMaxLength(20));
        return eventsOf(text);
    }

    @Provide
    Arbitrary<AccessEvent> v1events() {
        return eventsOf(Arbitraries.strings().all().ofMaxLength(30));
    }

    private static Arbitrary<AccessEvent> eventsOf(Arbitrary<String> text) {
        return Combinators.combine(text, text.list().ofMaxSize(6), Arbitraries.longs().list().ofMaxSize(5),
                        Arbitraries.longs(), Arbitraries.integers())
                .as((s, list, co, n, i) -> new AccessEvent(new UUID(n, ~n), Instant.ofEpochSecond(n >> 20, Math.abs(i % 1_000_000_000)),
                        n, s, s + "p", s.isEmpty() ? "scope" : s, n ^ 5, i, co, i % 2 == 0 ? Outcome.ALLOW : Outcome.DENY,
                        list, new DecisionBasis(n, i, ~n, ~i, i >>> 1, i >>> 2), i, list));
    }

    private static AccessEvent event(String text, List<String> list) {
        return new AccessEvent(UUID.randomUUID(), Instant.EPOCH, 1, text, "p", "s", 2, 3, List.of(), Outcome.DENY,
                list, DecisionBasis.NONE, 0, List.of());
    }

    /** Version 2 as docs/receipts.md specifies it, written the plain way. */
    private static byte[] specified(AccessEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        out.writeBytes(ByteBuffer.allocate(16).putLong(e.id().getMostSignificantBits()).putLong(e.id().getLeastSignificantBits()).array());
        out.writeBytes(ByteBuffer.allocate(12).putLong(e.at().getEpochSecond()).putInt(e.at().getNano()).array());
        out.writeBytes(u64(e.partnerId()));
        str(out, e.clientId());
        str(out, e.purpose());
        str(out, e.scope());
        out.writeBytes(u64(e.actor()));
        out.writeBytes(u64(e.subject()));
        out.writeBytes(u32(e.coSubjects().size()));
        for (long c : e.coSubjects()) out.writeBytes(u64(c));
        out.write(e.outcome() == Outcome.ALLOW ? 1 : 2);
        out.writeBytes(u32(e.reasons().size()));
        for (String s : e.reasons()) str(out, s);
        DecisionBasis b = e.basis();
        out.writeBytes(u64(b.agreementId()));
        out.writeBytes(u32(b.agreementVersion()));
        out.writeBytes(u64(b.consentId()));
        out.writeBytes(u32(b.consentVersion()));
        out.writeBytes(u32(b.actorSettingsVersion()));
        out.writeBytes(u32(b.subjectSettingsVersion()));
        out.writeBytes(u32(e.records()));
        out.writeBytes(u32(e.fields().size()));
        for (String s : e.fields()) str(out, s);
        return out.toByteArray();
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(u32(b.length));
        out.writeBytes(b);
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** The version-1 encoding as first written, on {@link DataOutputStream}: what stores sealed before version 2 hold. */
    static byte[] versionOne(AccessEvent e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(e.id().getMostSignificantBits());
            out.writeLong(e.id().getLeastSignificantBits());
            out.writeLong(e.at().getEpochSecond());
            out.writeInt(e.at().getNano());
            out.writeLong(e.partnerId());
            out.writeUTF(e.clientId() == null ? "" : e.clientId());
            out.writeUTF(e.purpose() == null ? "" : e.purpose());
            out.writeUTF(e.scope() == null ? "" : e.scope());
            out.writeLong(e.actor());
            out.writeLong(e.subject());
            out.writeInt(e.coSubjects().size());
            for (long c : e.coSubjects()) out.writeLong(c);
            out.writeByte(e.outcome().ordinal());
            out.writeInt(e.reasons().size());
            for (String s : e.reasons()) out.writeUTF(s);
            DecisionBasis b = e.basis() == null ? DecisionBasis.NONE : e.basis();
            out.writeLong(b.agreementId());
            out.writeInt(b.agreementVersion());
            out.writeLong(b.consentId());
            out.writeInt(b.consentVersion());
            out.writeInt(b.actorSettingsVersion());
            out.writeInt(b.subjectSettingsVersion());
            out.writeInt(e.records());
            out.writeInt(e.fields().size());
            for (String s : e.fields()) out.writeUTF(s);
        }
        return bytes.toByteArray();
    }
}
