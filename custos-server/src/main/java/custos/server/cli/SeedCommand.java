package custos.server.cli;

import custos.server.store.Database;
import custos.server.store.Seeder;
import custos.server.store.StoreLocation;
import custos.world.Archetype;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code custos seed}: writes the reference world into the configured store, all or nothing. */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Write the reference world (partners, agreements, people, data, settings, consents) into the store.")
public final class SeedCommand implements Callable<Integer> {

    @Option(names = "--people", defaultValue = "2000", description = "How many people (default: ${DEFAULT-VALUE}).")
    long people;

    @Option(names = "--seed", defaultValue = "1", description = "The world's seed; the same seed gives the same world (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    StoreLocation store;

    @Option(names = "--replace", description = "Replace the world already in the store.")
    boolean replace;

    @Override
    public Integer call() {
        WorldSpec spec = new WorldSpec(people, seed);
        try (Database db = store.open()) {
            System.out.println("custos: seeding " + people + " people (seed " + seed + ") into " + db.description() + "...");
            Seeder.Outcome outcome = Seeder.seed(db, spec, replace);
            System.out.printf(Locale.ROOT, "custos: seeded %,d rows in %.1f s%n", outcome.rows(), outcome.took().toMillis() / 1000.0);
            System.out.println("custos: partner clients of the six archetypes (client id = slug):");
            for (Archetype a : Archetype.values()) {
                System.out.printf(Locale.ROOT, "  %-10s %-16s secret %s%n", a.slug(), a.displayName(),
                        ReferenceWorld.clientSecret(seed, a.slug()));
            }
            System.out.println("custos: demo person id " + ReferenceWorld.DEMO_PERSON + " has consented to all six.");
        }
        return 0;
    }
}
