package custos.audit;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-proof: the receipt a person keeps. Entry index, RFC 6962 inclusion path and the signed checkpoint it
 * leads to, verifiable offline with the log's verifier key.
 */
public record TlogProof(long index, List<byte[]> path, String signedCheckpoint) {
    private static final String HEADER = "c2sp.org/tlog-proof@v1";

    public TlogProof {
        path = List.copyOf(path);
    }

    public String format() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n').append("index ").append(index).append('\n');
        for (byte[] h : path) sb.append(Base64.getEncoder().encodeToString(h)).append('\n');
        return sb.append('\n').append(signedCheckpoint).toString();
    }

    public static TlogProof parse(String text) throws InvalidProofException {
        int sep = text.indexOf("\n\n");
        if (sep < 0) throw new InvalidProofException("tlog-proof has no checkpoint");
        String[] lines = text.substring(0, sep).split("\n", -1);
        if (!lines[0].equals(HEADER)) throw new InvalidProofException("not a c2sp.org/tlog-proof@v1");
        int at = 1;
        if (at < lines.length && lines[at].startsWith("extra ")) at++;
        if (at >= lines.length || !lines[at].matches("index (0|[1-9][0-9]{0,18})")) throw new InvalidProofException("tlog-proof index line malformed");
        long index;
        try {
            index = Long.parseLong(lines[at].substring(6));
        } catch (NumberFormatException e) {
            throw new InvalidProofException("tlog-proof index out of range");
        }
        List<byte[]> path = new ArrayList<>();
        for (int i = at + 1; i < lines.length; i++) {
            try {
                byte[] h = Base64.getDecoder().decode(lines[i]);
                if (h.length != 32) throw new InvalidProofException("tlog-proof hash is not 32 bytes");
                path.add(h);
            } catch (IllegalArgumentException e) {
                throw new InvalidProofException("tlog-proof hash is not base64");
            }
        }
        return new TlogProof(index, path, text.substring(sep + 2));
    }

    /**
     * Verifies that the entry with these data bytes is at {@link #index} of the checkpointed tree, and that the log's
     * key signed that checkpoint. Returns the checkpoint.
     */
    public Checkpoint verify(byte[] entryData, NoteVerifier log) throws InvalidProofException {
        Checkpoint cp = Checkpoint.parse(log.verify(signedCheckpoint));
        ProofVerifier.verifyInclusion(ProofVerifier.leafHash(entryData), index, cp.size(), path, cp.root());
        return cp;
    }
}
