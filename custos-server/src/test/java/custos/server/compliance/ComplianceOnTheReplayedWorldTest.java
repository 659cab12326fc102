package custos.server.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.compliance.ExposureAssessment;
import custos.compliance.ExposureReport;
import custos.compliance.Finding;
import custos.compliance.FindingKind;
import custos.compliance.Findings;
import custos.compliance.LegacyAccess;
import custos.compliance.LogRange;
import custos.compliance.PartnerExposure;
import custos.compliance.PartnerPeriod;
import custos.compliance.PeriodReport;
import custos.compliance.Progress;
import custos.compliance.Severity;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.policy.Reason;
import custos.server.CustosApp;
import custos.server.api.PersonData;
import custos.server.audit.AccessHistory;
import custos.server.replay.PartnerTally;
import custos.server.replay.Replay;
import custos.server.replay.SimulatedClock;
import custos.server.store.Database;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WhitelistTraffic;
import custos.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's done-when on a small reference world after a replayed stretch of the reference year: the findings,
 * the zero settings-violating allows, the report equal to the replay's own tallies, and the exposure assessment.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ComplianceOnTheReplayedWorldTest {
    private static final int DAYS = 45;
    private static final Instant START = ReferenceWorld.AS_OF.minus(Duration.ofDays(DAYS));
    private static TestStores.Target target;
    private static Database db;
    private static Map<String, PartnerTally> tallies;

    @BeforeAll
    static void replayAStretchOfTheReferenceYear() throws Exception {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(300, 5), false);
        SimulatedClock clock = new SimulatedClock(START);
        try (CustosApp app = CustosApp.start(db,
                CustosApp.Options.on("127.0.0.1", 0).simulated(clock, Duration.ofDays(90)).withRates(1e6, 1e6))) {
            List<Long> people = Replay.people(app.engine().view(), 20, 3);
            people.forEach(p -> app.oauth().passwords().set(p, "replay-" + p, Replay.PASSWORD));
            tallies = new Replay("http://127.0.0.1:" + app.port(), clock, 5, app.engine().view(), new PersonData(db),
                    new AccessHistory(db.jdbi()), p -> "replay-" + p).run(new JdbiPartnerStore(db.jdbi()).loadAll(), people,
                    new Replay.Plan(DAYS, 6, 80, 11), ReferenceWorld.AS_OF);
        }
        // Closing the app closed the store: the compliance side opens it again, as a command would.
        db = Database.open(target.config());
    }

    @AfterAll
    static void dropTheStore() {
        if (db != null) {
            db.close();
        }
        target.cleanup().run();
    }

    private static Findings.Report findings() {
        return new Compliance(db.jdbi()).findings(ReferenceWorld.AS_OF, LogRange.period(START, ReferenceWorld.AS_OF),
                Findings.DEFAULT_STALE_AFTER, Progress.NONE);
    }

    @Test
    void theFindingsListReelhousesAgreementAsStaleAndNorthmeresMessageDeletionAsOverBroad() {
        List<Finding> all = findings().findings();
        assertThat(all).filteredOn(f -> f.kind() == FindingKind.STALE_AGREEMENT && f.partner().equals("reelhouse"))
                .extracting(Finding::title)
                .anySatisfy(t -> assertThat(t).contains("2013-03-01").contains("recommend-to-friends").contains("2015-07-01"));
        assertThat(all).filteredOn(f -> f.kind() == FindingKind.OVER_BROAD_GRANT && f.partner().equals("northmere"))
                .anySatisfy(f -> {
                    assertThat(f.title()).contains("messages:delete");
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                });
        assertThat(all).filteredOn(f -> f.kind() == FindingKind.OVER_BROAD_GRANT && f.partner().equals("cartwell")
                && f.id().endsWith(":out-of-line")).as("a purpose granted only what its job needs is not over-broad").isEmpty();
    }

    @Test
    void everyAllowedEntryOfTheReplayedStretchReplaysWithoutASettingsViolation() {
        var replay = findings().allowReplay();
        Compliance c = new Compliance(db.jdbi());
        long allowed = c.reports().build(LogRange.period(START, ReferenceWorld.AS_OF), c.slugs(), List.of(),
                Progress.NONE).total().allowed();
        assertThat(replay.replayed()).as("every allowed entry was replayed").isEqualTo(allowed)
                .isGreaterThanOrEqualTo(tallies.values().stream().mapToLong(PartnerTally::allowed).sum()).isPositive();
        assertThat(replay.violations()).as("violations: %s", replay.sample()).isZero();
        assertThat(findings().findings()).noneMatch(f -> f.kind() == FindingKind.SETTINGS_VIOLATING_ALLOWS);
    }

    @Test
    void theReplayTableIsTheReportOverTheReplayedLogAndAccountsForEveryHttpAnswer() {
        Compliance c = new Compliance(db.jdbi());
        PeriodReport report = c.reports().build(LogRange.period(START, ReferenceWorld.AS_OF), c.slugs(), List.of(),
                Progress.NONE);
        Map<String, PartnerPeriod> rows = new java.util.HashMap<>();
        report.partners().forEach(p -> rows.put(p.partner(), p));
        // The replay counts HTTP answers; the log has one decision per scope decided (a profile read with contact
        // details is two), so the report never counts fewer, and every reason the replay saw is in it.
        for (PartnerTally t : tallies.values()) {
            PartnerPeriod p = rows.get(t.slug());
            if (t.requests() == 0) {
                assertThat(p).as(t.slug()).isNull();
                continue;
            }
            assertThat(p.requests()).as(t.slug() + " decisions").isGreaterThanOrEqualTo(t.requests());
            assertThat(p.allowed()).as(t.slug() + " allowed").isGreaterThanOrEqualTo(t.allowed());
            t.deniedBy().forEach((reason, n) -> assertThat(p.deniedBy().getOrDefault(reason, 0L))
                    .as(t.slug() + " " + reason).isGreaterThanOrEqualTo(n));
        }
        // The table the replay prints (and the README quotes) carries the report's numbers, row by row.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        custos.server.replay.ReplayReport.print(tallies, report, java.util.Set.of("tunewave", "northmere", "reelhouse"),
                5, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String table = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String slug : List.of("tunewave", "northmere")) {
            PartnerPeriod p = rows.get(slug);
            assertThat(table).contains(String.format(java.util.Locale.ROOT, "| %s | %,d | %,d | %s |", slug, p.requests(),
                    p.allowed(), ReportFiles.denied(p)));
            assertThat(ReportFiles.csv(report)).contains(slug + "," + p.requests() + "," + p.allowed() + "," + p.denied()
                    + ",");
        }
        assertThat(table).contains(String.format(java.util.Locale.ROOT, "| **all %d partners** | %,d | %,d |",
                tallies.size(), report.total().requests(), report.total().allowed()));
    }

    @Test
    void theReportFilesCarryCountsAndChartsButNoDataOfAnyone(@TempDir Path dir) throws Exception {
        Compliance c = new Compliance(db.jdbi());
        PeriodReport report = c.reports().build(LogRange.period(START, ReferenceWorld.AS_OF), c.slugs(),
                findings().findings(), Progress.NONE);
        List<Path> files = ReportFiles.write(report, dir);
        String html = Files.readString(files.get(0));
        assertThat(html).contains("<svg").contains("tunewave").contains("FRIEND_SETTINGS_FORBID");
        String everything = html + Files.readString(files.get(1)) + Files.readString(files.get(2));
        // The replay writes this body into every message it sends; no report may carry a message text.
        assertThat(everything).doesNotContain("Have you seen this?").doesNotContain("@");
        assertThat(Files.readString(files.get(1)).lines().count()).isEqualTo(report.partners().size() + 2);
    }

    @Test
    void theExposureOfTheOldWhitelistsYearListsPerPartnerWhatCustosWouldHaveDenied(@TempDir Path dir) throws Exception {
        Compliance c = new Compliance(db.jdbi());
        var engine = c.historyEngine();
        List<PartnerEntry> partners = c.partners();
        List<LegacyAccess> year = WhitelistTraffic.year(partners, 300, engine.view()::friendsOf, 6, 1);
        Path csv = dir.resolve("old-whitelist.csv");
        LegacyLogFiles.writeCsv(year, csv);
        List<LegacyAccess> read = LegacyLogFiles.read(csv, null);
        assertThat(read).hasSameSizeAs(year);
        assertThat(read).usingRecursiveFieldByFieldElementComparatorIgnoringFields("line").isEqualTo(year);
        ExposureReport report = new ExposureAssessment(engine, partners).assess("old-whitelist.csv", read, Progress.NONE);
        assertThat(report.total().lines()).isEqualTo(365 * 6);
        PartnerExposure reelhouse = report.partners().stream().filter(p -> p.partner().equals("reelhouse")).findFirst()
                .orElseThrow();
        assertThat(reelhouse.wouldDeny()).isPositive();
        assertThat(report.total().deniedBy()).containsKeys(Reason.NO_CONSENT.name());
        assertThat(report.total().peopleHadSet()).isNotEmpty();
        assertThat(report.partners()).allSatisfy(p -> assertThat(p.wouldAllow() + p.wouldDeny()).isEqualTo(p.lines()));
        ExposureFiles.write(report, dir.resolve("out"));
        assertThat(Files.readString(dir.resolve("out/exposure.html"))).contains("reelhouse").contains("<svg");
    }

    @Test
    void aLegacyLogWithABadLineIsRefusedWithTheLineNamed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "time,partner,person,category,operation,fields\n"
                + "2025-03-01T08:00:00Z,tunewave,12,messages,read,id;body\n"
                + "yesterday,tunewave,12,messages,read,id\n");
        assertThatThrownBy(() -> LegacyLogFiles.read(bad, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3").hasMessageContaining("ISO-8601");
    }

    @Test
    void anOverdueRecertificationIsNoticedThenSuspendedAfterTheGraceAndLiftedByRecertifying() {
        Compliance c = new Compliance(db.jdbi());
        long northmere = c.partners().stream().filter(p -> p.partner().slug().equals("northmere")).findFirst()
                .orElseThrow().agreements().get(0).id();
        // Far past any other test's sweep: recertified on the 90-day interval, then let run out.
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS).plus(Duration.ofDays(1000));
        c.recertification().recertify(northmere, t0, "auditor@platform", "reviewed", 90);
        Instant due = t0.plus(Duration.ofDays(100));
        c.recertification().sweep(c.partners(), due);
        assertThat(agreement(c, northmere).recertificationSuspendedAt())
                .as("noticed, not suspended: the grace runs from the notice").isNull();
        Instant afterGrace = due.plus(custos.compliance.Recertification.GRACE).plusSeconds(1);
        c.recertification().sweep(c.partners(), afterGrace);
        var suspended = agreement(c, northmere);
        assertThat(suspended.recertificationSuspendedAt()).isEqualTo(due.plus(custos.compliance.Recertification.GRACE));
        var decision = c.historyEngine().decide(new custos.policy.DecisionRequest(suspended.partnerId(), "t",
                "pay-friends-in-messages", 1, 1, custos.data.Scope.parse("friends:read"), afterGrace, null));
        assertThat(decision.reasons()).contains(Reason.RECERTIFICATION_OVERDUE);
        assertThat(c.findings().compute(c.partners(), afterGrace, LogRange.period(START, afterGrace),
                Findings.DEFAULT_STALE_AFTER, null).findings())
                .anySatisfy(f -> {
                    assertThat(f.id()).isEqualTo("recertification-overdue:agreement-" + northmere);
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                });
        c.recertification().recertify(northmere, afterGrace, "auditor@platform", "reviewed again", 365);
        assertThat(agreement(c, northmere).recertificationSuspendedAt()).isNull();
        assertThat(agreement(c, northmere).recertifyEveryDays()).isEqualTo(365);
        assertThat(c.recertification().overdue(c.partners(), afterGrace)).noneMatch(o -> o.agreement().id() == northmere);
        assertThatThrownBy(() -> c.recertification().recertify(northmere, afterGrace, "x", "", 30))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("90 to 365");
    }

    private static custos.partner.Agreement agreement(Compliance c, long id) {
        return c.partners().stream().flatMap(p -> p.agreements().stream()).filter(a -> a.id() == id).findFirst()
                .orElseThrow();
    }

    @Test
    void aPartnerUnusedForNinetyDaysLapsesAndIsDeniedAsDormant() {
        Compliance c = new Compliance(db.jdbi());
        Instant now = Instant.now();
        // The first sweep starts the watch: a store whose log is a replay of the past lapses nobody on its first day.
        assertThat(c.sweep(now).lapsed()).isEmpty();
        Instant later = now.plus(Duration.ofDays(120));
        List<String> lapsed = c.sweep(later).lapsed();
        assertThat(lapsed).contains("seekfar");
        PartnerEntry seekfar = c.partners().stream().filter(p -> p.partner().slug().equals("seekfar")).findFirst()
                .orElseThrow();
        assertThat(seekfar.partner().status()).isEqualTo(PartnerStatus.DORMANT);
        var decision = c.historyEngine().decide(new custos.policy.DecisionRequest(seekfar.partner().id(), "t",
                "social-search", 1, 1, custos.data.Scope.parse("profile:read"), later, null));
        assertThat(decision.reasons()).contains(Reason.PARTNER_DORMANT).doesNotContain(Reason.PARTNER_SUSPENDED);
        c.findings().resolve("dormant-partner:seekfar", "operator@platform", "partner confirmed the integration is gone",
                later);
        assertThat(new JdbcFindingResolutions(db.jdbi()).latest()).containsKey("dormant-partner:seekfar");
    }
}
