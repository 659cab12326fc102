package custos.server.witness;

import custos.audit.CosignatureSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A witness's own Ed25519 key on disk: {@code name}, {@code public} (base64 of the raw 32 bytes) and {@code private}
 * (base64 PKCS#8) lines, readable by its owner only.
 */
public final class WitnessKeyFile {
    private WitnessKeyFile() {}

    /** Writes a new key; refuses to overwrite one (a witness's key is its identity). */
    public static void create(Path file, CosignatureSigner key) throws IOException {
        String text = "# custos witness key (c2sp.org/tlog-cosignature, Ed25519); keep it secret\n"
                + "name " + key.name() + "\n"
                + "public " + Base64.getEncoder().encodeToString(key.publicKey()) + "\n"
                + "private " + Base64.getEncoder().encodeToString(key.privateKeyPkcs8()) + "\n";
        if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("the key file " + file + " exists already; a witness keeps its key");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public static CosignatureSigner read(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no witness key file " + file);
        Map<String, String> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] kv = line.strip().split(" ", 2);
                if (kv.length == 2) fields.put(kv[0], kv[1].strip());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the witness key file " + file + ": " + e.getMessage());
        }
        if (!fields.keySet().containsAll(java.util.List.of("name", "public", "private"))) {
            throw new IllegalArgumentException(file + " is not a witness key file (it needs name, public and private lines)");
        }
        try {
            return CosignatureSigner.restore(fields.get("name"), Base64.getDecoder().decode(fields.get("private")),
                    Base64.getDecoder().decode(fields.get("public")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " does not hold a usable witness key: " + e.getMessage());
        }
    }
}
