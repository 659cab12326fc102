package custos.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
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
 * The canonical event bytes are what the tree commits to, so the encoder may never drift: it must write exactly
 * what {@link DataOutputStream} writes for the same fields (the format's definition, version 1), for any text.
 */
class EventCodecProperties {

    @Property(tries = 500)
    void encodingIsByteForByteTheDataOutputStreamFormatAndDecodesBack(@ForAll("events") AccessEvent e) throws IOException {
        assertThat(EventCodec.encode(e)).isEqualTo(streamEncoding(e));
        assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void aStringPastTheFormatsLengthIsRefusedLikeDataOutputStreamRefusesIt() {
        AccessEvent e = event("\u0800".repeat(21_846), List.of()); // 65,538 bytes in modified UTF-8
        assertThatThrownBy(() -> streamEncoding(e)).isInstanceOf(java.io.UTFDataFormatException.class);
        assertThatThrownBy(() -> EventCodec.encode(e)).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Provide
    Arbitrary<AccessEvent> events() {
        // Any char, NUL and lone surrogates included: modified UTF-8 writes each as one to three bytes.
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(40),
                Arbitraries.strings().withChars('\u0000', '\u007f', '\u0080', '\u07ff', '\u0800', '\ud800', '\udfff', '\uffff')
                        .ofMaxLength(20));
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

    /** The version-1 encoding as first written, on {@link DataOutputStream}: the reference the encoder must match. */
    private static byte[] streamEncoding(AccessEvent e) throws IOException {
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
