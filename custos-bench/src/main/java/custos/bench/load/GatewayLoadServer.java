package custos.bench.load;

import custos.server.CustosApp;
import custos.server.api.PersonData;
import custos.server.policy.ChangeBarrier;
import custos.server.replay.PartnerSide;
import custos.server.store.Database;
import custos.server.store.DbConfig;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import custos.server.store.Seeder;
import custos.world.ReferenceWorld;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server side of the load benchmark: the real gateway on the configured store (CUSTOS_DB_URL, or an embedded
 * store in the data folder, seeded with the reference world when empty), plus the unchecked baseline route; then
 * real tokens from the real authorization-code flow (Seekfar, {@code social-search}, {@code profile:read}) for
 * {@code tokens} people, each checked with one request, written as "token person" lines for the wrk script.
 *
 * <p>Usage: {@code GatewayLoadServer <data dir> <people> <tokens> <port> <tokens file>}; runs until killed.
 */
public final class GatewayLoadServer {
    private static final String PARTNER = "seekfar";
    private static final String PASSWORD = "load benchmark password";

    private GatewayLoadServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: GatewayLoadServer <data dir> <people> <tokens> <port> <tokens file>");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        long people = Long.parseLong(args[1]);
        int wanted = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        Path tokensFile = Path.of(args[4]);

        Database db = Database.open(DbConfig.fromEnvironment(data));
        Seeder.Outcome seeded = Seeder.seedIfEmpty(db, people, 1);
        long seed = Seeder.worldSeed(db).orElse(1);
        System.out.println("load server: store " + db.description() + (seeded.seeded() ? ", seeded " + people + " people" : ", reused"));
        // The limiter still runs on every request; its limits are set above the load so the figure is the gateway's.
        CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", port).withKeys(custos.server.keys.KeySource.fromEnvironment(data)).withRates(1e9, 1e9)
                .withFeatures(List.of(new UncheckedProfile(new PersonData(db)))));
        String base = "http://127.0.0.1:" + app.port();

        List<String> lines = mintTokens(app, db, base, seed, wanted);
        Files.write(tokensFile, lines);
        System.out.println("load server: ready at " + base + " with " + lines.size() + " tokens in " + tokensFile);
        Thread.currentThread().join();
    }

    private static List<String> mintTokens(CustosApp app, Database db, String base, long seed, int wanted)
            throws IOException, InterruptedException {
        var settings = new JdbiSettingsStore(db.jdbi());
        List<Long> people = new ArrayList<>();
        for (long person = 1; people.size() < wanted && person <= 10L * wanted + 100; person++) {
            app.oauth().passwords().set(person, "load-" + person, PASSWORD);
            // Open the person's own data to partners: the benchmark measures allowed reads.
            settings.newVersion(person, Map.of(), Instant.now().minusSeconds(1));
            people.add(person);
        }
        new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi()), Duration.ofSeconds(5)).awaitEverywhere();
        PartnerSide side = new PartnerSide(base, PARTNER, ReferenceWorld.clientSecret(seed, PARTNER),
                URI.create("http://localhost:8080/partner-callback/" + PARTNER));
        HttpClient http = HttpClient.newHttpClient();
        List<String> lines = new ArrayList<>();
        for (long person : people) {
            var result = side.authorize("load-" + person, PASSWORD, "social-search", List.of("profile:read"),
                    new PartnerSide.Answer(List.of("profile:read"), false, true));
            if (result.accessToken().isEmpty()) {
                continue;
            }
            String token = result.accessToken().get();
            int status = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/people/" + person + "/profile"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                lines.add(token + " " + person);
            }
        }
        return lines;
    }
}
