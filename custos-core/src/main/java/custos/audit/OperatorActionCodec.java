package custos.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The canonical bytes of an {@link OperatorAction}, in the same language-neutral style as access events
 * (docs/receipts.md): the code {@link LogEntryKind#OPERATOR_ACTION_V1}, the id (16 bytes), seconds (int64) and
 * nanoseconds (int32) of the time, actor, action (strings: 4-byte length, UTF-8), partner id (int64), target, then
 * before and after, each a 4-byte count of key/value string pairs in ascending key order. Big-endian throughout.
 * The log commits to them exactly as to an access event's: a salted SHA-256 ({@link EventSealer#commitment}).
 */
public final class OperatorActionCodec {
    private static final int MAX_PAIRS = 1_000;

    private OperatorActionCodec() {}

    public static byte[] encode(OperatorAction a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(LogEntryKind.OPERATOR_ACTION_V1);
        int64(out, a.id().getMostSignificantBits());
        int64(out, a.id().getLeastSignificantBits());
        int64(out, a.at().getEpochSecond());
        int32(out, a.at().getNano());
        utf(out, a.actor());
        utf(out, a.action());
        int64(out, a.partnerId());
        utf(out, a.target());
        pairs(out, a.before());
        pairs(out, a.after());
        return out.toByteArray();
    }

    /** The action these bytes encode; anything malformed (truncated, trailing bytes, bad UTF-8) is an {@link IllegalArgumentException}. */
    public static OperatorAction decode(byte[] data) {
        if (data.length == 0 || (data[0] & 0xFF) != LogEntryKind.OPERATOR_ACTION_V1) {
            throw new IllegalArgumentException("not an operator action's bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 1, data.length - 1);
        try {
            UUID id = new UUID(in.getLong(), in.getLong());
            long seconds = in.getLong();
            int nanos = in.getInt();
            if (nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("malformed operator action: nanoseconds out of range");
            }
            String actor = utf(in);
            String action = utf(in);
            long partner = in.getLong();
            String target = utf(in);
            SortedMap<String, String> before = pairs(in);
            SortedMap<String, String> after = pairs(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes after operator action");
            }
            return new OperatorAction(id, Instant.ofEpochSecond(seconds, nanos), actor, action, partner, target, before, after);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("malformed operator action: truncated", e);
        }
    }

    private static void pairs(ByteArrayOutputStream out, Map<String, String> map) {
        int32(out, map.size());
        new TreeMap<>(map).forEach((k, v) -> {
            utf(out, k);
            utf(out, v);
        });
    }

    private static SortedMap<String, String> pairs(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > MAX_PAIRS) {
            throw new IllegalArgumentException("malformed operator action: " + n + " pairs");
        }
        SortedMap<String, String> map = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < n; i++) {
            String key = utf(in);
            if (previous != null && previous.compareTo(key) >= 0) {
                throw new IllegalArgumentException("malformed operator action: keys out of order");
            }
            map.put(key, utf(in));
            previous = key;
        }
        return map;
    }

    private static void utf(ByteArrayOutputStream out, String s) {
        // Lone surrogates are written as '?': the operator's input is checked before it gets here.
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int32(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static String utf(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("malformed operator action: truncated string");
        }
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed operator action: a string is not UTF-8", e);
        }
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        for (int shift = 24; shift >= 0; shift -= 8) out.write(v >>> shift);
    }

    private static void int64(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (v >>> shift));
    }
}
