package custos.server.http;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The gateway's own TLS identity, read from PEM files with Helidon's PEM support: a private key (PKCS#8, or the
 * {@code RSA PRIVATE KEY} form; Helidon does not read {@code EC PRIVATE KEY}, so that form is refused with the command
 * that converts it) and the certificate chain it belongs to, leaf first. Reading checks
 * everything an operator can get wrong (a missing file, not PEM, no key, a key of another certificate) and says so
 * in one sentence, so a bad pair stops the start instead of failing every handshake.
 */
public record ServerTls(PrivateKey key, List<X509Certificate> chain) {

    public ServerTls {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /** Reads and checks the pair; throws IllegalArgumentException with a one-line reason. */
    public static ServerTls read(Path certFile, Path keyFile) {
        requireFile(certFile, "certificate");
        requireFile(keyFile, "key");
        List<X509Certificate> chain;
        try {
            chain = Keys.builder().pem(pem -> pem.certChain(Resource.create(certFile))).build().certChain();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read a PEM certificate from " + certFile + ": " + reason(e));
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("cannot read a PEM certificate from " + certFile + ": it holds none");
        }
        PrivateKey key;
        try {
            key = Keys.builder().pem(pem -> pem.key(Resource.create(keyFile))).build().privateKey()
                    .orElseThrow(() -> new IllegalArgumentException("no private key found"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read a PEM private key (PKCS#8 or RSA, unencrypted) from " + keyFile
                    + ": " + reason(e) + (isTraditionalEc(keyFile) ? " (convert it: openssl pkcs8 -topk8 -nocrypt -in " + keyFile
                    + " -out " + keyFile + ".pkcs8)" : ""));
        }
        if (!belongsTo(key, chain.get(0))) {
            throw new IllegalArgumentException("the key in " + keyFile + " does not belong to the first certificate in " + certFile
                    + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new ServerTls(key, chain);
    }

    /** Helidon's TLS configuration of the listener for this identity. */
    public Tls tls() {
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("no readable " + what + " file " + file);
        }
    }

    private static boolean isTraditionalEc(Path keyFile) {
        try {
            return Files.readString(keyFile, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN EC PRIVATE KEY-----");
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** A key belongs to a certificate when what it signs, the certificate's public key verifies. */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm this check does not know: the handshake will tell
        }
        byte[] probe = "custos key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key with an RSA certificate

        }
    }

    /** The innermost cause's message: Helidon wraps the useful part. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }
}
