package custos.server.audit.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.audit.AccessEvent;
import custos.audit.InputCitations;
import custos.audit.inputs.Redecision;
import custos.audit.EventCodec;
import custos.audit.LogEntryKind;
import custos.audit.LogReceipt;
import custos.audit.inputs.DecisionInput;
import custos.audit.inputs.InputCodec;
import custos.consent.Consent;
import custos.policy.Outcome;
import custos.server.CustosApp;
import custos.server.api.PersonData;
import custos.server.audit.AccessHistory;
import custos.server.audit.BundleExport;
import custos.server.cli.CustosCommand;
import custos.server.replay.Replay;
import custos.server.replay.SimulatedClock;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a month of Tunewave's replayed traffic, exported as an auditor bundle, re-decides from its committed
 * inputs alone with no unjustified allow; and each kind of tampering (an allow after a withdrawal, a missing input, an
 * opening that does not match its commitment, a proof to another checkpoint, a sample the seed did not draw) is caught.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AuditBundleTest {
    private static final Instant FROM = ReferenceWorld.AS_OF.minus(Duration.ofDays(30));
    private static TestStores.Target target;
    private static Database db;
    private static SimulatedClock clock;
    private static CustosApp app;
    private static String key;
    private static AuditBundle clean;
    private static AuditBundle sampled;

    @BeforeAll
    static void replayAMonth() throws Exception {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(300, 5), false);
        clock = new SimulatedClock(FROM);
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0).simulated(clock, Duration.ofDays(90)).withRates(1e6, 1e6));
        List<Long> people = Replay.people(app.engine().view(), 20, 3);
        people.forEach(p -> app.oauth().passwords().set(p, "replay-" + p, Replay.PASSWORD));
        new Replay("http://127.0.0.1:" + app.port(), clock, 5, app.engine().view(), new PersonData(db),
                new AccessHistory(db.jdbi()), p -> "replay-" + p).run(new JdbiPartnerStore(db.jdbi()).loadAll(), people,
                new Replay.Plan(30, 6, 60, 11), ReferenceWorld.AS_OF);
        key = app.log().signer().verifierKey();
        clean = export(null, null);
        sampled = export(5, clean.checkpoint());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (target != null) {
            target.cleanup().run();
        }
    }

    @Test
    void tunewavesReplayedMonthReDecidesWithNoUnjustifiedAllow() throws Exception {
        BundleCheck.Report report = BundleCheck.check(clean, key, List.of());
        assertThat(report.problems()).isEmpty();
        assertThat(report.redecided().allows()).as("Tunewave was allowed something in the month").isPositive();
        assertThat(report.redecided().uncited()).isZero();
        assertThat(report.inputs()).isPositive();
        assertThat(accesses(clean)).as("every entry cites its inputs subject by subject").allMatch(e -> e.cites() != null);
        assertThat(accesses(clean)).as("some page released other people, re-checked on their own inputs")
                .anyMatch(e -> !e.coSubjects().isEmpty());
    }

    @Test
    void theNewestInputAboutAPersonCannotBeLeftOutOfTheBundle() throws Exception {
        List<AccessEvent> allows = accesses(clean).stream().filter(e -> e.outcome() == Outcome.ALLOW).toList();
        AccessEvent allowed = allows.stream().filter(e -> e.actor() != allows.get(0).actor()).reduce((a, b) -> b)
                .orElseThrow(); // not the first allow's actor, whose consent another test withdraws
        Consent consent = new JdbiConsentStore(db.jdbi()).forPerson(allowed.actor()).stream()
                .filter(c -> c.partnerId() == allowed.partnerId() && c.withdrawnAt() == null).findFirst().orElseThrow();
        Instant withdrawn = clock.instant();
        app.changes().consents().withdraw(consent.id(), withdrawn);
        awaitInputsRecorded();
        // A gateway that ignored the withdrawal it had applied: it allows, citing what its view applied, as Gate does.
        var view = app.engine().view();
        AccessEvent forged = new AccessEvent(UUID.randomUUID(), withdrawn.plusSeconds(1), allowed.partnerId(), allowed.clientId(),
                allowed.purpose(), allowed.scope(), allowed.actor(), allowed.subject(), List.of(), Outcome.ALLOW, List.of(),
                allowed.basis(), allowed.records(), allowed.fields(), view.watermark(),
                InputCitations.of(view, allowed.partnerId(), allowed.actor(), allowed.subject(), List.of()));
        LogReceipt receipt = app.accessLog().append(forged);
        AuditBundle after = export(null, null);
        assertThat(BundleCheck.check(after, key, List.of()).redecided().unjustified())
                .extracting(Redecision.Unjustified::index).contains(receipt.index());

        // The operator leaves out the withdrawal, the newest input about the actor: no later input names it.
        long cited = forged.cites().seqOf(allowed.actor());
        List<AuditBundle.Entry> entries = new ArrayList<>(after.entries());
        AuditBundle.Entry withdrawal = entries.stream().filter(e -> e.opening()[0] == LogEntryKind.PERSON_INPUTS_V1
                && InputCodec.decode(e.opening()) instanceof DecisionInput.PersonInputs p
                && p.personId() == allowed.actor() && p.seq() == cited).findFirst().orElseThrow();
        entries.remove(withdrawal);

        BundleCheck.Report report = BundleCheck.check(with(after, entries), key, List.of());
        assertThat(report.problems()).anyMatch(p -> p.startsWith("entry " + receipt.index() + ": missing input")
                && p.contains("person " + allowed.actor()) && p.contains("sequence " + cited));
    }

    @Test
    void anAllowWhoseConsentWasWithdrawnBeforeItIsCaught() throws Exception {
        AccessEvent allowed = accesses(clean).stream().filter(e -> e.outcome() == Outcome.ALLOW).findFirst().orElseThrow();
        Consent consent = new JdbiConsentStore(db.jdbi()).forPerson(allowed.actor()).stream()
                .filter(c -> c.partnerId() == allowed.partnerId() && c.withdrawnAt() == null).findFirst().orElseThrow();
        Instant withdrawn = clock.instant();
        app.changes().consents().withdraw(consent.id(), withdrawn);
        awaitInputsRecorded();
        // A gateway that ignored the withdrawal: it allows and logs, citing the inputs that include the withdrawal.
        AccessEvent forged = new AccessEvent(UUID.randomUUID(), withdrawn.plusSeconds(1), allowed.partnerId(), allowed.clientId(),
                allowed.purpose(), allowed.scope(), allowed.actor(), allowed.subject(), List.of(), Outcome.ALLOW, List.of(),
                allowed.basis(), allowed.records(), allowed.fields(), app.engine().view().watermark());
        LogReceipt receipt = app.accessLog().append(forged);
        AuditBundle after = export(null, null);

        BundleCheck.Report report = BundleCheck.check(after, key, List.of());
        // Another test forges an allow of its own in the same log: only this one is looked at.
        assertThat(report.redecided().unjustified()).filteredOn(u -> u.index() == receipt.index()).singleElement().satisfies(u -> {
            assertThat(u.reasons()).contains("CONSENT_REVOKED");
        });
    }

    @Test
    void aFriendshipMadeAfterTheSnapshotReachesTheGatewayAndTheLogAsBothFriendLists() throws Exception {
        AccessEvent allowed = accesses(clean).stream().filter(e -> e.outcome() == Outcome.ALLOW).findFirst().orElseThrow();
        long a = allowed.actor();
        var view = app.engine().view();
        long b = db.jdbi().withHandle(h -> h.createQuery("select id from people where id <> :a order by id desc")
                        .bind("a", a).mapTo(Long.class).list()).stream()
                .filter(p -> !view.areFriends(a, p)).findFirst().orElseThrow();
        long before = db.jdbi().withHandle(h -> h.createQuery("select max(seq) from policy_changes").mapTo(Long.class).one());
        db.jdbi().useHandle(h -> h.createUpdate("insert into friendships (person_a, person_b, since) values (:x, :y, now())")
                .bind("x", Math.min(a, b)).bind("y", Math.max(a, b)).execute());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((view.personInputSeq(a) <= before || view.personInputSeq(b) <= before) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(view.areFriends(a, b)).as("the gateway applied the new friendship").isTrue();
        assertThat(view.personInputSeq(a)).as("both friend lists changed: each person is cited at it").isGreaterThan(before);
        assertThat(view.personInputSeq(b)).isGreaterThan(before);
        awaitInputsRecorded();

        AuditBundle after = export(null, null);
        List<DecisionInput.PersonInputs> lists = after.entries().stream()
                .filter(e -> e.opening()[0] == LogEntryKind.PERSON_INPUTS_V1)
                .map(e -> (DecisionInput.PersonInputs) InputCodec.decode(e.opening()))
                .filter(p -> p.change().equals("friends")).toList();
        assertThat(lists).filteredOn(p -> p.personId() == a).singleElement()
                .satisfies(p -> assertThat(p.friends()).contains(b).isSorted());
    }

    @Test
    void aCoSubjectErasedSinceIsANoteNotAProblem() throws Exception {
        List<AccessEvent> all = accesses(clean);
        java.util.Set<Long> named = new java.util.HashSet<>();
        all.forEach(e -> {
            named.add(e.actor());
            named.add(e.subject());
        });
        AccessEvent page = all.stream().filter(e -> e.coSubjects().stream().anyMatch(c -> !named.contains(c))).findFirst()
                .orElseThrow(() -> new AssertionError("no page released someone who is never an actor or subject"));
        long gone = page.coSubjects().stream().filter(c -> !named.contains(c)).findFirst().orElseThrow();
        long index = clean.entries().stream().filter(e -> LogEntryKind.of(e.opening()) == LogEntryKind.ACCESS_EVENT
                && EventCodec.decode(e.opening()).id().equals(page.id())).findFirst().orElseThrow().index();
        new AccessHistory(db.jdbi()).erase(gone);

        AuditBundle after = export(null, null);
        assertThat(after.withheld()).isNotEmpty().allMatch(w -> w.person() == gone);
        BundleCheck.Report report = BundleCheck.check(after, key, List.of());
        assertThat(report.problems()).noneMatch(p -> p.startsWith("entry " + index + ":"));
        assertThat(report.notes()).contains("entry " + index + ": not re-checked: co-subject " + gone
                + " was erased: their release is not re-checked");
    }

    @Test
    void aMissingInputIsCaught() throws Exception {
        AccessEvent allowed = accesses(clean).stream().filter(e -> e.outcome() == Outcome.ALLOW).findFirst().orElseThrow();
        List<AuditBundle.Entry> entries = new ArrayList<>(clean.entries());
        // The actor's first input (their snapshot): every later input of theirs names it, and their allows need it.
        AuditBundle.Entry snapshot = entries.stream().filter(e -> e.opening()[0] == LogEntryKind.PERSON_INPUTS_V1
                && ((DecisionInput.PersonInputs) InputCodec.decode(e.opening())).personId() == allowed.actor()).findFirst().orElseThrow();
        entries.remove(snapshot);

        BundleCheck.Report report = BundleCheck.check(with(clean, entries), key, List.of());
        assertThat(report.redecided().missing()).isNotEmpty();
        assertThat(report.problems()).anyMatch(p -> p.contains("missing input") && p.contains("person " + allowed.actor()));
    }

    @Test
    void anOpeningThatDoesNotMatchItsCommitmentIsCaught() throws Exception {
        List<AuditBundle.Entry> entries = new ArrayList<>(clean.entries());
        AuditBundle.Entry access = entries.stream().filter(e -> LogEntryKind.of(e.opening()) == LogEntryKind.ACCESS_EVENT)
                .findFirst().orElseThrow();
        byte[] changed = access.opening().clone();
        changed[changed.length - 1] ^= 1;
        entries.set(entries.indexOf(access), new AuditBundle.Entry(access.index(), access.leaf(), access.salt(), changed, access.proof()));

        BundleCheck.Report report = BundleCheck.check(with(clean, entries), key, List.of());
        assertThat(report.problems()).contains("entry " + access.index() + ": the opening does not match its commitment");
    }

    @Test
    void aProofToAnotherCheckpointIsCaught() throws Exception {
        long size = custos.audit.Checkpoint.parse(custos.audit.LogAuditor.body(clean.checkpoint())).size();
        String earlier = db.jdbi().withHandle(h -> h.createQuery(
                        "select note from log_checkpoints where size < :s order by size desc limit 1")
                .bind("s", size).mapTo(String.class).one());
        AuditBundle other = new AuditBundle(clean.format(), earlier, clean.partnerId(), clean.partner(), clean.from(), clean.to(),
                null, clean.entries(), clean.withheld());

        BundleCheck.Report report = BundleCheck.check(other, key, List.of());
        assertThat(report.problems()).isNotEmpty()
                .allMatch(p -> p.contains("inclusion proof does not lead to the checkpoint's root"));
    }

    @Test
    void aSampleShowsWhatTheSeedDrewAndNothingTheOperatorPicked() throws Exception {
        assertThat(sampled.sample().population()).hasSizeGreaterThan(5);
        BundleCheck.Report report = BundleCheck.check(sampled, key, List.of());
        assertThat(report.problems()).isEmpty();
        assertThat(report.accesses()).isEqualTo(5);

        // The operator swaps a drawn entry for one it would rather show: both the swap and the gap are named.
        List<Long> drawn = accessIndexes(sampled);
        AuditBundle.Entry notDrawn = clean.entries().stream().filter(e -> LogEntryKind.of(e.opening()) == LogEntryKind.ACCESS_EVENT
                && !drawn.contains(e.index())).findFirst().orElseThrow();
        List<AuditBundle.Entry> entries = new ArrayList<>(sampled.entries());
        entries.removeIf(e -> e.index() == drawn.get(0));
        entries.add(notDrawn);
        BundleCheck.Report swapped = BundleCheck.check(with(sampled, entries), key, List.of());
        assertThat(swapped.problems()).contains("entry " + drawn.get(0) + ": drawn by the sample's seed but not in the bundle",
                "entry " + notDrawn.index() + ": in the bundle but not drawn by the sample's seed");
    }

    @Test
    void theCommandExitsZeroOnACleanBundleOneOnProblemsAndTwoOnAWrongKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tunewave.json");
        clean.write(file);
        assertThat(run("audit", "check", file.toString(), "--key", key)).isZero();

        List<AuditBundle.Entry> entries = new ArrayList<>(clean.entries());
        AuditBundle.Entry first = entries.get(0);
        byte[] changed = first.opening().clone();
        changed[changed.length - 1] ^= 1;
        entries.set(0, new AuditBundle.Entry(first.index(), first.leaf(), first.salt(), changed, first.proof()));
        Path tampered = dir.resolve("tampered.json");
        with(clean, entries).write(tampered);
        assertThat(run("audit", "check", tampered.toString(), "--key", key)).isEqualTo(1);

        String otherKey = custos.audit.NoteSigner.generate("someone.else/log").verifierKey();
        assertThat(run("audit", "check", file.toString(), "--key", otherKey)).isEqualTo(2);
        Files.writeString(dir.resolve("junk.json"), "{not json");
        assertThat(run("audit", "check", dir.resolve("junk.json").toString(), "--key", key)).isEqualTo(2);
    }

    @Test
    void aWitnessTheCheckpointDoesNotCarryIsAProblemAndABadWitnessKeyCannotBeChecked() throws Exception {
        assertThatThrownBy(() -> BundleCheck.check(clean, key, List.of("not a key")))
                .isInstanceOf(BundleCheck.CouldNotCheck.class).hasMessageContaining("--witness");
        // A real witness's key (the C2SP example), which never cosigned this test log.
        BundleCheck.Report report = BundleCheck.check(clean, key,
                List.of("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"));
        assertThat(report.problems()).containsExactly("the checkpoint carries no cosignature by witness remora.n621.de");
    }

    private static int run(String... args) {
        var cl = CustosCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    private static AuditBundle export(Integer sample, String seed) throws Exception {
        awaitInputsRecorded();
        app.log().awaitCheckpoint(app.log().tree().size(), Duration.ofSeconds(30));
        return new BundleExport(db.jdbi()).export(new BundleExport.Request("tunewave", FROM, ReferenceWorld.AS_OF.plus(Duration.ofDays(400)),
                FROM.toString(), ReferenceWorld.AS_OF.plus(Duration.ofDays(400)).toString(), sample, seed));
    }

    /** Waits until every input change of the feed is in the log, and the log's head has been integrated. */
    private static void awaitInputsRecorded() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long pending = db.jdbi().withHandle(h -> h.createQuery("""
                    select count(*) from policy_changes pc
                     where kind in ('consent', 'settings', 'friends', 'partner', 'agreement', 'purpose')
                       and seq > (select coalesce(max(seq), 0) from decision_input_snapshots where done)
                       and not exists (select 1 from decision_inputs_recorded r where r.seq = pc.seq)""").mapTo(Long.class).one());
            long head = db.jdbi().withHandle(h -> h.createQuery("select next_idx from audit_log_head").mapTo(Long.class).one());
            if (pending == 0 && app.log().tree().size() >= head) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("decision inputs were not recorded within 30 s");
    }

    private static List<AccessEvent> accesses(AuditBundle bundle) {
        return bundle.entries().stream().filter(e -> LogEntryKind.of(e.opening()) == LogEntryKind.ACCESS_EVENT)
                .map(e -> EventCodec.decode(e.opening())).toList();
    }

    private static List<Long> accessIndexes(AuditBundle bundle) {
        return bundle.entries().stream().filter(e -> LogEntryKind.of(e.opening()) == LogEntryKind.ACCESS_EVENT)
                .map(AuditBundle.Entry::index).toList();
    }

    private static AuditBundle with(AuditBundle b, List<AuditBundle.Entry> entries) {
        return new AuditBundle(b.format(), b.checkpoint(), b.partnerId(), b.partner(), b.from(), b.to(), b.sample(), entries,
                b.withheld());
    }
}
