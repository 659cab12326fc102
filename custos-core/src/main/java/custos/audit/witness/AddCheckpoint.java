package custos.audit.witness;

import custos.audit.InvalidProofException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-witness {@code add-checkpoint} request body: {@code old <size>}, up to 63 base64 consistency-proof
 * hashes, an empty line, then the signed checkpoint note.
 */
public record AddCheckpoint(long oldSize, List<byte[]> proof, String checkpoint) {
    /** The client MUST NOT send more proof lines than this. */
    public static final int MAX_PROOF = 63;

    public AddCheckpoint {
        if (oldSize < 0) throw new IllegalArgumentException("negative old size");
        proof = List.copyOf(proof);
        if (proof.size() > MAX_PROOF) throw new IllegalArgumentException("more than " + MAX_PROOF + " proof hashes");
    }

    public String format() {
        StringBuilder sb = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] h : proof) sb.append(Base64.getEncoder().encodeToString(h)).append('\n');
        return sb.append('\n').append(checkpoint).toString();
    }

    public byte[] bytes() {
        return format().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a request body; anything malformed (the spec's 400) is an {@link InvalidProofException}. */
    public static AddCheckpoint parse(String body) throws InvalidProofException {
        int blank = body.indexOf("\n\n");
        if (blank < 0) throw new InvalidProofException("no empty line before the checkpoint");
        String[] lines = body.substring(0, blank).split("\n", -1);
        if (!lines[0].matches("old (0|[1-9][0-9]{0,18})")) throw new InvalidProofException("first line is not \"old <size>\"");
        long old;
        try {
            old = Long.parseLong(lines[0].substring(4));
        } catch (NumberFormatException e) {
            throw new InvalidProofException("old size out of range");
        }
        if (lines.length - 1 > MAX_PROOF) throw new InvalidProofException("more than " + MAX_PROOF + " consistency proof lines");
        List<byte[]> proof = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            byte[] h;
            try {
                h = Base64.getDecoder().decode(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new InvalidProofException("consistency proof line " + i + " is not base64");
            }
            if (h.length != 32) throw new InvalidProofException("consistency proof line " + i + " is not a 32-byte hash");
            proof.add(h);
        }
        return new AddCheckpoint(old, proof, body.substring(blank + 2));
    }
}
