package custos.audit;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A C2SP signed-note split into its text and its signature lines ({@code — name base64(keyid||signature)}). */
public record SignedNote(String text, List<Signature> signatures) {
    private static final int MAX_SIGNATURES = 100;

    /** One signature line: the key name and the decoded blob (4-byte key ID, then the signature). */
    public record Signature(String name, byte[] blob) {
        /** The line as it appears in a note, newline included. */
        public String line() {
            return "\u2014 " + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        }
    }

    public SignedNote {
        signatures = List.copyOf(signatures);
    }

    /** Splits a note at its last blank line; any malformed signature line fails the whole note, as the spec asks. */
    public static SignedNote parse(String note) throws InvalidProofException {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) throw new InvalidProofException("note has no signature block");
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (!block.endsWith("\n")) throw new InvalidProofException("note does not end with a newline");
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) throw new InvalidProofException("note has too many signatures");
        List<Signature> signatures = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("\u2014 ")) throw new InvalidProofException("malformed signature line: " + line);
            String[] f = line.substring(2).split(" ", -1);
            if (f.length != 2 || f[0].isEmpty()) throw new InvalidProofException("malformed signature line: " + line);
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(f[1]);
            } catch (IllegalArgumentException e) {
                throw new InvalidProofException("signature is not base64");
            }
            if (blob.length < 5) throw new InvalidProofException("signature too short");
            signatures.add(new Signature(f[0], blob));
        }
        return new SignedNote(text, signatures);
    }
}
