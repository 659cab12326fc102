package custos.server.keys;

import custos.audit.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The log's signing key as a file: a PKCS#8 Ed25519 private key, PEM ({@code -----BEGIN PRIVATE KEY-----}, as
 * {@code openssl genpkey -algorithm ed25519} writes it) or DER. The store holds only its public half.
 */
public final class LogKeyFile {
    static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    static final String PEM_END = "-----END PRIVATE KEY-----";

    private LogKeyFile() {}

    /** The signer of the key in {@code path}, named {@code origin}; a bad file is a {@link KeyFileException}. */
    public static NoteSigner read(Path path, String origin) {
        byte[] bytes = PrivateFile.read(path, "log signing key file", KeySource.LOG_SETTING);
        byte[] der = der(bytes, path);
        try {
            return NoteSigner.fromPkcs8(origin, der);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("the log signing key file " + path + " is not a PKCS#8 Ed25519 private key", e);
        }
    }

    /** Writes a new key to {@code path} (PKCS#8 PEM, 0600) and returns its signer. */
    public static NoteSigner generate(Path path, String origin) {
        NoteSigner signer = NoteSigner.generate(origin);
        write(path, signer.privateKeyPkcs8());
        return signer;
    }

    /** Writes these PKCS#8 bytes to a new file {@code path} as PEM, 0600. */
    public static void write(Path path, byte[] pkcs8) {
        String pem = PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8) + "\n" + PEM_END + "\n";
        PrivateFile.create(path, pem.getBytes(StandardCharsets.US_ASCII), "log signing key file");
    }

    private static byte[] der(byte[] bytes, Path path) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            return bytes; // DER
        }
        int start = text.indexOf(PEM_BEGIN);
        int end = text.indexOf(PEM_END);
        if (start < 0 || end < start) {
            String label = text.substring(begin, Math.max(begin, text.indexOf('\n', begin))).strip();
            throw new KeyFileException("the log signing key file " + path + " holds " + label
                    + ", not an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(start + PEM_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("the log signing key file " + path + " is not valid PEM: " + e.getMessage(), e);
        }
    }
}
