package custos.audit;

import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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

    public static byte[] encode(AccessEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(e.id().getMostSignificantBits());
            out.writeLong(e.id().getLeastSignificantBits());
            out.writeLong(e.at().getEpochSecond());
            out.writeInt(e.at().getNano());
            out.writeLong(e.partnerId());
            out.writeUTF(nz(e.clientId()));
            out.writeUTF(nz(e.purpose()));
            out.writeUTF(nz(e.scope()));
            out.writeLong(e.actor());
            out.writeLong(e.subject());
            out.writeInt(e.coSubjects().size());
            for (long c : e.coSubjects()) out.writeLong(c);
            out.writeByte(e.outcome().ordinal());
            strings(out, e.reasons());
            DecisionBasis b = e.basis() == null ? DecisionBasis.NONE : e.basis();
            out.writeLong(b.agreementId());
            out.writeInt(b.agreementVersion());
            out.writeLong(b.consentId());
            out.writeInt(b.consentVersion());
            out.writeInt(b.actorSettingsVersion());
            out.writeInt(b.subjectSettingsVersion());
            out.writeInt(e.records());
            strings(out, e.fields());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
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

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) out.writeUTF(s);
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000) throw new IOException("bad list length");
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(in.readUTF());
        return out;
    }
}
