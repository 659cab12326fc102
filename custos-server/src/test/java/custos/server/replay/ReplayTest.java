package custos.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.audit.AccessHistory;
import custos.server.CustosApp;
import custos.server.api.PersonData;
import custos.server.store.Database;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A short replay through the real server: the tallies add up, and Custos never releases more than the whitelist did. */
class ReplayTest {

    @Test
    void aReplayedMonthAddsUpAndNeverReleasesMoreThanTheOldWhitelist() throws Exception {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            Seeder.seed(db, new WorldSpec(300, 5), false);
            SimulatedClock clock = new SimulatedClock(ReferenceWorld.AS_OF.minus(Duration.ofDays(30)));
            Map<String, PartnerTally> tallies;
            try (CustosApp app = CustosApp.start(db,
                    CustosApp.Options.on("127.0.0.1", 0).simulated(clock, Duration.ofDays(90)).withRates(1e6, 1e6))) {
                List<Long> people = Replay.people(app.engine().view(), 20, 3);
                people.forEach(p -> app.oauth().passwords().set(p, "replay-" + p, Replay.PASSWORD));
                tallies = new Replay("http://127.0.0.1:" + app.port(), clock, 5, app.engine().view(), new PersonData(db),
                        new AccessHistory(db.jdbi()), p -> "replay-" + p).run(new JdbiPartnerStore(db.jdbi()).loadAll(), people,
                        new Replay.Plan(30, 6, 60, 11), ReferenceWorld.AS_OF);
            }
            long requests = tallies.values().stream().mapToLong(PartnerTally::requests).sum();
            assertThat(requests).isPositive();
            for (PartnerTally t : tallies.values()) {
                long deniedReasons = t.deniedBy().values().stream().mapToLong(Long::longValue).sum();
                assertThat(t.allowed() + t.denied()).as(t.slug()).isEqualTo(t.requests());
                assertThat(deniedReasons).as(t.slug() + " names a reason for every denial").isGreaterThanOrEqualTo(t.denied());
                assertThat(t.records()).as(t.slug()).isLessThanOrEqualTo(t.whitelistRecords());
            }
            // Message pages are read, and messages other people wrote are withheld by their settings and the grants.
            assertThat(tallies.values().stream().mapToLong(PartnerTally::withheldMessages).sum())
                    .as("messages withheld across partners").isPositive();
            // Reelhouse's recommend-to-friends was retired in 2015: in 2025 no person can even be asked for it.
            assertThat(tallies.get("reelhouse").refusedBy()).doesNotContainKey("token_invalid_grant");
        } finally {
            target.cleanup().run();
        }
    }
}
