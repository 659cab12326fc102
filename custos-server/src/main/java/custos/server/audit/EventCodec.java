package custos.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import custos.audit.AccessEvent;
import custos.server.http.Json;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns an access event into what the log stores: canonical bytes, a salted commitment (the Merkle leaf's data,
 * which reveals nothing about the event), and the event encrypted with AES-GCM under its subject's key, bound to
 * its log index so a ciphertext cannot be moved to another entry.
 */
final class EventCodec {
    static final byte COMMITMENT_VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventCodec() {}

    static byte[] canonical(AccessEvent event) {
        try {
            return Json.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an access event could not be serialised", e);
        }
    }

    static AccessEvent parse(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, AccessEvent.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored access event could not be read", e);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** version || SHA-256(salt || event): the leaf data. */
    static byte[] commitment(byte[] salt, byte[] canonical) {
        MessageDigest sha = sha256();
        sha.update(salt);
        sha.update(canonical);
        byte[] digest = sha.digest();
        byte[] out = new byte[1 + digest.length];
        out[0] = COMMITMENT_VERSION;
        System.arraycopy(digest, 0, out, 1, digest.length);
        return out;
    }

    /** RFC 6962 leaf hash: SHA-256(0x00 || data). */
    static byte[] leafHash(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        sha.update(data);
        return sha.digest();
    }

    static byte[] encrypt(byte[] key, byte[] nonce, long index, byte[] plaintext) {
        return aes(Cipher.ENCRYPT_MODE, key, nonce, index, plaintext);
    }

    static byte[] decrypt(byte[] key, byte[] nonce, long index, byte[] ciphertext) {
        return aes(Cipher.DECRYPT_MODE, key, nonce, index, ciphertext);
    }

    private static byte[] aes(int mode, byte[] key, byte[] nonce, long index, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(ByteBuffer.allocate(Long.BYTES).putLong(index).array());
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed (wrong key, or the entry was altered)", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
