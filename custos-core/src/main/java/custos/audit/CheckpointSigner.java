package custos.audit;

/**
 * The one seam between the log and its private key: signs checkpoints as a C2SP signed-note. {@link NoteSigner} holds
 * the key in memory (read from a PKCS#8 key file); a PKCS#11 token or a cloud KMS can stand in its place, since the
 * log needs nothing of the key but these four answers.
 */
public interface CheckpointSigner {
    /** The key's name: the log's origin line. */
    String name();

    /** The public half, X.509 SubjectPublicKeyInfo DER: what the store records, never the private half. */
    byte[] publicKeyX509();

    /** {@code name+hex8(keyid)+base64(0x01||pubkey)}, the string a verifier is configured with. */
    default String verifierKey() {
        return NoteVerifier.verifierKey(name(), publicKeyX509());
    }

    /** The signed note: the text, an empty line, and this key's signature line. */
    String sign(String text);
}
