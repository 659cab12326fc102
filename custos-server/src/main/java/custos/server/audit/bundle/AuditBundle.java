package custos.server.audit.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An auditor bundle (docs/bundle-format.md): one signed checkpoint, and for each entry shown its log index, its
 * commitment (leaf data), its opening (salt and canonical bytes) and its inclusion proof to that checkpoint. The
 * entries are a partner's access entries in a period (all of them, or a sample drawn from a seed) and the decision
 * inputs they cite. {@code withheld} names entries that could not be opened (an erased person's) and why.
 */
public record AuditBundle(String format, String checkpoint, long partnerId, String partner, String from, String to,
                          Sample sample, List<Entry> entries, List<Withheld> withheld) {
    public static final String FORMAT = "custos-audit-bundle/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public AuditBundle {
        entries = entries == null ? List.of() : List.copyOf(entries);
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
    }

    /** One entry: byte strings are base64 in the file; {@code proof} lists the inclusion proof's hashes, leaf side first. */
    public record Entry(long index, byte[] leaf, byte[] salt, byte[] opening, List<byte[]> proof) {}

    /**
     * How a sampled bundle's access entries were drawn: {@code n} of the {@code population} (the ascending indexes of
     * every access entry of the partner in the period), from the root of {@code seedCheckpoint}.
     */
    public record Sample(int n, String seedCheckpoint, List<Long> population) {}

    /** An entry the bundle should show but cannot open: {@code person}'s key was erased (null when not said). */
    public record Withheld(long index, String reason, Long person) {}

    public void write(Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), this);
    }

    /** The bundle in {@code file}; an unreadable or malformed file is an {@link IOException}. */
    public static AuditBundle read(Path file) throws IOException {
        AuditBundle b = MAPPER.readValue(Files.readAllBytes(file), AuditBundle.class);
        if (!FORMAT.equals(b.format())) {
            throw new IOException("not a " + FORMAT + " file (format " + b.format() + ")");
        }
        return b;
    }
}
