package custos.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Checks C2SP signed-notes against one Ed25519 verifier key ({@code name+keyid+base64key}). */
public final class NoteVerifier {
    private static final int MAX_SIGNATURES = 100;
    private final String name;
    private final byte[] keyId;
    private final PublicKey key;

    private NoteVerifier(String name, byte[] keyId, PublicKey key) {
        this.name = name;
        this.keyId = keyId;
        this.key = key;
    }

    public static NoteVerifier parse(String verifierKey) throws InvalidProofException {
        String[] parts = verifierKey.trim().split("\\+", 3);
        if (parts.length != 3) throw new InvalidProofException("verifier key is not name+keyid+key");
        byte[] id;
        byte[] typed;
        try {
            NoteKeys.checkName(parts[0]);
            id = HexFormat.of().parseHex(parts[1]);
            typed = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidProofException("malformed verifier key: " + e.getMessage());
        }
        if (id.length != 4 || typed.length != 33 || typed[0] != NoteKeys.ED25519) {
            throw new InvalidProofException("verifier key is not an Ed25519 key");
        }
        byte[] raw = Arrays.copyOfRange(typed, 1, 33);
        if (!MessageDigest.isEqual(id, NoteKeys.keyId(parts[0], raw))) throw new InvalidProofException("verifier key ID does not match its key");
        try {
            return new NoteVerifier(parts[0], id, NoteKeys.fromRaw(raw));
        } catch (IllegalArgumentException e) {
            throw new InvalidProofException("verifier key is not an Ed25519 key");
        }
    }

    /** The verifier key string of an Ed25519 public key (X.509 DER) under this name. */
    public static String verifierKey(String name, byte[] publicKeyX509) {
        NoteKeys.checkName(name);
        byte[] raw = Arrays.copyOfRange(publicKeyX509, publicKeyX509.length - 32, publicKeyX509.length);
        byte[] typed = new byte[33];
        typed[0] = NoteKeys.ED25519;
        System.arraycopy(raw, 0, typed, 1, 32);
        return name + "+" + HexFormat.of().formatHex(NoteKeys.keyId(name, raw)) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    public String name() {
        return name;
    }

    /**
     * Returns the note's text once a signature by this key verifies; signatures by other keys are ignored, as the
     * spec asks, but malformed signature lines fail the whole note.
     */
    public String verify(String note) throws InvalidProofException {
        int split = note.lastIndexOf("\n\n");
        if (split < 0) throw new InvalidProofException("note has no signature block");
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (!block.endsWith("\n")) throw new InvalidProofException("note does not end with a newline");
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) throw new InvalidProofException("note has too many signatures");
        boolean verified = false;
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
            if (!f[0].equals(name) || !MessageDigest.isEqual(Arrays.copyOf(blob, 4), keyId)) continue;
            if (blob.length != 68 || !valid(text, Arrays.copyOfRange(blob, 4, 68))) {
                throw new InvalidProofException("signature by " + name + " does not verify");
            }
            verified = true;
        }
        if (!verified) throw new InvalidProofException("note is not signed by " + name);
        return text;
    }

    private boolean valid(String text, byte[] sig) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
