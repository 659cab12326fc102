package custos.server.store;

import static custos.server.store.GatewayCalls.awaitStatus;
import static custos.server.store.GatewayCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import custos.server.CustosApp;
import custos.server.http.Json;
import custos.world.WorldSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
                HttpResponse<String> token = GatewayCalls.tokenRequest(base);
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
        try (Database seeding = Database.open(target.config())) {
            Seeder.seed(seeding, new WorldSpec(30, 3), false);
            PartnerLoad.prepare(seeding);
        }
        String dbName = ((DbConfig.External) target.config()).url().substring(TestStores.SERVER.length());
        try (CuttableProxy proxy = new CuttableProxy(5432)) {
            Database db = Database.open(new DbConfig.External("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + dbName,
                    "postgres", null));
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withRates(1e6, 1e6))) {
                String base = "http://127.0.0.1:" + app.port();
                try (PartnerLoad load = PartnerLoad.start(base, PartnerLoad.token(app, base), 8)) {
                // Eight clients; the store hangs (every byte held, connections open) for 3 s once they are served.
                load.await("an acknowledged access", answers -> answers.stream().anyMatch(PartnerLoad.Answer::acknowledged));
                proxy.pause();
                long paused = System.nanoTime();
                awaitStatus(base + "/health/ready", 503); // the store watch's 1 s socket timeout noticed the hang
                PartnerLoad.Answer refused = load.once();
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.took()).as("a new request while the store hangs").isLessThan(Duration.ofSeconds(1));
                Thread.sleep(Math.max(0, Duration.ofSeconds(3).minusNanos(System.nanoTime() - paused).toMillis()));
                proxy.resume();
                long resumed = System.nanoTime();
                load.await("an acknowledged access after the store answered again",
                        answers -> answers.stream().anyMatch(a -> a.acknowledged() && a.endNanos() - resumed > 0));
                load.stop();
                awaitStatus(base + "/health/ready", 200);

                java.util.List<PartnerLoad.Answer> answers = load.answers();
                // Requests caught in flight by the hang waited for it and were then answered: 200s or 503s, never a 500.
                assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(200, 503));
                // Every 200 was acknowledged only after its entry was durable: each receipt's entry is in the log.
                assertThat(PartnerLoad.missingEntries(db.jdbi(), answers)).as("acknowledged accesses without their entry").isEmpty();
                assertThat(load.once().status()).isEqualTo(200);
                }
            }
        } finally {
            target.cleanup().run();
        }
    }
}
