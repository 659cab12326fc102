package custos.server.keys;

import custos.audit.CheckpointSigner;
import custos.audit.NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Where a gateway's keys come from: the log's signing key and the master key that wraps person keys. Never the
 * store: it holds only the signing key's public half and the master key's check value (docs/operations.md, "Keys").
 */
public sealed interface KeySource {
    java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(KeySource.class.getName());
    String LOG_SETTING = "log.key";
    String MASTER_SETTING = "keys.master";

    /** The signer of log {@code origin}; a private key still in the store (before issue 15) is exported first. */
    CheckpointSigner logSigner(Jdbi jdbi, String origin);

    /** The master key; {@code jdbi} is the store it is for (a fresh store may have its key file made, see {@link KeyFiles}). */
    MasterKey master(Jdbi jdbi);

    /** Keys made once per process: tests and embedding programs on stores thrown away with them. */
    static KeySource forThisProcess() {
        return ThisProcess.INSTANCE;
    }

    /** The key files of an embedded store: in its data folder, made there on its first start. */
    static KeyFiles under(Path dataDir) {
        Path keys = dataDir.resolve("keys");
        return new KeyFiles(keys.resolve("log-signing-key.pem"), keys.resolve("master.key"));
    }

    /**
     * The key files a command uses: the settings {@value #LOG_SETTING} and {@value #MASTER_SETTING}; unset, on the
     * embedded store, the files the demo made in its data folder ({@link #under}); unset on PostgreSQL, an error.
     */
    static KeyFiles configured(Path logKey, Path masterKey, Path dataDir, boolean embedded) {
        if (!embedded && (logKey == null || masterKey == null)) {
            throw new KeyFileException("set " + (logKey == null ? LOG_SETTING + " (CUSTOS_LOG_KEY)" : MASTER_SETTING + " (CUSTOS_KEYS_MASTER)")
                    + ": the store holds no private key, so a gateway on PostgreSQL needs its key files named");
        }
        KeyFiles defaults = under(dataDir);
        return new KeyFiles(logKey != null ? logKey : defaults.logKey(), masterKey != null ? masterKey : defaults.masterKey());
    }

    /** {@link #configured} from the environment (CUSTOS_LOG_KEY, CUSTOS_KEYS_MASTER, CUSTOS_DB_URL), for the commands without settings. */
    static KeyFiles fromEnvironment(Path dataDir) {
        Map<String, String> env = System.getenv();
        String url = env.get("CUSTOS_DB_URL");
        return configured(path(env.get("CUSTOS_LOG_KEY")), path(env.get("CUSTOS_KEYS_MASTER")), dataDir, url == null || url.isBlank());
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    /**
     * Key files. A missing one is made (0600, with a log line) only on the first start of a store that has never
     * used one of its kind: no log key recorded, or no person key and no master key check value. On any other store
     * a missing file is an error: a new key there would be a rotation nobody asked for, or a master key that opens
     * nothing.
     */
    record KeyFiles(Path logKey, Path masterKey) implements KeySource {
        @Override
        public CheckpointSigner logSigner(Jdbi jdbi, String origin) {
            LegacyLogKey.exportIfMissing(jdbi, origin, logKey);
            if (!Files.exists(logKey) && fresh(jdbi, "select not exists (select 1 from log_keys) and to_regclass('log_signing_key') is null")) {
                NoteSigner created = LogKeyFile.generate(logKey, origin);
                LOG.warning("made the log signing key " + logKey.toAbsolutePath() + " for this new store (" + created.verifierKey() + ")");
                return created;
            }
            return LogKeyFile.read(logKey, origin);
        }

        @Override
        public MasterKey master(Jdbi jdbi) {
            if (!Files.exists(masterKey) && fresh(jdbi, "select not exists (select 1 from master_key_check) and not exists (select 1 from person_keys)")) {
                MasterKey created = MasterKey.generate();
                created.write(masterKey);
                LOG.warning("made the master key " + masterKey.toAbsolutePath() + " for this new store; keep a copy apart from the store's backups");
                return created;
            }
            return MasterKey.read(masterKey);
        }

        private static boolean fresh(Jdbi jdbi, String sql) {
            return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Boolean.class).one());
        }
    }

    /** See {@link #forThisProcess()}. */
    final class ThisProcess implements KeySource {
        static final ThisProcess INSTANCE = new ThisProcess();
        private final Map<String, NoteSigner> signers = new ConcurrentHashMap<>();

        private ThisProcess() {}

        @Override
        public CheckpointSigner logSigner(Jdbi jdbi, String origin) {
            return signers.computeIfAbsent(origin, NoteSigner::generate);
        }

        @Override
        public MasterKey master(Jdbi jdbi) {
            return MasterKey.forThisProcess();
        }
    }
}
