package custos.audit;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.OptionalLong;

/** Checks C2SP tlog-cosignature/v1 (Ed25519, type 0x04) cosignatures by one witness on checkpoint notes. */
public final class CosignatureVerifier {
    private final String name;
    private final String verifierKey;
    private final byte[] keyId;
    private final PublicKey key;

    private CosignatureVerifier(String name, String verifierKey, byte[] keyId, PublicKey key) {
        this.name = name;
        this.verifierKey = verifierKey;
        this.keyId = keyId;
        this.key = key;
    }

    /** Parses a witness vkey {@code name+hex8(keyid)+base64(0x04||pubkey)}, checking the key ID against name and key. */
    public static CosignatureVerifier parse(String verifierKey) throws InvalidProofException {
        byte[] raw = NoteKeys.parseVerifierKey(verifierKey, CosignatureSigner.TYPE);
        String name = verifierKey.trim().split("\\+", 2)[0];
        return new CosignatureVerifier(name, verifierKey.trim(), NoteKeys.keyId(name, CosignatureSigner.TYPE, raw), NoteKeys.fromRaw(raw));
    }

    public String name() {
        return name;
    }

    public String verifierKey() {
        return verifierKey;
    }

    /**
     * The timestamp of this witness's valid cosignature on the note's checkpoint body, or empty when the note carries
     * none by this key. A line with this key's name and ID that does not verify fails the note (as signed-note asks).
     */
    public OptionalLong verify(String note) throws InvalidProofException {
        SignedNote parsed = SignedNote.parse(note);
        OptionalLong found = OptionalLong.empty();
        for (SignedNote.Signature s : parsed.signatures()) {
            OptionalLong t = timestampIfMine(parsed.text(), s);
            if (t.isPresent()) found = t;
        }
        return found;
    }

    /** The timestamp of one signature line over {@code checkpointBody} if it is this witness's valid cosignature. */
    public OptionalLong timestampIfMine(String checkpointBody, SignedNote.Signature s) throws InvalidProofException {
        byte[] blob = s.blob();
        if (!s.name().equals(name) || !MessageDigest.isEqual(Arrays.copyOf(blob, 4), keyId)) return OptionalLong.empty();
        if (blob.length != 4 + 8 + 64) throw new InvalidProofException("cosignature by " + name + " is not 76 bytes");
        long timestamp = ByteBuffer.wrap(blob, 4, 8).getLong();
        if (timestamp <= 0) throw new InvalidProofException("cosignature by " + name + " has no timestamp");
        if (!Ed25519.verify(key, CosignatureSigner.message(checkpointBody, timestamp), Arrays.copyOfRange(blob, 12, 76))) {
            throw new InvalidProofException("cosignature by " + name + " does not verify");
        }
        return OptionalLong.of(timestamp);
    }
}
