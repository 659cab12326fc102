package custos.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * A witness's Ed25519 key making C2SP tlog-cosignature/v1 signature lines: {@code — name base64(keyid || u64
 * timestamp || signature)} over {@code "cosignature/v1\ntime <t>\n"} followed by the checkpoint body.
 */
public final class CosignatureSigner {
    /** The signed-note signature type of timestamped Ed25519 cosignatures. */
    static final byte TYPE = 0x04;
    private final String name;
    private final PrivateKey privateKey;
    private final byte[] rawPublic;
    private final byte[] keyId;

    private CosignatureSigner(String name, PrivateKey privateKey, byte[] rawPublic) {
        NoteKeys.checkName(name);
        this.name = name;
        this.privateKey = privateKey;
        this.rawPublic = rawPublic.clone();
        this.keyId = NoteKeys.keyId(name, TYPE, rawPublic);
        byte[] probe = "custos cosigner key check\n".getBytes(StandardCharsets.UTF_8);
        if (!Ed25519.verify(NoteKeys.fromRaw(rawPublic), probe, Ed25519.sign(privateKey, probe))) {
            throw new IllegalArgumentException("the private and public key of " + name + " do not belong together");
        }
    }

    public static CosignatureSigner generate(String name) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new CosignatureSigner(name, pair.getPrivate(), NoteKeys.raw(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has Ed25519", e);
        }
    }

    /** Restores a key from its PKCS#8 private key and raw 32-byte public key, checking that they belong together. */
    public static CosignatureSigner restore(String name, byte[] pkcs8, byte[] rawPublic) {
        if (rawPublic.length != 32) throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        try {
            return new CosignatureSigner(name, KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)), rawPublic);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    public String name() {
        return name;
    }

    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    public byte[] publicKey() {
        return rawPublic.clone();
    }

    /** {@code name+hex8(keyid)+base64(0x04||pubkey)}: the vkey logs and auditors trust this witness by. */
    public String verifierKey() {
        return NoteKeys.verifierKey(name, TYPE, keyId, rawPublic);
    }

    /** The cosignature line (newline-terminated) over a checkpoint body, made at {@code timestamp} (POSIX seconds, > 0). */
    public String cosign(String checkpointBody, long timestamp) {
        if (timestamp <= 0) throw new IllegalArgumentException("a cosignature's timestamp must be positive");
        byte[] sig = Ed25519.sign(privateKey, message(checkpointBody, timestamp));
        byte[] blob = ByteBuffer.allocate(4 + 8 + 64).put(keyId).putLong(timestamp).put(sig).array();
        return new SignedNote.Signature(name, blob).line();
    }

    /** The signed message: {@code cosignature/v1}, {@code time <t>}, then the whole checkpoint body. */
    static byte[] message(String checkpointBody, long timestamp) {
        if (!checkpointBody.endsWith("\n")) throw new IllegalArgumentException("checkpoint body must end with a newline");
        return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8);
    }
}
