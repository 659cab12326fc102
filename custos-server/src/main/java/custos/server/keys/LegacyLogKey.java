package custos.server.keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * The log's private key as stores before issue 15 kept it ({@code log_signing_key}): written out to the configured
 * key file when that does not exist yet, before anything reads the file. The table itself is dropped once its public
 * key is recorded ({@code custos.server.audit.LogKeys}), in that order, so the key is never in neither place.
 */
final class LegacyLogKey {
    private static final Logger LOG = Logger.getLogger(LegacyLogKey.class.getName());

    private LegacyLogKey() {}

    static void exportIfMissing(Jdbi jdbi, String origin, Path file) {
        if (Files.exists(file)) {
            return;
        }
        Optional<byte[]> pkcs8 = jdbi.withHandle(h -> {
            if (h.createQuery("select to_regclass('log_signing_key') is not null").mapTo(Boolean.class).one()) {
                return h.createQuery("select pkcs8 from log_signing_key where name = :n").bind("n", origin)
                        .mapTo(byte[].class).findOne();
            }
            return Optional.empty();
        });
        if (pkcs8.isPresent()) {
            LogKeyFile.write(file, pkcs8.get());
            LOG.warning("moved the log's private signing key out of the store: written to " + file.toAbsolutePath()
                    + " (0600); the store keeps only its public key from now on (docs/operations.md, \"Keys\")");
        }
    }
}
