package custos.server.audit;

import custos.audit.CheckpointSigner;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The log's public keys in the store ({@code log_keys}). At start the signing key is recorded: the first key signs
 * from size 0; a new key takes over at the tree's current size (a rotation), and the keys before it keep verifying
 * what they signed. A key that was already replaced cannot take over again. A private key left by a store from before
 * issue 15 ({@code log_signing_key}) has its public half recorded and its table dropped here, after
 * {@code custos.server.keys.KeySource} wrote it out to the key file.
 */
public final class LogKeys {
    private static final Logger LOG = Logger.getLogger(LogKeys.class.getName());

    private LogKeys() {}

    /** Records {@code signer}'s public key (a rotation when it is new) and returns every key of the log. */
    public static LogKeyring register(Jdbi jdbi, CheckpointSigner signer) {
        String origin = signer.name();
        byte[] key = signer.publicKeyX509();
        jdbi.useTransaction(h -> {
            h.execute("lock table log_keys in exclusive mode");
            dropLegacy(h, origin);
            List<byte[]> known = h.createQuery("select public_key from log_keys where name = :n order by from_size, id")
                    .bind("n", origin).mapTo(byte[].class).list();
            if (known.isEmpty()) {
                insert(h, origin, key, 0);
                return;
            }
            if (Arrays.equals(known.get(known.size() - 1), key)) {
                return;
            }
            if (known.stream().anyMatch(k -> Arrays.equals(k, key))) {
                throw new IllegalStateException("the log signing key " + signer.verifierKey()
                        + " was replaced by a newer key and cannot sign again; start with the current key or a new one");
            }
            long size = h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).findOne().orElse(0L);
            insert(h, origin, key, size);
            LOG.warning("log signing key rotated: " + signer.verifierKey() + " signs from tree size " + size
                    + " on; the earlier keys keep verifying what they signed (GET /log/keys lists them)");
        });
        return new LogKeyring(jdbi, origin);
    }

    private static void dropLegacy(Handle h, String origin) {
        if (!h.createQuery("select to_regclass('log_signing_key') is not null").mapTo(Boolean.class).one()) {
            return;
        }
        h.createQuery("select x509 from log_signing_key where name = :n").bind("n", origin).mapTo(byte[].class).findOne()
                .ifPresent(x509 -> {
                    if (h.createQuery("select count(*) from log_keys where name = :n").bind("n", origin).mapTo(Long.class).one() == 0) {
                        insert(h, origin, x509, 0);
                    }
                });
        h.execute("drop table log_signing_key");
        LOG.warning("dropped the table log_signing_key: the store holds no private key of the log any more");
    }

    private static void insert(Handle h, String origin, byte[] key, long fromSize) {
        h.createUpdate("insert into log_keys (name, public_key, from_size) values (:n, :k, :s)")
                .bind("n", origin).bind("k", key).bind("s", fromSize).execute();
    }
}
