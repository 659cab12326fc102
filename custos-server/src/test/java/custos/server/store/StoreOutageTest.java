package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.CustosApp;
import custos.server.http.Json;
import custos.world.WorldSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store dies under a running gateway (its connection cut at a TCP proxy): every route that needs the store answers
 * 503 with Retry-After in well under a second, the OAuth endpoints with temporarily_unavailable, liveness stays up and
 * readiness says why; when the store comes back, so does the gateway, with no one restarting it. A store that hangs
 * under load instead (bytes held, connections open) gives 503s, never a 500, and every access acknowledged with a 200
 * has its entry in the log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreOutageTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aDeadStoreIsA503WithinASecondEverywhereAndTheGatewayRecoversByItself() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database seeding = Database.open(target.config())) {
            Seeder.seed(seeding, new WorldSpec(30, 3), false);
        }
        String dbName = ((DbConfig.External) target.config()).url().substring(TestStores.SERVER.length());
        try (CuttableProxy proxy = new CuttableProxy(5432)) {
            Database db = Database.open(new DbConfig.External("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + dbName,
                    "postgres", null));
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0))) {
                String base = "http://127.0.0.1:" + app.port();
                assertThat(get(base + "/v1/people/1/profile").statusCode()).isEqualTo(401);
                awaitStatus(base + "/health/ready", 200);

                proxy.cut();
                awaitStatus(base + "/health/ready", 503);

                long start = System.nanoTime();
                HttpResponse<String> partner = get(base + "/v1/people/1/profile");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                assertThat(partner.statusCode()).isEqualTo(503);
                assertThat(partner.headers().firstValue("retry-after")).hasValue("1");
                assertThat(Json.MAPPER.readTree(partner.body()).get("detail").asText()).contains("store is unreachable");

                start = System.nanoTime();
                HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                assertThat(token.statusCode()).isEqualTo(503);
                assertThat(Json.MAPPER.readTree(token.body()).get("error").asText()).isEqualTo("temporarily_unavailable");

                start = System.nanoTime();
                HttpResponse<String> ready = get(base + "/health/ready");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                JsonNode readiness = Json.MAPPER.readTree(ready.body());
                assertThat(readiness.at("/checks/store").asText()).isEqualTo("DOWN");
                assertThat(readiness.at("/reasons/store").asText()).startsWith("the store does not answer");
                assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
                assertThat(get(base + "/account/sign-in").statusCode()).isEqualTo(503);

                proxy.restore();
                awaitStatus(base + "/health/ready", 200);
                assertThat(get(base + "/v1/people/1/profile").statusCode()).isEqualTo(401);
                assertThat(get(base + "/account/sign-in").statusCode()).isEqualTo(200);
            }
        } finally {
            target.cleanup().run();
        }
    }

    @Test
    void aHungStoreUnderLoadGivesNo500AndLosesNoAcknowledgedAccess() throws Exception {
        TestStores.Target target = TestStores.server();
        long person = 2;
        try (Database seeding = Database.open(target.config())) {
            Seeder.seed(seeding, new WorldSpec(30, 3), false);
            var consents = new JdbiConsentStore(seeding.jdbi());
            consents.forPerson(person).stream().filter(c -> c.withdrawnAt() == null)
                    .forEach(c -> consents.withdraw(c.id(), java.time.Instant.now().minusSeconds(1)));
            new JdbiSettingsStore(seeding.jdbi()).newVersion(person, java.util.Map.of(), java.time.Instant.now().minusSeconds(1));
        }
        String dbName = ((DbConfig.External) target.config()).url().substring(TestStores.SERVER.length());
        try (CuttableProxy proxy = new CuttableProxy(5432)) {
            Database db = Database.open(new DbConfig.External("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + dbName,
                    "postgres", null));
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withRates(1e6, 1e6))) {
                String base = "http://127.0.0.1:" + app.port();
                app.oauth().passwords().set(person, "person-2", "a long test password");
                String token = new custos.server.replay.PartnerSide(base, "seekfar", custos.world.ReferenceWorld.clientSecret(3, "seekfar"),
                        URI.create("http://localhost:8080/partner-callback/seekfar"))
                        .authorize("person-2", "a long test password", "social-search", java.util.List.of("profile:read"),
                                new custos.server.replay.PartnerSide.Answer(java.util.List.of("profile:read"), false, true))
                        .accessToken().orElseThrow();
                String profile = base + "/v1/people/" + person + "/profile";
                assertThat(getWith(token, profile).statusCode()).isEqualTo(200);

                // Eight clients for 8 s; the store hangs (every byte held, connections open) from the 2nd to the 5th.
                java.util.Queue<String> answers = new java.util.concurrent.ConcurrentLinkedQueue<>();
                long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                java.util.List<Thread> clients = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    clients.add(Thread.ofVirtual().start(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                HttpResponse<String> res = getWith(token, profile);
                                answers.add(res.statusCode() + " " + res.headers().firstValue("Custos-Receipt").orElse(""));
                            } catch (Exception e) {
                                answers.add("error " + e);
                            }
                        }
                    }));
                }
                Thread.sleep(2_000);
                proxy.pause();
                Thread.sleep(3_000);
                proxy.resume();
                for (Thread t : clients) {
                    t.join(Duration.ofSeconds(60));
                }
                awaitStatus(base + "/health/ready", 200);

                assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a).matches("(200|503) .*"));
                assertThat(answers).anyMatch(a -> a.startsWith("503"));
                // Every 200 was acknowledged only after its entry was durable: each receipt's entry is in the log.
                java.util.List<Long> acknowledged = answers.stream().filter(a -> a.startsWith("200"))
                        .map(a -> Long.parseLong(a.replaceAll("^200 index=(\\d+).*", "$1"))).toList();
                assertThat(acknowledged).isNotEmpty();
                long missing = db.jdbi().withHandle(h -> h.createQuery(
                                "select count(*) from unnest(:ids) as i(idx) where not exists (select 1 from access_events e where e.idx = i.idx)")
                        .bind("ids", acknowledged.toArray(Long[]::new)).mapTo(Long.class).one());
                assertThat(missing).as("acknowledged accesses without their entry").isZero();
                assertThat(getWith(token, profile).statusCode()).isEqualTo(200);
            }
        } finally {
            target.cleanup().run();
        }
    }

    private HttpResponse<String> getWith(String token, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String url, int status) throws Exception {
        Predicate<Integer> wanted = s -> s == status;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = get(url).statusCode();
            if (wanted.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " stayed " + last + ", expected " + status);
    }
}
