package custos.server.cli;

import custos.partner.PartnerEntry;
import custos.server.audit.AccessHistory;
import custos.server.CustosApp;
import custos.server.api.PersonData;
import custos.server.replay.PartnerTally;
import custos.server.replay.Replay;
import custos.server.replay.ReplayReport;
import custos.server.replay.SimulatedClock;
import custos.server.store.Database;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.Seeder;
import custos.server.store.StoreException;
import custos.server.store.StoreLocation;
import custos.world.Archetype;
import custos.world.ReferenceWorld;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code custos replay}: a simulated year of the reference partners' traffic through the real gateway. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Drive the reference partners through the real HTTP API and OAuth flows over a simulated period, "
                + "and print per partner what was allowed, denied and why, next to what the old whitelist returned.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "365", description = "Simulated days, ending at the world's as-of date (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--requests-per-day", defaultValue = "12", description = "Partner requests per simulated day (default: ${DEFAULT-VALUE}).")
    int requestsPerDay;

    @Option(names = "--relationships", defaultValue = "120", description = "Person–partner relationships to simulate (default: ${DEFAULT-VALUE}).")
    int relationships;

    @Option(names = "--people", defaultValue = "80", description = "People taking part (default: ${DEFAULT-VALUE}).")
    int people;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    StoreLocation store;

    @Override
    public Integer call() throws Exception {
        Replay.Plan plan = new Replay.Plan(days, requestsPerDay, relationships, seed);
        if (people < 1) {
            throw new IllegalArgumentException("--people must be positive");
        }
        Database db = store.open();
        var recorded = Seeder.worldSeed(db);
        if (recorded.isEmpty()) {
            db.close();
            throw new StoreException("the store holds no reference world: run ./custos demo or ./custos seed first");
        }
        long worldSeed = recorded.getAsLong();
        SimulatedClock clock = new SimulatedClock(ReferenceWorld.AS_OF.minus(Duration.ofDays(days)));
        try (CustosApp app = CustosApp.start(db,
                CustosApp.Options.on("127.0.0.1", 0).simulated(clock, Duration.ofDays(90)).withRates(1e6, 1e6)
                        .withKeys(custos.server.keys.KeySource.fromEnvironment(store.data())))) {
            List<Long> crowd = Replay.people(app.engine().view(), people, seed);
            System.out.printf(Locale.ROOT, "custos: replaying %d days, %d requests a day, %d people, through %s%n",
                    days, requestsPerDay, crowd.size(), "http://127.0.0.1:" + app.port());
            for (long person : crowd) {
                app.oauth().passwords().set(person, "replay-" + person, Replay.PASSWORD);
            }
            List<PartnerEntry> partners = new JdbiPartnerStore(db.jdbi()).loadAll();
            custos.server.compliance.Compliance compliance = new custos.server.compliance.Compliance(db.jdbi());
            long firstIndex = compliance.log().nextIndex();
            long started = System.nanoTime();
            Map<String, PartnerTally> tallies = new Replay("http://127.0.0.1:" + app.port(), clock, worldSeed,
                    app.engine().view(), new PersonData(db), new AccessHistory(db.jdbi()), p -> "replay-" + p).run(partners, crowd, plan, ReferenceWorld.AS_OF);
            System.out.printf(Locale.ROOT, "custos: replay took %.1f s%n%n", (System.nanoTime() - started) / 1e9);
            Set<String> archetypes = Arrays.stream(Archetype.values()).map(Archetype::slug).collect(Collectors.toSet());
            // The gateway's side of the table is the period report over exactly the entries this run appended.
            custos.compliance.LogRange appended = custos.compliance.LogRange.period(
                    ReferenceWorld.AS_OF.minus(Duration.ofDays(days)), ReferenceWorld.AS_OF)
                    .indexes(firstIndex, compliance.log().nextIndex());
            custos.compliance.PeriodReport report = compliance.reports().build(appended, compliance.slugs(), List.of(),
                    custos.compliance.Progress.NONE);
            ReplayReport.print(tallies, report, archetypes, 10, System.out);
        }
        return 0;
    }
}
