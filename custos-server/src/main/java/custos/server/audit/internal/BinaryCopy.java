package custos.server.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, for appending a batch of audit entries in one round trip.
 * {@code COPY ... FROM STDIN (FORMAT binary)} skips the per-row parse, bind and type work of {@code INSERT}, which is
 * where the database spent its time when the group commit wrote multi-row inserts.
 *
 * <p>Callers write each row as {@link #row(int)} followed by exactly that many field writes, in the table's column
 * order of the {@code COPY} statement, then take {@link #finish()} once.
 */
public final class BinaryCopy {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** PostgreSQL's timestamp epoch, 2000-01-01T00:00:00Z, in seconds of the Unix epoch. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    public BinaryCopy(int expectedBytes) {
        bytes = new ByteArrayOutputStream(expectedBytes);
        out = new DataOutputStream(bytes);
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // header extension length
        });
    }

    public BinaryCopy row(int fields) {
        write(() -> out.writeShort(fields));
        return this;
    }

    public BinaryCopy int8(long value) {
        write(() -> {
            out.writeInt(8);
            out.writeLong(value);
        });
        return this;
    }

    /** A {@code bytea}; null writes SQL NULL. */
    public BinaryCopy bytea(byte[] value) {
        write(() -> {
            if (value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(value.length);
                out.write(value);
            }
        });
        return this;
    }

    public BinaryCopy text(String value) {
        return bytea(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code timestamptz}: microseconds since PostgreSQL's epoch (servers built with integer datetimes, all since 10). */
    public BinaryCopy timestamptz(Instant at) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L), at.getNano() / 1_000);
        return int8(micros);
    }

    /** The complete {@code COPY} payload, with its trailer. */
    public byte[] finish() {
        write(() -> out.writeShort(-1));
        return bytes.toByteArray();
    }

    private void write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
