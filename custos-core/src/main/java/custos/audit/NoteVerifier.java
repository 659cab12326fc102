package custos.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;

/** Checks C2SP signed-notes against one Ed25519 verifier key ({@code name+keyid+base64key}). */
public final class NoteVerifier {
    private final String name;
    private final byte[] keyId;
    private final PublicKey key;

    private NoteVerifier(String name, byte[] keyId, PublicKey key) {
        this.name = name;
        this.keyId = keyId;
        this.key = key;
    }

    public static NoteVerifier parse(String verifierKey) throws InvalidProofException {
        byte[] raw = NoteKeys.parseVerifierKey(verifierKey, NoteKeys.ED25519);
        String name = verifierKey.trim().split("\\+", 2)[0];
        return new NoteVerifier(name, NoteKeys.keyId(name, raw), NoteKeys.fromRaw(raw));
    }

    /** The verifier key string of an Ed25519 public key (X.509 DER) under this name. */
    public static String verifierKey(String name, byte[] publicKeyX509) {
        NoteKeys.checkName(name);
        byte[] raw = Arrays.copyOfRange(publicKeyX509, publicKeyX509.length - 32, publicKeyX509.length);
        return NoteKeys.verifierKey(name, NoteKeys.ED25519, NoteKeys.keyId(name, raw), raw);
    }

    public String name() {
        return name;
    }

    /**
     * Returns the note's text once a signature by this key verifies; signatures by other keys are ignored, as the
     * spec asks, but malformed signature lines fail the whole note.
     */
    public String verify(String note) throws InvalidProofException {
        return verifyIfSigned(SignedNote.parse(note)).orElseThrow(() -> new InvalidProofException("note is not signed by " + name));
    }

    /**
     * The note's text if a signature by this key is on it and verifies; empty if no line has this key's name and ID;
     * an exception if such a line does not verify.
     */
    public java.util.Optional<String> verifyIfSigned(SignedNote note) throws InvalidProofException {
        boolean verified = false;
        for (SignedNote.Signature s : note.signatures()) {
            if (!isMine(s)) continue;
            byte[] blob = s.blob();
            if (blob.length != 68 || !valid(note.text(), Arrays.copyOfRange(blob, 4, 68))) {
                throw new InvalidProofException("signature by " + name + " does not verify");
            }
            verified = true;
        }
        return verified ? java.util.Optional.of(note.text()) : java.util.Optional.empty();
    }

    /** Whether a signature line carries this key's name and key ID. */
    public boolean isMine(SignedNote.Signature s) {
        return s.name().equals(name) && MessageDigest.isEqual(Arrays.copyOf(s.blob(), 4), keyId);
    }

    private boolean valid(String text, byte[] sig) {
        return Ed25519.verify(key, text.getBytes(StandardCharsets.UTF_8), sig);
    }
}
