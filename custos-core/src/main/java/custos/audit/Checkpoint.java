package custos.audit;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint body: origin line, tree size, base64 root hash, then optional extension lines. It is the
 * text that gets signed as a signed-note.
 */
public record Checkpoint(String origin, long size, byte[] root, List<String> extensions) {
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty() || origin.contains("\n")) throw new IllegalArgumentException("bad origin");
        if (size < 0) throw new IllegalArgumentException("negative size");
        if (root.length != 32) throw new IllegalArgumentException("root is not 32 bytes");
        root = root.clone();
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            if (e.isEmpty() || e.contains("\n")) throw new IllegalArgumentException("bad extension line");
        }
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** The note text, each line ending in a newline. */
    public String body() {
        StringBuilder sb = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(root)).append('\n');
        for (String e : extensions) sb.append(e).append('\n');
        return sb.toString();
    }

    public static Checkpoint parse(String body) throws InvalidProofException {
        if (!body.endsWith("\n")) throw new InvalidProofException("checkpoint does not end with a newline");
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) throw new InvalidProofException("checkpoint has fewer than three lines");
        if (lines[0].isEmpty()) throw new InvalidProofException("checkpoint origin is empty");
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) throw new InvalidProofException("checkpoint size is not a decimal: " + lines[1]);
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidProofException("checkpoint root is not base64");
        }
        if (root.length != 32) throw new InvalidProofException("checkpoint root is not 32 bytes");
        List<String> ext = Arrays.asList(lines).subList(3, lines.length);
        if (ext.stream().anyMatch(String::isEmpty)) throw new InvalidProofException("checkpoint has an empty line");
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new InvalidProofException("checkpoint size out of range");
        }
        return new Checkpoint(lines[0], size, root, ext);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && origin.equals(c.origin) && size == c.size
                && Arrays.equals(root, c.root) && extensions.equals(c.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(root), extensions);
    }

    @Override
    public String toString() {
        return body();
    }
}
