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
    String LOG_SETTING = "log.key";
    String MASTER_SETTING = "keys.master";

    /** The signer of log {@code origin}; a private key still in the store (before issue 15) is exported first. */
    CheckpointSigner logSigner(Jdbi jdbi, String origin);

    MasterKey master();

    /** Keys made once per process: tests and embedding programs on stores thrown away with them. */
    static KeySource forThisProcess() {
        return ThisProcess.INSTANCE;
    }

    /** The key files the demo makes in its data folder. */
    static KeyFiles under(Path dataDir, boolean createMissing) {
        Path keys = dataDir.resolve("keys");
        return new KeyFiles(keys.resolve("log-signing-key.pem"), keys.resolve("master.key"), createMissing);
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
        KeyFiles defaults = under(dataDir, false);
        return new KeyFiles(logKey != null ? logKey : defaults.logKey(), masterKey != null ? masterKey : defaults.masterKey(), false);
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

    /** Key files; with {@code createMissing} (the demo) a missing one is made, otherwise it is an error. */
    record KeyFiles(Path logKey, Path masterKey, boolean createMissing) implements KeySource {
        @Override
        public CheckpointSigner logSigner(Jdbi jdbi, String origin) {
            LegacyLogKey.exportIfMissing(jdbi, origin, logKey);
            if (createMissing && !Files.exists(logKey)) {
                NoteSigner created = LogKeyFile.generate(logKey, origin);
                System.getLogger(KeySource.class.getName()).log(System.Logger.Level.INFO,
                        "created the log signing key " + logKey + " (" + created.verifierKey() + ")");
                return created;
            }
            return LogKeyFile.read(logKey, origin);
        }

        @Override
        public MasterKey master() {
            if (createMissing && !Files.exists(masterKey)) {
                MasterKey created = MasterKey.generate();
                created.write(masterKey);
                return created;
            }
            return MasterKey.read(masterKey);
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
        public MasterKey master() {
            return MasterKey.forThisProcess();
        }
    }
}
