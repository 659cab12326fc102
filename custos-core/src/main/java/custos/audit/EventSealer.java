package custos.audit;

import custos.audit.internal.TreeHasher;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns events into public commitments plus ciphertext under a per-person AES-256 key, and back. Destroying a
 * person's key makes their events unreadable (crypto-shredding) while the commitments, and so every proof, remain.
 */
public final class EventSealer {
    public static final byte COMMITMENT_VERSION = 0x01;
    private static final int SALT = 32;
    private static final int NONCE = 12;
    private final SecureRandom random = FreshBytes.drbg();
    /** Each sealing thread's unused DRBG output: one call per many events costs less than a call per event. */
    private static final ThreadLocal<FreshBytes> FRESH = ThreadLocal.withInitial(FreshBytes::new);
    /** Cipher lookups walk the provider list; each sealing thread keeps one instance and re-initialises it. */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(EventSealer::newCipher);

    public byte[] newPersonKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    public SealedEvent seal(AccessEvent event, byte[] personKey) {
        return sealBytes(EventCodec.encode(event), personKey);
    }

    /** Seals any entry's canonical bytes the same way (a person's decision inputs, issue 15). */
    public SealedEvent sealBytes(byte[] plain, byte[] personKey) {
        FreshBytes fresh = FRESH.get();
        byte[] salt = fresh.take(random, SALT);
        byte[] nonce = fresh.take(random, NONCE);
        byte[] leaf = commitment(salt, plain);
        return new SealedEvent(leaf, salt, nonce, cipher(Cipher.ENCRYPT_MODE, personKey, nonce, leaf, plain));
    }

    /** Decrypts the event and checks it still matches its commitment. */
    public AccessEvent open(SealedEvent sealed, byte[] personKey) throws InvalidProofException {
        return EventCodec.decode(openBytes(sealed, personKey));
    }

    /**
     * The canonical event bytes, decrypted and checked against the commitment: with the salt, the entry's opening,
     * which lets anyone recompute the commitment (docs/receipts.md).
     */
    public byte[] openBytes(SealedEvent sealed, byte[] personKey) throws InvalidProofException {
        byte[] plain;
        try {
            plain = cipher(Cipher.DECRYPT_MODE, personKey, sealed.nonce(), sealed.leafData(), sealed.ciphertext());
        } catch (IllegalStateException e) {
            throw new InvalidProofException("event does not decrypt under this key");
        }
        if (!MessageDigest.isEqual(commitment(sealed.salt(), plain), sealed.leafData())) {
            throw new InvalidProofException("event does not match its commitment");
        }
        return plain;
    }

    public static byte[] commitment(byte[] salt, byte[] eventBytes) {
        byte[] h = TreeHasher.sha256(salt, eventBytes);
        byte[] leaf = new byte[1 + h.length];
        leaf[0] = COMMITMENT_VERSION;
        System.arraycopy(h, 0, leaf, 1, h.length);
        return leaf;
    }

    private static byte[] cipher(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher c = CIPHER.get();
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has AES/GCM", e);
        }
    }
}
