package custos.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading the gateway's TLS identity from PEM files: every form openssl writes, and one sentence for each mistake. */
@Timeout(60)
class ServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void readsAnRsaKeyInPkcs8OrTraditionalFormAndAnEcKeyInPkcs8WithItsCertificate() throws Exception {
        SelfSigned rsa = SelfSigned.rsa(dir, "rsa");
        SelfSigned ec = SelfSigned.ec(dir, "ec");
        assertThat(Files.readString(rsa.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(rsa.traditionalKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        for (Path[] pair : new Path[][] {{rsa.cert(), rsa.key()}, {rsa.cert(), rsa.traditionalKey()}, {ec.cert(), ec.key()}}) {
            ServerTls tls = ServerTls.read(pair[0], pair[1]);
            assertThat(tls.chain()).as(pair[1].toString()).hasSize(1);
            assertThat(tls.chain().get(0)).isEqualTo(SelfSigned.class.cast(pair[0].equals(rsa.cert()) ? rsa : ec).certificate());
            assertThat(tls.tls().enabled()).isTrue();
        }
    }

    @Test
    void anEcKeyInOpensslsTraditionalFormIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        SelfSigned ec = SelfSigned.ec(dir, "ec");
        Path traditional = ec.traditionalKey();
        assertThat(Files.readString(traditional)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThatThrownBy(() -> ServerTls.read(ec.cert(), traditional)).hasMessageStartingWith(
                "cannot read a PEM private key (PKCS#8 or RSA, unencrypted) from " + traditional)
                .hasMessageEndingWith("(convert it: openssl pkcs8 -topk8 -nocrypt -in " + traditional + " -out " + traditional + ".pkcs8)");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        SelfSigned one = SelfSigned.rsa(dir, "one");
        SelfSigned other = SelfSigned.rsa(dir, "other");
        SelfSigned ec = SelfSigned.ec(dir, "ec");
        assertThatThrownBy(() -> ServerTls.read(one.cert(), other.key())).hasMessage("the key in " + other.key()
                + " does not belong to the first certificate in " + one.cert() + " (CN=localhost)");
        assertThatThrownBy(() -> ServerTls.read(one.cert(), ec.key())).hasMessageContaining("does not belong");
    }

    @Test
    void filesThatAreMissingOrNotPemAreRefusedInOneLine() throws Exception {
        SelfSigned good = SelfSigned.rsa(dir, "good");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "this is not PEM\n");
        assertThatThrownBy(() -> ServerTls.read(dir.resolve("absent.crt"), good.key()))
                .hasMessage("no readable certificate file " + dir.resolve("absent.crt"));
        assertThatThrownBy(() -> ServerTls.read(junk, good.key())).hasMessageStartingWith("cannot read a PEM certificate from " + junk + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> ServerTls.read(good.cert(), junk))
                .hasMessageStartingWith("cannot read a PEM private key (PKCS#8 or RSA, unencrypted) from " + junk + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        // The certificate where the key should be, and the other way round.
        assertThatThrownBy(() -> ServerTls.read(good.cert(), good.cert())).hasMessageStartingWith("cannot read a PEM private key");
        assertThatThrownBy(() -> ServerTls.read(good.key(), good.key())).hasMessageStartingWith("cannot read a PEM certificate");
    }
}
