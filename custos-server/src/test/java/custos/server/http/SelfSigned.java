package custos.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and 127.0.0.1 with its private key, as PEM files made by the {@code openssl}
 * command an operator would use, so the gateway reads exactly what it would be given in production.
 */
public record SelfSigned(Path cert, Path key) {

    /** An RSA pair; the key in PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static SelfSigned rsa(Path dir, String name) {
        return make(dir, name, "rsa:2048");
    }

    /** An EC P-256 pair; the key in PKCS#8. */
    public static SelfSigned ec(Path dir, String name) {
        return make(dir, name, "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    private static SelfSigned make(Path dir, String name, String... keySpec) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey"));
        command.addAll(List.of(keySpec));
        command.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        openssl(dir, command);
        return new SelfSigned(cert, key);
    }

    /** The same key in OpenSSL's traditional form ({@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}). */
    public Path traditionalKey() {
        Path out = key.resolveSibling(key.getFileName() + ".traditional");
        openssl(key.getParent(), List.of("openssl", "pkey", "-in", key.toString(), "-traditional", "-out", out.toString()));
        return out;
    }

    public X509Certificate certificate() throws Exception {
        try (var in = Files.newInputStream(cert)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void openssl(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
