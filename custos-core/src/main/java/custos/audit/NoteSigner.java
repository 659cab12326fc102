package custos.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** The log's Ed25519 signing key for C2SP signed-notes; it also knows its own verifier key string. */
public final class NoteSigner {
    private final String name;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] keyId;

    public NoteSigner(String name, PrivateKey privateKey, PublicKey publicKey) {
        NoteKeys.checkName(name);
        this.name = name;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.keyId = NoteKeys.keyId(name, NoteKeys.raw(publicKey));
    }

    public static NoteSigner generate(String name) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new NoteSigner(name, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has Ed25519", e);
        }
    }

    /** Restores a key from {@link #privateKeyPkcs8()} and {@link #publicKeyX509()} bytes. */
    public static NoteSigner restore(String name, byte[] pkcs8, byte[] x509) {
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            return new NoteSigner(name, kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)), kf.generatePublic(new X509EncodedKeySpec(x509)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key pair", e);
        }
    }

    public String name() {
        return name;
    }

    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    public byte[] publicKeyX509() {
        return publicKey.getEncoded();
    }

    /** {@code name+hex8(keyid)+base64(0x01||pubkey)}, the string a verifier is configured with. */
    public String verifierKey() {
        return NoteKeys.verifierKey(name, NoteKeys.ED25519, keyId, NoteKeys.raw(publicKey));
    }

    /** The signed note: the text, an empty line, and this key's signature line. */
    public String sign(String text) {
        if (!text.endsWith("\n")) throw new IllegalArgumentException("note text must end with a newline");
        byte[] sig = Ed25519.sign(privateKey, text.getBytes(StandardCharsets.UTF_8));
        byte[] blob = new byte[4 + sig.length];
        System.arraycopy(keyId, 0, blob, 0, 4);
        System.arraycopy(sig, 0, blob, 4, sig.length);
        return text + "\n" + new SignedNote.Signature(name, blob).line();
    }
}
