package custos.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.consent.ConsentGrant;
import custos.consent.ConsentMethod;
import custos.people.CategorySetting;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Outcome;
import custos.policy.PolicyChange;
import custos.policy.PolicyChangeFeed;
import custos.policy.RateLimiter;
import custos.policy.Reason;
import custos.data.Scope;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4 across instances: two gateway instances on one PostgreSQL database; a change made through either
 * (or outside both) is effective on the other's very next decision once the change call has returned; an instance
 * that lags or misses a change while its lease lapsed refuses to decide instead.
 */
class TwoInstanceFreshnessTest {
    static final Duration LEASE = Duration.ofSeconds(2);
    static final long PERSON = ReferenceWorld.DEMO_PERSON;
    static final long TUNEWAVE = 1;
    static final String PURPOSE = "share-in-messages";
    static final Scope MESSAGES_READ = Scope.parse("messages:read");

    static TestStores.Target target;
    static Database database;

    Instance a;
    Instance b;
    ChangeBarrier barrier;

    record Instance(DecisionEngine engine, PolicyFollower follower) implements AutoCloseable {
        static Instance start(Database db) {
            var partners = new JdbiPartnerStore(db.jdbi());
            var consents = new JdbiConsentStore(db.jdbi());
            var settings = new JdbiSettingsStore(db.jdbi());
            var feed = new JdbiPolicyChangeFeed(db.jdbi());
            PolicyLoader loader = new PolicyLoader(db.jdbi(), partners, consents, settings, feed);
            var view = loader.load();
            var follower = new PolicyFollower(view, feed, loader, consents, settings,
                    new InstanceLease(db.jdbi(), LEASE), List.of(), Duration.ofMillis(20));
            return new Instance(new DecisionEngine(view, RateLimiter.UNLIMITED), follower);
        }

        Decision decide(long subject, Scope scope) {
            return decide(TUNEWAVE, PURPOSE, subject, scope);
        }

        Decision decide(long partner, String purpose, long subject, Scope scope) {
            return engine.decide(new DecisionRequest(partner, "p" + partner, purpose, PERSON, subject, scope, Instant.now(), null));
        }

        @Override
        public void close() {
            follower.close();
        }
    }

    @BeforeAll
    static void seed() {
        target = TestStores.server();
        database = Database.open(target.config());
        Seeder.seed(database, new WorldSpec(300, 7), false);
    }

    @AfterAll
    static void drop() {
        database.close();
        target.cleanup().run();
    }

    @BeforeEach
    void startInstances() {
        a = Instance.start(database);
        b = Instance.start(database);
        barrier = new ChangeBarrier(database.jdbi(), new JdbiPolicyChangeFeed(database.jdbi()));
    }

    @AfterEach
    void stopInstances() {
        a.close();
        b.close();
    }

    Consent demoConsent() {
        return new JdbiConsentStore(database.jdbi()).forPerson(PERSON).stream()
                .filter(c -> c.partnerId() == TUNEWAVE && c.purposes().contains(PURPOSE) && c.withdrawnAt() == null)
                .findFirst().orElseThrow();
    }

    @Test
    void withdrawnConsentDeniesOnTheOtherInstanceAsSoonAsTheChangeCallReturns() {
        assertThat(b.decide(PERSON, MESSAGES_READ).reasons()).isEmpty();

        new JdbiConsentStore(database.jdbi()).withdraw(demoConsent().id(), Instant.now());
        barrier.awaitEverywhere();

        Decision onB = b.decide(PERSON, MESSAGES_READ);
        assertThat(onB.outcome()).isEqualTo(Outcome.DENY);
        assertThat(onB.reasons()).contains(Reason.CONSENT_REVOKED);
        assertThat(a.decide(PERSON, MESSAGES_READ).reasons()).contains(Reason.CONSENT_REVOKED);
    }

    @Test
    void settingsChangeAndRetiredPurposeAreEffectiveEverywhereOnTheNextRequest() {
        var store = new JdbiSettingsStore(database.jdbi());
        Scope profile = Scope.parse("profile:read");
        long otherPerson = 2;
        store.newVersion(otherPerson, Map.of(DataCategory.MESSAGES, new CategorySetting(Visibility.FRIENDS, false, false)),
                Instant.now().minusSeconds(1));
        barrier.awaitEverywhere();
        assertThat(b.engine().view().settingsAt(otherPerson, Instant.now()).of(DataCategory.MESSAGES).partnersMayReach()).isFalse();

        long northmere = 2;
        String pay = "pay-friends-in-messages";
        assertThat(b.decide(northmere, pay, PERSON, MESSAGES_READ).reasons()).doesNotContain(Reason.PURPOSE_RETIRED);
        var partners = new JdbiPartnerStore(database.jdbi());
        var purpose = partners.bySlug("northmere").orElseThrow().agreements().stream()
                .flatMap(ag -> ag.purpose(pay).stream()).findFirst().orElseThrow();
        partners.retirePurpose(purpose.id(), Instant.now().minusSeconds(1));
        barrier.awaitEverywhere();
        assertThat(b.decide(northmere, pay, PERSON, MESSAGES_READ).reasons()).contains(Reason.PURPOSE_RETIRED);
        assertThat(a.decide(northmere, pay, PERSON, profile).reasons()).contains(Reason.PURPOSE_RETIRED);
    }

    @Test
    void anInstanceThatStopsFollowingStopsDecidingWithinItsLease() throws InterruptedException {
        assertThat(b.follower().mayDecide()).isTrue();
        b.follower().close();
        Thread.sleep(LEASE.toMillis());
        assertThat(b.follower().mayDecide()).isFalse();
        // And a change call does not wait on it forever: its lease row is gone or lapsed.
        long started = System.nanoTime();
        barrier.awaitEverywhere();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LEASE.multipliedBy(3));
    }

    @Test
    void aChangeOfAKindThisCustosDoesNotKnowStopsTheInstanceDecidingInsteadOfBeingSkipped() throws InterruptedException {
        assertThat(b.follower().mayDecide()).isTrue();
        long seq = database.jdbi().withHandle(h -> h.createQuery(
                "insert into policy_changes (kind, ref_id) values ('invented_kind', 1) returning seq").mapTo(Long.class).one());
        try {
            long deadline = System.nanoTime() + LEASE.multipliedBy(4).toNanos();
            while ((a.follower().mayDecide() || b.follower().mayDecide()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(a.follower().mayDecide()).as("a stopped deciding within its lease").isFalse();
            assertThat(b.follower().mayDecide()).as("b stopped deciding within its lease").isFalse();
        } finally {
            database.jdbi().useHandle(h -> h.execute("delete from policy_changes where seq = ?", seq));
        }
    }

    /** A feed that, once armed, runs {@code meanwhile} right after its next read: the read then predates that change. */
    static final class SlowReadFeed implements PolicyChangeFeed {
        private final PolicyChangeFeed feed;
        volatile Runnable meanwhile;

        SlowReadFeed(PolicyChangeFeed feed) {
            this.feed = feed;
        }

        @Override
        public long latest() {
            return feed.latest();
        }

        @Override
        public List<PolicyChange> after(long afterSeq, int limit) {
            List<PolicyChange> read = feed.after(afterSeq, limit);
            Runnable r = meanwhile;
            meanwhile = null;
            if (r != null) {
                r.run();
            }
            return read;
        }

        @Override
        public List<PolicyChange> only(Collection<Long> seqs) {
            return feed.only(seqs);
        }
    }

    /** A person of the test's own, with default settings and one live tunewave consent to read messages. */
    static long personWithConsent(long person) {
        new JdbiSettingsStore(database.jdbi()).newVersion(person, Map.of(), Instant.now().minusSeconds(1));
        new JdbiConsentStore(database.jdbi()).record(new ConsentGrant(person, TUNEWAVE, Set.of(PURPOSE), Set.of(MESSAGES_READ),
                false, "test", ConsentMethod.CONSENT_SCREEN, Instant.now().minusSeconds(1), Instant.now().plusSeconds(3600)));
        return person;
    }

    /** Withdraws every live tunewave consent of the person. */
    static void withdrawAll(long person) {
        var consents = new JdbiConsentStore(database.jdbi());
        consents.forPerson(person).stream().filter(c -> c.partnerId() == TUNEWAVE && c.withdrawnAt() == null)
                .forEach(c -> consents.withdraw(c.id(), Instant.now()));
    }

    static Decision ownMessages(DecisionEngine engine, long person) {
        return engine.decide(new DecisionRequest(TUNEWAVE, "p" + TUNEWAVE, PURPOSE, person, person, MESSAGES_READ, Instant.now(), null));
    }

    @Test
    void aPollThatReadTheFeedBeforeAChangeCannotRenewALeaseTheChangeCallCountedAsGone() throws InterruptedException {
        // Alone on the database, so the change call below returns at once and the timing is the test's.
        a.close();
        b.close();
        long person = personWithConsent(11);
        var consents = new JdbiConsentStore(database.jdbi());
        var settings = new JdbiSettingsStore(database.jdbi());
        var slow = new SlowReadFeed(new JdbiPolicyChangeFeed(database.jdbi()));
        PolicyLoader loader = new PolicyLoader(database.jdbi(), new JdbiPartnerStore(database.jdbi()), consents, settings, slow);
        var view = loader.load();
        var engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        Duration lease = Duration.ofSeconds(1);
        // Polls only when stepped, so the test decides when the lease lapses and when the feed is read.
        try (var follower = new PolicyFollower(view, slow, loader, consents, settings, new InstanceLease(database.jdbi(), lease),
                List.of(), Duration.ofHours(1))) {
            assertThat(ownMessages(engine, person).outcome()).isEqualTo(Outcome.ALLOW);
            Thread.sleep(lease.toMillis() + 100);
            assertThat(follower.mayDecide()).isFalse();

            // The poll reads the feed; then, before it renews, the consent is withdrawn and the change call returns,
            // having found this instance's lease lapsed.
            slow.meanwhile = () -> {
                withdrawAll(person);
                barrier.awaitEverywhere();
            };
            follower.pollOnce();

            assertThat(!follower.mayDecide() || ownMessages(engine, person).outcome() == Outcome.DENY)
                    .as("after the change call returned, the instance either refuses to decide or denies").isTrue();
        }
    }

    @Test
    void aChangeCallFencesOutAnInstanceThatDoesNotCatchUpAndReturnsOnlyOnceItHasStoppedDeciding() {
        long person = personWithConsent(12);
        var consents = new JdbiConsentStore(database.jdbi());
        var settings = new JdbiSettingsStore(database.jdbi());
        var feed = new JdbiPolicyChangeFeed(database.jdbi());
        PolicyLoader loader = new PolicyLoader(database.jdbi(), new JdbiPartnerStore(database.jdbi()), consents, settings, feed);
        var view = loader.load();
        var engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        try (var stuck = new PolicyFollower(view, feed, loader, consents, settings,
                new InstanceLease(database.jdbi(), Duration.ofSeconds(1)), List.of(), Duration.ofHours(1))) {
            assertThat(stuck.mayDecide()).isTrue();
            assertThat(ownMessages(engine, person).outcome()).isEqualTo(Outcome.ALLOW);
            withdrawAll(person);

            ChangeBarrier.Passed passed = new ChangeBarrier(database.jdbi(), feed, Duration.ofMillis(200)).awaitEverywhere();

            assertThat(passed.fenced()).as("the stuck one; the others catch up unless the machine is very busy").isPositive();
            assertThat(stuck.mayDecide()).as("the stuck instance's lease has run out when the call returns").isFalse();
            // Fenced out, it comes back only through a fresh read of the feed, which brings the withdrawal.
            stuck.pollOnce();
            assertThat(stuck.mayDecide()).isTrue();
            assertThat(ownMessages(engine, person).outcome()).isEqualTo(Outcome.DENY);
        }
    }

    @Test
    void aChangeThatCommitsAfterItsGapWasGivenUpIsStillApplied() throws InterruptedException {
        long person = personWithConsent(13);
        barrier.awaitEverywhere();
        assertThat(ownMessages(b.engine(), person).outcome()).isEqualTo(Outcome.ALLOW);
        try (Handle slow = database.jdbi().open()) {
            slow.begin();
            slow.createUpdate("update consents set withdrawn_at = now(), version = version + 1"
                    + " where person_id = :p and partner_id = :t and withdrawn_at is null")
                    .bind("p", person).bind("t", TUNEWAVE).execute();
            // A later change commits first, so the slow one's number is a gap the followers wait for, then give up.
            new JdbiSettingsStore(database.jdbi()).newVersion(14, Map.of(), Instant.now().minusSeconds(1));
            Thread.sleep(PolicyFollower.GAP_GIVE_UP.toMillis() + 500);
            slow.commit();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (ownMessages(b.engine(), person).outcome() == Outcome.ALLOW && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ownMessages(b.engine(), person).outcome()).as("the late withdrawal reached the instance").isEqualTo(Outcome.DENY);
    }
}
