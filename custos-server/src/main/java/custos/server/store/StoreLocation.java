package custos.server.store;

import custos.server.keys.KeySource;
import custos.server.keys.PersonKeyWrapping;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The store a command works on (a picocli mixin): the embedded one in {@code --data}, or {@code CUSTOS_DB_URL}'s
 * server; with the keys folder beside it for commands that open sealed entries.
 */
public final class StoreLocation {
    @Option(names = "--data", defaultValue = "data",
            description = "Data folder of the embedded store (default: ${DEFAULT-VALUE}); ignored when CUSTOS_DB_URL is set.")
    private Path data;

    /** The data folder: the embedded store's, and where the keys are looked for by default. */
    public Path data() {
        return data;
    }

    /** Opens the store (migrating it as every start does). */
    public Database open() {
        return Database.open(DbConfig.fromEnvironment(data));
    }

    /** Opens the store with person keys unwrapped by the master key, for commands that open sealed entries. */
    public Database openSealed() {
        Database db = open();
        try {
            PersonKeyWrapping.install(db.jdbi(), KeySource.fromEnvironment(data).master(db.jdbi()));
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
