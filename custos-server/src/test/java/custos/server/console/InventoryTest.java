package custos.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.policy.DecisionBasis;
import custos.policy.Outcome;
import custos.server.audit.GroupCommitAccessLog;
import custos.server.policy.ChangeBarrier;
import custos.server.store.Database;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.WorldSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The inventory on a seeded store with real log entries: volumes per month and kind of data are rolled up once each
 * (a second roll-up adds nothing, a new entry adds one), operator actions are not partner traffic, and the list
 * filters, sorts and exports as asked.
 */
@Timeout(120)
class InventoryTest {
    static TestStores.Target target;
    static Database db;
    static GroupCommitAccessLog log;
    static Inventory inventory;
    static long tunewave;

    @BeforeAll
    static void seed() {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(100, 7), false);
        log = new GroupCommitAccessLog(db.dataSource(), (first, hashes) -> { });
        inventory = new Inventory(db.jdbi(), Clock.systemUTC());
        tunewave = db.jdbi().withHandle(h -> h.createQuery("select id from partners where slug = 'tunewave'").mapTo(Long.class).one());
    }

    @AfterAll
    static void stop() {
        log.close();
        db.close();
        target.cleanup().run();
    }

    private static void append(String at, String scope, Outcome outcome) {
        log.append(new AccessEvent(UUID.randomUUID(), Instant.parse(at), tunewave, "tunewave", "share-in-messages", scope, 1, 1,
                List.of(), outcome, outcome == Outcome.DENY ? List.of("NO_CONSENT") : List.of(), DecisionBasis.NONE,
                outcome == Outcome.ALLOW ? 1 : 0, List.of()));
    }

    private static Inventory.Row tunewave() {
        inventory.rollUp();
        inventory.refresh();
        return inventory.rows().stream().filter(r -> r.slug().equals("tunewave")).findFirst().orElseThrow();
    }

    @Test
    void volumesAreRolledUpOncePerEntryByMonthAndKindAndOperatorActionsAreNotTraffic() {
        for (int i = 0; i < 3; i++) {
            append("2025-01-1" + i + "T10:00:00Z", "messages:read", Outcome.ALLOW);
        }
        append("2025-01-20T10:00:00Z", "messages:read", Outcome.DENY);
        append("2025-02-02T10:00:00Z", "profile:read", Outcome.ALLOW);
        Staff ops = new Staff(0, "inventory-test", StaffRole.OPERATOR);
        new OperatorActions(db.jdbi(), new ChangeBarrier(db.jdbi(), new JdbiPolicyChangeFeed(db.jdbi())), Clock.systemUTC(), () -> { })
                .suspend(ops, "tunewave");

        Inventory.Row row = tunewave();
        assertThat(row.volumes()).contains(new Inventory.Volume(LocalDate.parse("2025-01-01"), "messages", 3, 1),
                new Inventory.Volume(LocalDate.parse("2025-02-01"), "profile", 1, 0));
        assertThat(row.total()).isEqualTo(5);
        assertThat(row.status()).isEqualTo("SUSPENDED");
        assertThat(row.scopes()).as("a suspended partner may reach nothing").isEmpty();
        assertThat(row.lastAccess()).isEqualTo(Instant.parse("2025-02-02T10:00:00Z"));

        assertThat(tunewave().total()).as("a second roll-up adds nothing").isEqualTo(5);
        append("2025-02-03T10:00:00Z", "profile:read", Outcome.ALLOW);
        assertThat(tunewave().volumes()).contains(new Inventory.Volume(LocalDate.parse("2025-02-01"), "profile", 2, 0));

        String svg = VolumeChart.svg("Tunewave", tunewave().volumes());
        assertThat(svg).startsWith("<svg").contains("role=\"img\"").contains("6 entries over 2 months from 2025-01-01 to 2025-02-01, 1 of them denied");
    }

    @Test
    void theListFiltersByTextKindAndStatusAndSortsEitherWay() {
        List<Inventory.Row> all = inventory.rows();
        assertThat(all).hasSizeGreaterThan(100);
        assertThat(Inventory.view(all, "reelhouse", "", "", "slug", false)).extracting(Inventory.Row::slug).containsExactly("reelhouse");
        assertThat(Inventory.view(all, "recommend-to-friends", "", "", "slug", false)).extracting(Inventory.Row::slug).contains("reelhouse");
        assertThat(Inventory.view(all, "", "BANK", "", "slug", false)).isNotEmpty().allMatch(r -> r.kind().equals("BANK"));
        List<Inventory.Row> byName = Inventory.view(all, "", "", "", "name", true);
        assertThat(byName.get(0).name().compareToIgnoreCase(byName.get(byName.size() - 1).name())).isPositive();
        assertThat(Inventory.view(all, "", "", "", "no-such-column", false)).extracting(Inventory.Row::slug)
                .isSortedAccordingTo(String::compareTo);
    }

    @Test
    void csvCellsAreQuotedAndASpreadsheetFormulaIsDefused() {
        assertThat(PartnersSection.cell("plain")).isEqualTo("plain");
        assertThat(PartnersSection.cell("a, b")).isEqualTo("\"a, b\"");
        assertThat(PartnersSection.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(PartnersSection.cell("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
    }
}
