package custos.server.store;

import static custos.server.store.GatewayCalls.awaitStatus;
import static custos.server.store.GatewayCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import custos.server.http.Json;
import custos.world.WorldSpec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault injection on a PostgreSQL of the test's own under partner load (a real OAuth token, eight clients over real
 * HTTP): the store's postmaster killed with SIGKILL and started again. Checked: no access acknowledged with a 200 lacks
 * its entry in the log (so no data was released without it), no answer but 200 or 503, the figures of
 * docs/operations.md ("When the store goes away"), and recovery with no one touching the gateway.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreFaultsTest {

    @Test
    void aPostgresKilledUnderLoadLosesNoAcknowledgedAccessAndTheGatewayRecoversByItself() throws Exception {
        try (OwnPostgres pg = OwnPostgres.start(Files.createTempDirectory("custos-killed-pg"))) {
            pg.admin("create database custos");
            Database db = seededStore(pg);
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withRates(1e6, 1e6))) {
                String base = "http://127.0.0.1:" + app.port();
                try (PartnerLoad load = PartnerLoad.start(base, PartnerLoad.token(app, base), 8)) {
                load.await("50 acknowledged accesses", answers -> answers.stream().filter(PartnerLoad.Answer::acknowledged).count() >= 50);

                pg.killPostmaster();
                Duration notReady = awaitStatus(base + "/health/ready", 503);
                assertThat(notReady).as("readiness fails within a second of the kill").isLessThan(Duration.ofSeconds(1));
                PartnerLoad.Answer refused = load.once();
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.took()).as("a partner request while the store is down").isLessThan(Duration.ofSeconds(1));
                HttpResponse<String> token = GatewayCalls.tokenRequest(base);
                assertThat(token.statusCode()).isEqualTo(503);
                assertThat(Json.MAPPER.readTree(token.body()).get("error").asText()).isEqualTo("temporarily_unavailable");
                assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
                load.await("the load refused while the store is down", answers -> answers.stream().filter(a -> a.status() == 503).count() >= 20);

                pg.restart();
                long restarted = System.nanoTime();
                Duration ready = awaitStatus(base + "/health/ready", 200);
                assertThat(ready).as("readiness back after PostgreSQL accepts connections again").isLessThan(Duration.ofSeconds(10));
                load.await("acknowledged accesses after the restart",
                        answers -> answers.stream().filter(a -> a.acknowledged() && a.endNanos() - restarted > 0).count() >= 50);
                load.stop();

                List<PartnerLoad.Answer> answers = load.answers();
                assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(200, 503));
                assertThat(answers).allSatisfy(a -> assertThat(a.took()).as(a.toString()).isLessThan(Duration.ofSeconds(11)));
                assertThat(PartnerLoad.missingEntries(db.jdbi(), answers)).as("acknowledged accesses without their entry").isEmpty();
                // Crash recovery kept a dense log: indexes 0..n-1, the head row right after them.
                boolean dense = db.jdbi().withHandle(h -> h.createQuery(
                        "select count(*) = coalesce(max(idx) + 1, 0) and count(*) = (select next_idx from audit_log_head) from access_events")
                        .mapTo(Boolean.class).one());
                assertThat(dense).as("a dense log, the head right after it").isTrue();
                System.out.printf("killed PostgreSQL: readiness 503 after %d ms, 503 answered in %d ms, ready %d ms after restart; answers %s%n",
                        notReady.toMillis(), refused.took().toMillis(), ready.toMillis(), load.summary());
                }
            }
        }
    }

    @Test
    void aFullDiskUnderLoadIsRefusedWith503AcknowledgesNothingAndRecoversWhenSpaceIsFreed() throws Exception {
        TinyDisk disk;
        try {
            disk = TinyDisk.mount(64);
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no size-limited filesystem to fill here (mounting a tmpfs needs root): " + e.getMessage());
            return;
        }
        try (disk; OwnPostgres pg = OwnPostgres.start(Files.createTempDirectory("custos-full-disk-pg"))) {
            // Every table and index of the gateway's database lives on the tiny disk; the WAL stays on the real one.
            pg.admin("create tablespace tiny location '" + disk.folder("tablespace") + "'");
            pg.admin("create database custos tablespace tiny");
            Database db = seededStore(pg);
            try (CustosApp app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).withRates(1e6, 1e6))) {
                String base = "http://127.0.0.1:" + app.port();
                custos.server.replay.PartnerSide.Result grant = PartnerLoad.grant(app, base);
                try (PartnerLoad load = PartnerLoad.start(base, grant.accessToken().orElseThrow(), 8)) {
                load.await("20 acknowledged accesses", answers -> answers.stream().filter(PartnerLoad.Answer::acknowledged).count() >= 20);

                disk.fill();
                long full = System.nanoTime();
                load.await("the load refused while the disk is full",
                        answers -> answers.stream().filter(a -> a.status() == 503 && a.endNanos() - full > 0).count() >= 20);
                PartnerLoad.Answer refused = load.once();
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.took()).as("a partner request while the disk is full").isLessThan(Duration.ofSeconds(1));
                // A token request whose writes fit in pages the store already has succeeds (and is durable); rotating
                // refresh tokens until the token table must grow meets the full disk: an RFC 6749 error, not a problem.
                String refreshToken = grant.refreshToken();
                HttpResponse<String> token = PartnerLoad.refresh(base, refreshToken);
                int refreshes = 1;
                for (; refreshes < 500 && token.statusCode() == 200; refreshes++) {
                    refreshToken = Json.MAPPER.readTree(token.body()).get("refresh_token").asText();
                    token = PartnerLoad.refresh(base, refreshToken);
                }
                assertThat(token.statusCode()).as(token.body()).isEqualTo(503);
                assertThat(token.headers().firstValue("content-type")).hasValue("application/json");
                assertThat(token.headers().firstValue("retry-after")).hasValue("1");
                assertThat(Json.MAPPER.readTree(token.body()).get("error").asText()).isEqualTo("temporarily_unavailable");

                disk.free();
                long freed = System.nanoTime();
                load.await("acknowledged accesses once space is free",
                        answers -> answers.stream().filter(a -> a.acknowledged() && a.endNanos() - freed > 0).count() >= 20);
                Duration recovered = load.answers().stream().filter(a -> a.acknowledged() && a.endNanos() - freed > 0)
                        .map(a -> Duration.ofNanos(a.endNanos() - freed)).min(Duration::compareTo).orElseThrow();
                load.stop();
                // The refresh that failed changed nothing: the same refresh token works now.
                assertThat(PartnerLoad.refresh(base, refreshToken).statusCode()).isEqualTo(200);

                List<PartnerLoad.Answer> answers = load.answers();
                assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(200, 503));
                assertThat(answers.stream().filter(a -> a.status() == 503))
                        .allSatisfy(a -> assertThat(a.error()).contains("/problems/unavailable"));
                assertThat(PartnerLoad.missingEntries(db.jdbi(), answers)).as("acknowledged accesses without their entry").isEmpty();
                assertThat(GatewayCalls.get(base + "/health/ready").statusCode()).isEqualTo(200);
                System.out.printf("full disk: 503 answered in %d ms, first 200 %d ms after space was freed; %d refreshes to meet it;"
                        + " answers %s%n", refused.took().toMillis(), recovered.toMillis(), refreshes, load.summary());
                }
            }
        }
    }

    /** The reference world (30 people) in database custos of {@code pg}, person 2 ready to consent; open for a gateway. */
    private static Database seededStore(OwnPostgres pg) {
        Database db = Database.open(pg.config("custos"));
        Seeder.seed(db, new WorldSpec(30, 3), false);
        PartnerLoad.prepare(db);
        return db;
    }
}
