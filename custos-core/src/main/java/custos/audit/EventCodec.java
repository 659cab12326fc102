package custos.audit;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The canonical bytes of an access event, what the log's commitment covers. Version 2 (docs/receipts.md, byte by
 * byte, with test vectors) is language-neutral: fixed field order, unsigned big-endian integers, strings as standard
 * UTF-8 after a 4-byte length, lists after a 4-byte count, the outcome as a documented code. Events are written as
 * version 2; version 1 (Java's modified UTF-8 and an enum ordinal) is still read, for entries sealed before.
 */
public final class EventCodec {
    public static final int VERSION = 2;
    static final int VERSION_1 = 1;
    /**
     * Version 3: version 2's fields in the same order, then the policy sequence number (int64) of the committed
     * decision inputs the decision was made on (docs/bundle-format.md). Written for events that cite inputs.
     */
    public static final int VERSION_3 = 3;
    /**
     * Version 4: version 3, then the inputs cited subject by subject ({@link InputCitations}): the partner's sequence
     * (int64, -1 for none), a 4-byte count, and per person ascending by id the id (uint64) and sequence (int64).
     */
    public static final int VERSION_4 = 4;
    /** The outcome codes of version 2; never the enum's ordinal, so reordering the enum cannot change old bytes. */
    static final int ALLOW_CODE = 1;
    static final int DENY_CODE = 2;
    private static final int MAX_LIST = 10_000;

    private EventCodec() {}

    /**
     * The event's version-2 bytes, written straight into an array of the exact size: the audit writer encodes every
     * event, and buffer growth and per-string copies showed in its profile.
     */
    public static byte[] encode(AccessEvent e) {
        boolean cites = e.policySeq() != AccessEvent.NO_INPUTS;
        InputCitations each = e.cites();
        DecisionBasis b = e.basis() == null ? DecisionBasis.NONE : e.basis();
        String client = nz(e.clientId());
        String purpose = nz(e.purpose());
        String scope = nz(e.scope());
        int size = 1 + 16 + 12 + 8 + utf(client) + utf(purpose) + utf(scope) + 8 + 8 + 4 + 8 * e.coSubjects().size()
                + 1 + utf(e.reasons()) + 32 + 4 + utf(e.fields()) + (cites ? 8 : 0)
                + (each == null ? 0 : 8 + 4 + 16 * each.people().size());
        Writer out = new Writer(size);
        out.int8(each != null ? VERSION_4 : cites ? VERSION_3 : VERSION);
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
        out.int8(outcomeCode(e.outcome()));
        out.utf(e.reasons());
        out.int64(b.agreementId());
        out.int32(b.agreementVersion());
        out.int64(b.consentId());
        out.int32(b.consentVersion());
        out.int32(b.actorSettingsVersion());
        out.int32(b.subjectSettingsVersion());
        out.int32(e.records());
        out.utf(e.fields());
        if (cites) {
            out.int64(e.policySeq());
        }
        if (each != null) {
            out.int64(each.partnerSeq());
            out.int32(each.people().size());
            for (InputCitations.Cited c : each.people()) {
                out.int64(c.person());
                out.int64(c.seq());
            }
        }
        return out.done();
    }

    /** The event these bytes encode, in version 2 or version 1; malformed bytes are an {@link IllegalArgumentException}. */
    public static AccessEvent decode(byte[] data) {
        if (data.length == 0) throw new IllegalArgumentException("empty event bytes");
        return switch (data[0]) {
            case VERSION, VERSION_3, VERSION_4 -> new Reader(data).event();
            case VERSION_1 -> decodeV1(data);
            default -> throw new IllegalArgumentException("unknown event encoding version " + (data[0] & 0xFF));
        };
    }

    static int outcomeCode(Outcome outcome) {
        return switch (outcome) {
            case ALLOW -> ALLOW_CODE;
            case DENY -> DENY_CODE;
        };
    }

    /** Bytes of a string in standard UTF-8 with its 4-byte length; a lone surrogate is written as U+FFFD (3 bytes). */
    private static int utf(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                n += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 2; // a pair: two chars, four bytes
                i++;
            } else {
                n += 2;
            }
        }
        return 4 + n;
    }

    private static int utf(List<String> list) {
        int n = 4;
        for (String s : list) n += utf(s);
        return n;
    }

    /** Big-endian numbers and UTF-8 strings into a fixed array. */
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
            at += 4;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    bytes[at++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[at++] = (byte) (0xC0 | c >> 6);
                    bytes[at++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        bytes[at++] = (byte) (0xF0 | cp >> 18);
                        bytes[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                        bytes[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                        bytes[at++] = (byte) (0x80 | cp & 0x3F);
                    } else {
                        three('\uFFFD');
                    }
                } else {
                    three(c);
                }
            }
            int length = at - lengthAt - 4;
            for (int shift = 24, i = 0; shift >= 0; shift -= 8, i++) bytes[lengthAt + i] = (byte) (length >>> shift);
        }

        private void three(char c) {
            bytes[at++] = (byte) (0xE0 | c >> 12);
            bytes[at++] = (byte) (0x80 | c >> 6 & 0x3F);
            bytes[at++] = (byte) (0x80 | c & 0x3F);
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

    /** Reads versions 2 to 4 strictly: every length in bounds, strings valid UTF-8, a known outcome code, no trailing bytes. */
    private static final class Reader {
        private final byte[] bytes;
        private int at = 1;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        AccessEvent event() {
            UUID id = new UUID(int64(), int64());
            Instant at = Instant.ofEpochSecond(int64(), nanos());
            long partner = int64();
            String client = utf();
            String purpose = utf();
            String scope = utf();
            long actor = int64();
            long subject = int64();
            int n = count();
            List<Long> co = new ArrayList<>(n);
            for (int i = 0; i < n; i++) co.add(int64());
            Outcome outcome = switch (int8()) {
                case ALLOW_CODE -> Outcome.ALLOW;
                case DENY_CODE -> Outcome.DENY;
                default -> throw new IllegalArgumentException("unknown outcome code");
            };
            List<String> reasons = strings();
            DecisionBasis basis = new DecisionBasis(int64(), int32(), int64(), int32(), int32(), int32());
            int records = int32();
            List<String> fields = strings();
            boolean v34 = bytes[0] == VERSION_3 || bytes[0] == VERSION_4;
            long seq = v34 ? int64() : AccessEvent.NO_INPUTS;
            if (v34 && seq < 0) throw new IllegalArgumentException("malformed event bytes: negative policy sequence");
            InputCitations cites = bytes[0] == VERSION_4 ? citations() : null;
            if (this.at != bytes.length) throw new IllegalArgumentException("trailing bytes after event");
            return new AccessEvent(id, at, partner, client, purpose, scope, actor, subject, co, outcome, reasons, basis, records,
                    fields, seq, cites);
        }

        /** Version 4's citations: sequences of -1 or more, people strictly ascending (so each once, in one order). */
        private InputCitations citations() {
            long partnerSeq = citedSeq();
            int n = count();
            List<InputCitations.Cited> people = new ArrayList<>(n);
            long last = -1;
            for (int i = 0; i < n; i++) {
                long person = int64();
                if (person < 0 || (i > 0 && person <= last)) {
                    throw new IllegalArgumentException("malformed event bytes: cited people not in ascending order");
                }
                last = person;
                people.add(new InputCitations.Cited(person, citedSeq()));
            }
            return new InputCitations(partnerSeq, people);
        }

        private long citedSeq() {
            long s = int64();
            if (s < InputCitations.NONE) throw new IllegalArgumentException("malformed event bytes: cited sequence below -1");
            return s;
        }

        private void need(long n) {
            if (n < 0 || n > bytes.length - at) throw new IllegalArgumentException("malformed event bytes: truncated");
        }

        int int8() {
            need(1);
            return bytes[at++] & 0xFF;
        }

        int int32() {
            need(4);
            int v = 0;
            for (int i = 0; i < 4; i++) v = v << 8 | bytes[at++] & 0xFF;
            return v;
        }

        long int64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | bytes[at++] & 0xFF;
            return v;
        }

        private int nanos() {
            int n = int32();
            if (n < 0 || n > 999_999_999) throw new IllegalArgumentException("malformed event bytes: nanoseconds out of range");
            return n;
        }

        private int count() {
            long n = int32() & 0xFFFF_FFFFL;
            if (n > MAX_LIST) throw new IllegalArgumentException("malformed event bytes: list of " + n + " items");
            return (int) n;
        }

        String utf() {
            long n = int32() & 0xFFFF_FFFFL;
            need(n);
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, at, (int) n)).toString();
                at += (int) n;
                return s;
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("malformed event bytes: a string is not UTF-8", e);
            }
        }

        List<String> strings() {
            int n = count();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(utf());
            return out;
        }
    }

    /** Version 1, as {@link java.io.DataOutputStream} wrote it: modified UTF-8 with 2-byte lengths, the outcome's ordinal. */
    private static AccessEvent decodeV1(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            in.readUnsignedByte();
            UUID id = new UUID(in.readLong(), in.readLong());
            Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
            long partner = in.readLong();
            String client = in.readUTF();
            String purpose = in.readUTF();
            String scope = in.readUTF();
            long actor = in.readLong();
            long subject = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > MAX_LIST) throw new IOException("bad list length");
            List<Long> co = new ArrayList<>(n);
            for (int i = 0; i < n; i++) co.add(in.readLong());
            int ordinal = in.readUnsignedByte();
            if (ordinal > 1) throw new IOException("bad outcome");
            Outcome outcome = ordinal == 0 ? Outcome.ALLOW : Outcome.DENY; // version 1's ordinals, fixed for good
            List<String> reasons = stringsV1(in);
            DecisionBasis basis = new DecisionBasis(in.readLong(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readInt());
            int records = in.readInt();
            List<String> fields = stringsV1(in);
            if (in.available() != 0) throw new IllegalArgumentException("trailing bytes after event");
            return new AccessEvent(id, at, partner, client, purpose, scope, actor, subject, co, outcome, reasons, basis, records, fields);
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException("malformed event bytes", ex);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static List<String> stringsV1(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LIST) throw new IOException("bad list length");
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(in.readUTF());
        return out;
    }
}
