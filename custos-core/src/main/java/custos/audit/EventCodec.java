package custos.audit;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The canonical bytes of an access event: fixed field order, big-endian numbers, length-prefixed UTF-8 strings.
 * Canonical so the commitment in the tree can be recomputed from a decrypted event. Version 1.
 */
public final class EventCodec {
    private static final int VERSION = 1;

    private EventCodec() {}

    /**
     * The event's bytes, exactly as {@link DataOutputStream} writes these fields (strings in its modified UTF-8 with
     * a two-byte length), written straight into an array of the right size: the audit writer encodes every event,
     * and the stream's buffer growth and per-string scans showed in its profile.
     */
    public static byte[] encode(AccessEvent e) {
        DecisionBasis b = e.basis() == null ? DecisionBasis.NONE : e.basis();
        String client = nz(e.clientId());
        String purpose = nz(e.purpose());
        String scope = nz(e.scope());
        int size = 1 + 16 + 12 + 8 + utf(client) + utf(purpose) + utf(scope) + 8 + 8 + 4 + 8 * e.coSubjects().size()
                + 1 + utf(e.reasons()) + 32 + 4 + utf(e.fields());
        Writer out = new Writer(size);
        out.int8(VERSION);
        out.int64(e.id().getMostSignificantBits());
        out.int64(e.id().getLeastSignificantBits());
        out.int64(e.at().getEpochSecond());
        out.int32(e.at().getNano());
        out.int64(e.partnerId());
        out.utf(client);
        out.utf(purpose);
        out.utf(scope);
        out.int64(e.actor());
        out.int64(e.subject());
        out.int32(e.coSubjects().size());
        for (long c : e.coSubjects()) out.int64(c);
        out.int8(e.outcome().ordinal());
        out.utf(e.reasons());
        out.int64(b.agreementId());
        out.int32(b.agreementVersion());
        out.int64(b.consentId());
        out.int32(b.consentVersion());
        out.int32(b.actorSettingsVersion());
        out.int32(b.subjectSettingsVersion());
        out.int32(e.records());
        out.utf(e.fields());
        return out.done();
    }

    /** Bytes of a string in modified UTF-8 with its length prefix; refuses what {@code writeUTF} refuses. */
    private static int utf(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0x7F) {
                n += c > 0x7FF ? 2 : 1;
            }
        }
        if (n > 65_535) {
            throw new UncheckedIOException(new java.io.UTFDataFormatException("string too long: " + n + " bytes"));
        }
        return 2 + n;
    }

    private static int utf(List<String> list) {
        int n = 4;
        for (String s : list) n += utf(s);
        return n;
    }

    /** Big-endian numbers and modified UTF-8 into a fixed array, as {@link DataOutputStream} would. */
    private static final class Writer {
        private final byte[] bytes;
        private int at;

        Writer(int size) {
            bytes = new byte[size];
        }

        void int8(int v) {
            bytes[at++] = (byte) v;
        }

        void int32(int v) {
            for (int shift = 24; shift >= 0; shift -= 8) bytes[at++] = (byte) (v >>> shift);
        }

        void int64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) bytes[at++] = (byte) (v >>> shift);
        }

        void utf(String s) {
            int lengthAt = at;
            at += 2;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != 0 && c <= 0x7F) {
                    bytes[at++] = (byte) c;
                } else if (c <= 0x7FF) {
                    bytes[at++] = (byte) (0xC0 | c >> 6);
                    bytes[at++] = (byte) (0x80 | c & 0x3F);
                } else {
                    bytes[at++] = (byte) (0xE0 | c >> 12);
                    bytes[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[at++] = (byte) (0x80 | c & 0x3F);
                }
            }
            int length = at - lengthAt - 2;
            bytes[lengthAt] = (byte) (length >>> 8);
            bytes[lengthAt + 1] = (byte) length;
        }

        void utf(List<String> list) {
            int32(list.size());
            for (String s : list) utf(s);
        }

        byte[] done() {
            if (at != bytes.length) {
                throw new IllegalStateException("event encoding sized " + bytes.length + " bytes, wrote " + at);
            }
            return bytes;
        }
    }

    public static AccessEvent decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readUnsignedByte() != VERSION) throw new IllegalArgumentException("unknown event encoding");
            UUID id = new UUID(in.readLong(), in.readLong());
            Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
            long partner = in.readLong();
            String client = in.readUTF();
            String purpose = in.readUTF();
            String scope = in.readUTF();
            long actor = in.readLong();
            long subject = in.readLong();
            int n = in.readInt();
            List<Long> co = new ArrayList<>(n);
            for (int i = 0; i < n; i++) co.add(in.readLong());
            Outcome outcome = Outcome.values()[in.readUnsignedByte()];
            List<String> reasons = strings(in);
            DecisionBasis basis = new DecisionBasis(in.readLong(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readInt());
            int records = in.readInt();
            List<String> fields = strings(in);
            if (in.available() != 0) throw new IllegalArgumentException("trailing bytes after event");
            return new AccessEvent(id, at, partner, client, purpose, scope, actor, subject, co, outcome, reasons, basis, records, fields);
        } catch (IOException | IndexOutOfBoundsException ex) {
            throw new IllegalArgumentException("malformed event bytes", ex);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000) throw new IOException("bad list length");
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(in.readUTF());
        return out;
    }
}
