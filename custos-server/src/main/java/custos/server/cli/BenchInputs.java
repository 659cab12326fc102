package custos.server.cli;

import custos.people.PrivacySettings;
import custos.server.audit.DecisionInputRecorder;
import custos.server.audit.LogIntegrator;
import custos.server.policy.PolicyLoader;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import custos.server.store.Seeder;
import custos.world.WorldSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The decision inputs of {@code bench audit --with-inputs}: a seeded world in the throw-away database, its snapshot
 * committed before the run, and one thread changing settings versions throughout it, each committed by the recorder
 * as an input entry while the benchmark appends access entries. Off (PEOPLE 0), it does nothing.
 */
final class BenchInputs implements AutoCloseable {
    private final Database db;
    private final DecisionInputRecorder recorder;
    private final LongAdder changes = new LongAdder();
    private Thread changer;

    private BenchInputs(Database db, DecisionInputRecorder recorder) {
        this.db = db;
        this.recorder = recorder;
    }

    static BenchInputs start(Database db, LogIntegrator integrator, int people, PrintWriter out) {
        if (people <= 0) {
            return new BenchInputs(db, null);
        }
        out.println("custos: seeding " + people + " people for the decision inputs...");
        Seeder.seed(db, new WorldSpec(people, 1), false);
        var partners = new JdbiPartnerStore(db.jdbi());
        var consents = new JdbiConsentStore(db.jdbi());
        var settings = new JdbiSettingsStore(db.jdbi());
        PolicyLoader loader = new PolicyLoader(db.jdbi(), partners, consents, settings, new JdbiPolicyChangeFeed(db.jdbi()));
        long started = System.nanoTime();
        DecisionInputRecorder recorder = new DecisionInputRecorder(db.dataSource(), partners, consents, settings,
                new custos.server.store.JdbiPeopleStore(db.jdbi()), loader::load,
                integrator).start(Duration.ofMillis(200));
        out.printf("custos: decision input snapshot of %d people committed in %.1f s%n", people, (System.nanoTime() - started) / 1e9);
        return new BenchInputs(db, recorder);
    }

    /**
     * Changes settings versions, one person at a time, for {@code seconds}: {@code perSecond} a second, or as fast as
     * one client can commit them when it is 0.
     */
    void changeFor(int seconds, int perSecond) {
        if (recorder == null) {
            return;
        }
        long people = db.jdbi().withHandle(h -> h.createQuery("select count(*) from people").mapTo(Long.class).one());
        JdbiSettingsStore settings = new JdbiSettingsStore(db.jdbi());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        changer = Thread.ofPlatform().daemon().name("custos-bench-changes").start(() -> {
            SplittableRandom random = new SplittableRandom(1);
            long started = System.nanoTime();
            while (System.nanoTime() < end) {
                if (perSecond > 0) {
                    long due = started + changes.sum() * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        continue;
                    }
                }
                long person = 1 + random.nextLong(people);
                PrivacySettings current = settings.current(person);
                settings.newVersion(person, current.categories(), Instant.now());
                changes.increment();
            }
        });
    }

    /** Settings changes committed so far. */
    long changes() {
        return changes.sum();
    }

    void report(PrintWriter out, long changesMeasured, int seconds) throws InterruptedException {
        if (recorder == null) {
            return;
        }
        changer.join();
        recorder.catchUp();
        long entries = db.jdbi().withHandle(h -> h.createQuery("select count(*) from decision_inputs").mapTo(Long.class).one());
        out.println("custos: " + changes.sum() + " settings changes during the run (" + changesMeasured + " in the measured "
                + seconds + " s, " + changesMeasured / seconds + "/s), each committed as an input entry; " + entries
                + " input entries in the log (snapshot included)");
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.close();
        }
    }
}
