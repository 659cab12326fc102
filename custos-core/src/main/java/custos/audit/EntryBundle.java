package custos.audit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A tlog-tiles entry bundle: each entry as a 2-byte big-endian length followed by its bytes. */
public final class EntryBundle {
    private EntryBundle() {}

    public static byte[] encode(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            if (e.length > 0xFFFF) throw new IllegalArgumentException("entry longer than 65535 bytes");
            out.write(e.length >>> 8);
            out.write(e.length & 0xFF);
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    public static List<byte[]> decode(byte[] bundle) throws InvalidProofException {
        List<byte[]> entries = new ArrayList<>();
        int at = 0;
        while (at < bundle.length) {
            if (at + 2 > bundle.length) throw new InvalidProofException("entry bundle truncated in a length");
            int len = (bundle[at] & 0xFF) << 8 | (bundle[at + 1] & 0xFF);
            at += 2;
            if (at + len > bundle.length) throw new InvalidProofException("entry bundle truncated in an entry");
            byte[] e = new byte[len];
            System.arraycopy(bundle, at, e, 0, len);
            entries.add(e);
            at += len;
        }
        return entries;
    }
}
