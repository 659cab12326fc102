package custos.audit;

/**
 * An event as stored: {@code leafData} is the public commitment that goes into the tree (version byte ||
 * SHA-256(salt || canonical event bytes)); the event itself is only present as AES-GCM ciphertext under its
 * subject's key, bound to the commitment as associated data.
 */
public record SealedEvent(byte[] leafData, byte[] salt, byte[] nonce, byte[] ciphertext) {}
