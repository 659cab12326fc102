package custos.server.cli;

import custos.server.CustosApp;

import custos.server.audit.AccessHistory;
import custos.server.demo.DemoCast;
import custos.server.demo.DemoTraffic;
import custos.server.http.PublicUrl;
import custos.server.policy.ChangeBarrier;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.Seeder;
import custos.world.Archetype;
import custos.world.ReferenceWorld;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custos demo}: the trial: the embedded store, seeded with the reference scenario on first start. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Custos on the embedded PostgreSQL in --data, seeding the reference scenario when the store is empty.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--people", defaultValue = "20000", description = "People in the seeded world (default: ${DEFAULT-VALUE}).")
    long people;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the world (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--public-url", defaultValue = "${env:CUSTOS_PUBLIC_URL}",
            description = "The URL the demo is reached by, e.g. behind a TLS proxy (env CUSTOS_PUBLIC_URL): the OAuth"
                    + " issuer, the base of the partners' callback URLs it registers; https makes cookies Secure."
                    + " Default: http://localhost:<port>.")
    String publicUrl;

    @Option(names = "--witnesses", defaultValue = "0",
            description = "Start this many witnesses beside the gateway (keys and state in <data>/witnesses) and have them cosign every checkpoint (default: ${DEFAULT-VALUE}).")
    int witnesses;

    @Override
    public Integer call() throws InterruptedException {
        if (people < 1) {
            throw new IllegalArgumentException("--people must be at least 1, got " + people);
        }
        PublicUrl url = ServeCommand.publicUrl(publicUrl);
        Database database = Database.open(DbConfig.embedded(data));
        Seeder.Outcome outcome;
        try {
            outcome = Seeder.seedIfEmpty(database, people, seed);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        if (outcome.seeded()) {
            System.out.printf(Locale.ROOT, "custos: seeded the reference scenario: %,d people, seed %d, %,d rows in %.1f s%n",
                    outcome.people(), outcome.seed(), outcome.rows(), outcome.took().toMillis() / 1000.0);
        } else {
            System.out.println("custos: reusing the world already in " + data.toAbsolutePath());
        }
        long worldSeed = Seeder.worldSeed(database).orElse(seed);
        if (witnesses < 0 || witnesses > 9) {
            database.close();
            throw new IllegalArgumentException("--witnesses must be between 0 and 9, got " + witnesses);
        }
        custos.server.witness.DemoWitnesses demoWitnesses = custos.server.witness.DemoWitnesses.prepare(data, witnesses);
        ServeCommand.Running running = ServeCommand.Running.start(database,
                custos.server.CustosApp.Options.on("127.0.0.1", port).withPublicUrl(url).withWitnesses(demoWitnesses.peers())
                        // The demo's key files are made in its data folder on first start; the store keeps only public keys.
                        .withKeys(custos.server.keys.KeySource.under(data)));
        demoWitnesses.start(running.app().log().signer().verifierKey());
        DemoCast cast = DemoCast.choose(database.jdbi(), worldSeed, Instant.now());
        cast.install(running.app().oauth().passwords());
        List<custos.server.demo.DemoStaff> staff = custos.server.demo.DemoStaff.forWorld(worldSeed);
        var staffAccounts = new custos.server.console.StaffAccounts(database.jdbi(), java.time.Clock.systemUTC());
        staff.forEach(s -> s.install(staffAccounts));
        String base = (url == null ? PublicUrl.localhost(running.app().port()) : url).toString();
        registerCallbacks(database, base);
        List<String> traffic = firstRequests(database, cast, running.app().port(), base, worldSeed);
        System.out.println();
        System.out.println("Custos demo is running at " + base + "/");
        System.out.println("  health           " + base + "/health");
        System.out.println("  metrics          " + base + "/metrics");
        System.out.println("  people sign in   " + base + "/account/sign-in  (the people's logins are below)");
        System.out.println("  console          " + base + "/console  (operators act, auditors read; logins below)");
        System.out.println("  partner API      " + base + "/v1/openapi.json  (walk-through: docs/api.md)");
        System.out.println("  OAuth metadata   " + base + "/.well-known/oauth-authorization-server");
        System.out.println("  audit log        " + base + "/log/checkpoint  (check it: ./custos log verify --server " + base + ")");
        System.out.println("  log verifier key " + running.app().log().signer().verifierKey());
        for (custos.server.witness.WitnessPeer w : demoWitnesses.peers()) {
            System.out.println("  witness          " + w.url() + "  " + w.verifier().verifierKey());
        }
        if (!demoWitnesses.peers().isEmpty()) {
            System.out.println("  check cosigned   ./custos log verify --server " + base + " --key " + running.app().log().signer().verifierKey()
                    + demoWitnesses.peers().stream().map(w -> " --witness " + w.verifier().verifierKey()).collect(java.util.stream.Collectors.joining())
                    + " --min-witnesses " + demoWitnesses.peers().size());
        }
        System.out.println("People to sign in as (each shows one case):");
        for (DemoCast.Member m : cast.members()) {
            System.out.printf(Locale.ROOT, "  login '%s', password '%s' - %s (person %d): %s%n", m.login().login(),
                    m.login().password(), m.name(), m.login().personId(), m.shows());
        }
        System.out.println("Console logins (" + base + "/console/sign-in):");
        for (custos.server.demo.DemoStaff s : staff) {
            System.out.printf(Locale.ROOT, "  login '%s', password '%s' - %s%n", s.login(), s.password(),
                    s.role() == custos.server.console.StaffRole.OPERATOR ? "operator: registers partners, retires purposes, suspends, rotates secrets"
                            : "auditor: reads the inventory and the operator actions, cannot act");
        }
        if (!traffic.isEmpty()) {
            System.out.println("On this first start the demo made real partner requests (OAuth flow and partner API), so"
                    + " these access histories are not empty:");
            traffic.forEach(line -> System.out.println("  " + line));
        }
        System.out.println("Partner clients of the six archetypes (client id = slug, redirect " + base + "/partner-callback/<slug>):");
        for (Archetype a : Archetype.values()) {
            System.out.printf(Locale.ROOT, "  %-10s %-16s secret %s%n", a.slug(), a.displayName(),
                    ReferenceWorld.clientSecret(worldSeed, a.slug()));
        }
        System.out.println("Legacy log for ./custos exposure: " + oldWhitelistLog(database, running));
        System.out.println("Ctrl-C stops it; the next start reuses " + data.toAbsolutePath() + ".");
        running.awaitShutdown();
        return 0;
    }

    /** The old whitelist's year as a legacy log in the data folder (docs/legacy-log-format.md), made once. */
    private String oldWhitelistLog(Database database, ServeCommand.Running running) {
        try {
            long population = database.jdbi().withHandle(h -> h.createQuery("select count(*) from people")
                    .mapTo(Long.class).one());
            return custos.server.compliance.OldWhitelistLog.ensure(data, new JdbiPartnerStore(database.jdbi()).loadAll(),
                    population, running.app().engine().view(), Seeder.worldSeed(database).orElse(seed)).toString();
        } catch (IOException | RuntimeException e) {
            return "not written (" + e.getMessage() + ")";
        }
    }

    /**
     * The demo's first partner requests, made once: while the friend-reached person's history is still empty. A failure
     * is reported and the demo goes on; the pages then just show empty histories.
     */
    private static List<String> firstRequests(Database database, DemoCast cast, int port, String base, long seed)
            throws InterruptedException {
        boolean fresh = cast.friendReach().map(r -> new AccessHistory(database.jdbi()).of(r.person(), 1).isEmpty()).orElse(false);
        if (!fresh) {
            return List.of();
        }
        try {
            new ChangeBarrier(database.jdbi(), new JdbiPolicyChangeFeed(database.jdbi())).awaitEverywhere();
            long started = System.nanoTime();
            List<String> done = new ArrayList<>(new DemoTraffic("http://127.0.0.1:" + port, base, seed).run(cast));
            done.add(String.format(Locale.ROOT, "(%.1f s)", (System.nanoTime() - started) / 1e9));
            return done;
        } catch (IOException | RuntimeException e) {
            System.out.println("custos: the demo's first partner requests failed (" + e.getMessage() + "); histories start empty");
            return List.of();
        }
    }

    /**
     * The world registers the archetypes' callback pages at the default port; a demo on another port or at a public
     * URL adds its own, so the walk-through in docs/api.md works wherever it is reached (exact matching stays exact).
     */
    private static void registerCallbacks(Database database, String base) {
        database.jdbi().useHandle(h -> {
            for (Archetype a : Archetype.values()) {
                h.createUpdate("update partner_clients set redirect_uris = array_append(redirect_uris, :uri)"
                                + " where client_id = :id and not (:uri = any(redirect_uris))")
                        .bind("uri", base + "/partner-callback/" + a.slug()).bind("id", a.slug()).execute();
            }
        });
    }
}
