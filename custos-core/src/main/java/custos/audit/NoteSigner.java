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

/** An Ed25519 signing key held in memory (e.g. read from a PKCS#8 key file), signing C2SP signed-notes. */
public final class NoteSigner implements CheckpointSigner {
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

    /**
     * The key of a PKCS#8 Ed25519 private key (DER), its public half derived from it: Ed25519's private key is a
     * 32-byte seed, and the JDK's key pair generator fed exactly that seed derives the same key pair.
     */
    public static NoteSigner fromPkcs8(String name, byte[] pkcs8) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 Ed25519 private key", e);
        }
        byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the Ed25519 private key has no extractable seed"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(java.security.spec.NamedParameterSpec.ED25519, new java.security.SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            KeyPair pair = generator.generateKeyPair();
            if (!java.util.Arrays.equals(pair.getPrivate().getEncoded(), key.getEncoded())) {
                throw new IllegalStateException("the JDK derived another Ed25519 key from the seed");
            }
            return new NoteSigner(name, key, pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has Ed25519", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    @Override
    public byte[] publicKeyX509() {
        return publicKey.getEncoded();
    }

    @Override
    public String verifierKey() {
        return NoteKeys.verifierKey(name, NoteKeys.ED25519, keyId, NoteKeys.raw(publicKey));
    }

    @Override
    public String sign(String text) {
        if (!text.endsWith("\n")) throw new IllegalArgumentException("note text must end with a newline");
        byte[] sig = Ed25519.sign(privateKey, text.getBytes(StandardCharsets.UTF_8));
        byte[] blob = new byte[4 + sig.length];
        System.arraycopy(keyId, 0, blob, 0, 4);
        System.arraycopy(sig, 0, blob, 4, sig.length);
        return text + "\n" + new SignedNote.Signature(name, blob).line();
    }
}
