package custos.audit.witness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The witness's durable memory: per log origin, the latest checkpoint it cosigned (the log's note with the witness's
 * cosignature), in {@code DIR/<hex SHA-256(origin)>}. Each update is written to a temporary file, forced to disk,
 * renamed over the old one and the directory forced, so a crash (kill -9, power loss) leaves the old or the new
 * checkpoint, never a torn one.
 */
public final class WitnessState {
    private final Path dir;

    public WitnessState(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** The lowercase hex SHA-256 of the origin: the file name here and the path of the monitoring endpoint. */
    public static String originHash(String origin) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has SHA-256", e);
        }
    }

    /** The latest cosigned checkpoint note for this origin, if the witness ever cosigned one. */
    public Optional<String> latest(String origin) throws IOException {
        Path file = dir.resolve(originHash(origin));
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    /** Durably replaces the origin's latest cosigned checkpoint; returns only once it is on disk. */
    public void store(String origin, String cosignedNote) throws IOException {
        Path file = dir.resolve(originHash(origin));
        Path tmp = dir.resolve(originHash(origin) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(cosignedNote.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the state directory " + dir + " does not support atomic renames", e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself is durable only once the directory is
        } catch (IOException | UnsupportedOperationException ignored) {
            // some platforms cannot open a directory; the rename is still atomic there
        }
    }
}
