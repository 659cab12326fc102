package custos.server.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 master key that wraps every person's key (envelope encryption): a wrapped key is
 * {@code 0x01 || nonce (12) || AES-GCM(master, person key) (32 + 16)}, with the person's id in the associated data, so
 * a wrapped key moved to another person's row does not unwrap. The store keeps a check value of it
 * ({@link #checkValue}), so a wrong master key is refused at start instead of unwrapping into garbage.
 */
public final class MasterKey {
    static final int WRAPPED_LENGTH = 1 + 12 + 32 + 16;
    private static final byte VERSION = 1;
    private static final byte[] AAD_PREFIX = "custos/person-key/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final class ThisProcess {
        static final MasterKey KEY = generate();
    }

    private final SecretKeySpec key;

    private MasterKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    public static MasterKey generate() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return new MasterKey(raw);
    }

    /**
     * A key made once per process, for tests and programs whose store is thrown away with them (a scratch benchmark
     * store): a store it wrapped keys in refuses every other master key afterwards.
     */
    public static MasterKey forThisProcess() {
        return ThisProcess.KEY;
    }

    /** The key in {@code path}: 32 bytes, raw or as one line of base64 (as {@link #write} makes it). */
    public static MasterKey read(Path path) {
        byte[] bytes = PrivateFile.read(path, "master key file", KeySource.MASTER_SETTING);
        if (bytes.length == 32) {
            return new MasterKey(bytes);
        }
        try {
            byte[] raw = Base64.getDecoder().decode(new String(bytes, StandardCharsets.US_ASCII).strip());
            if (raw.length == 32) {
                return new MasterKey(raw);
            }
        } catch (IllegalArgumentException notBase64) {
            // said below
        }
        throw new KeyFileException("the master key file " + path + " is not an AES-256 key (32 bytes, raw or base64)");
    }

    /** Writes this key to a new file (base64, 0600). */
    public void write(Path path) {
        PrivateFile.create(path, (Base64.getEncoder().encodeToString(key.getEncoded()) + "\n").getBytes(StandardCharsets.US_ASCII),
                "master key file");
    }

    /** A value the store may keep to recognise this key later; it reveals nothing of the key (HMAC-SHA256 of a label). */
    public byte[] checkValue() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal("custos master key check v1".getBytes(StandardCharsets.US_ASCII)), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has HmacSHA256", e);
        }
    }

    public boolean matches(byte[] checkValue) {
        return MessageDigest.isEqual(checkValue(), checkValue);
    }

    public byte[] wrap(long personId, byte[] personKey) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            gcm.updateAAD(aad(personId));
            byte[] sealed = gcm.doFinal(personKey);
            return ByteBuffer.allocate(1 + 12 + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM wrapping failed", e);
        }
    }

    /** The person's key; fails when it was not wrapped by this master key for this person. */
    public byte[] unwrap(long personId, byte[] wrapped) {
        if (wrapped.length != WRAPPED_LENGTH || wrapped[0] != VERSION) {
            throw new IllegalStateException("the stored key of person " + personId + " is not a wrapped key");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, wrapped, 1, 12));
            gcm.updateAAD(aad(personId));
            return gcm.doFinal(wrapped, 13, wrapped.length - 13);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the stored key of person " + personId
                    + " does not unwrap with this master key (another master key, or moved from another person)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unwrapping failed", e);
        }
    }

    private static byte[] aad(long personId) {
        return ByteBuffer.allocate(AAD_PREFIX.length + 8).put(AAD_PREFIX).putLong(personId).array();
    }
}
