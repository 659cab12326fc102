package custos.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.InvalidProofException;
import custos.audit.NoteSigner;
import custos.audit.NoteVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 §4: the log's key file (PKCS#8 Ed25519, PEM or DER) and the master key file, and their one-line errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyFilesTest {
    static final String ORIGIN = "custos.test/log";

    @TempDir
    Path dir;

    @Test
    void aGeneratedKeyFileIsPemOwnerOnlyAndReadsBackToTheSameKey() throws Exception {
        Path file = dir.resolve("keys/log.pem");
        NoteSigner made = LogKeyFile.generate(file, ORIGIN);
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        NoteSigner read = LogKeyFile.read(file, ORIGIN);
        assertThat(read.verifierKey()).isEqualTo(made.verifierKey());
        // the public half is derived from the private key alone, and what it signs verifies with the original's key
        assertThat(NoteVerifier.parse(made.verifierKey()).verify(read.sign("hello\n"))).isEqualTo("hello\n");
    }

    @Test
    void aDerKeyFileReadsToTheSameKeyAsItsPem() {
        NoteSigner signer = NoteSigner.generate(ORIGIN);
        Path der = dir.resolve("log.der");
        PrivateFile.create(der, signer.privateKeyPkcs8(), "test key");
        assertThat(LogKeyFile.read(der, ORIGIN).verifierKey()).isEqualTo(signer.verifierKey());
    }

    @Test
    void anOpensslStylePemWithCommentsAndCrlfReads() throws Exception {
        NoteSigner signer = NoteSigner.generate(ORIGIN);
        String b64 = Base64.getEncoder().encodeToString(signer.privateKeyPkcs8());
        Path pem = dir.resolve("openssl.pem");
        Files.writeString(pem, "written by openssl genpkey -algorithm ed25519\r\n-----BEGIN PRIVATE KEY-----\r\n" + b64
                + "\r\n-----END PRIVATE KEY-----\r\n");
        assertThat(LogKeyFile.read(pem, ORIGIN).verifierKey()).isEqualTo(signer.verifierKey());
    }

    @Test
    void aMissingKeyFileSaysWhereAndHowToMakeOne() {
        assertThatThrownBy(() -> LogKeyFile.read(dir.resolve("nope.pem"), ORIGIN))
                .isInstanceOf(KeyFileException.class)
                .hasMessage("no log signing key file at " + dir.resolve("nope.pem") + " (setting log.key; make one with custos log key generate --out FILE)");
    }

    @Test
    void anUnreadableKeyFileIsOneLine() {
        assertThatThrownBy(() -> LogKeyFile.read(dir, ORIGIN))
                .isInstanceOf(KeyFileException.class)
                .hasMessageStartingWith("cannot read log signing key file " + dir + " (setting log.key)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aKeyOfAnotherTypeIsRefusedByName() throws Exception {
        var ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
        Path ecPem = dir.resolve("ec.pem");
        Files.writeString(ecPem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(ec) + "\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> LogKeyFile.read(ecPem, ORIGIN)).isInstanceOf(KeyFileException.class)
                .hasMessage("the log signing key file " + ecPem + " is not a PKCS#8 Ed25519 private key");
        Path rsa = dir.resolve("rsa.pem");
        Files.writeString(rsa, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> LogKeyFile.read(rsa, ORIGIN)).isInstanceOf(KeyFileException.class)
                .hasMessage("the log signing key file " + rsa + " holds -----BEGIN RSA PRIVATE KEY-----, not an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        Path junk = dir.resolve("junk.der");
        Files.write(junk, "not a key".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> LogKeyFile.read(junk, ORIGIN)).isInstanceOf(KeyFileException.class)
                .hasMessageEndingWith("is not a PKCS#8 Ed25519 private key");
    }

    @Test
    void aKeyFileIsNeverOverwritten() {
        Path file = dir.resolve("log.pem");
        LogKeyFile.generate(file, ORIGIN);
        assertThatThrownBy(() -> LogKeyFile.generate(file, ORIGIN)).isInstanceOf(KeyFileException.class)
                .hasMessage("log signing key file " + file + " already exists; it is never overwritten");
        assertThatThrownBy(() -> MasterKey.generate().write(file)).isInstanceOf(KeyFileException.class);
    }

    @Test
    void aWrappedPersonKeyUnwrapsOnlyWithItsMasterKeyAndForItsPerson() throws Exception {
        MasterKey master = MasterKey.generate();
        byte[] key = new byte[32];
        key[0] = 42;
        byte[] wrapped = master.wrap(7, key);
        assertThat(wrapped).hasSize(MasterKey.WRAPPED_LENGTH);
        assertThat(master.unwrap(7, wrapped)).isEqualTo(key);
        assertThatThrownBy(() -> master.unwrap(8, wrapped)).hasMessageContaining("does not unwrap with this master key");
        assertThatThrownBy(() -> MasterKey.generate().unwrap(7, wrapped)).hasMessageContaining("does not unwrap with this master key");
        Path file = dir.resolve("master.key");
        master.write(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        MasterKey read = MasterKey.read(file);
        assertThat(read.unwrap(7, wrapped)).isEqualTo(key);
        assertThat(read.matches(master.checkValue())).isTrue();
        assertThat(MasterKey.generate().matches(master.checkValue())).isFalse();
    }

    @Test
    void aMasterKeyFileOfTheWrongSizeIsRefused() throws Exception {
        Path file = dir.resolve("short.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        assertThatThrownBy(() -> MasterKey.read(file)).isInstanceOf(KeyFileException.class)
                .hasMessage("the master key file " + file + " is not an AES-256 key (32 bytes, raw or base64)");
        assertThatThrownBy(() -> MasterKey.read(dir.resolve("none.key"))).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("(setting keys.master; make one with custos keys master generate --out FILE)");
    }

    @Test
    void noteVerifierKeyStringOfAPublicKeyIsTheSignersOwn() throws InvalidProofException {
        NoteSigner signer = NoteSigner.generate(ORIGIN);
        assertThat(NoteVerifier.verifierKey(ORIGIN, signer.publicKeyX509())).isEqualTo(signer.verifierKey());
    }
}
