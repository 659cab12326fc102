package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.consent.Consent;
import custos.consent.ConsentGrant;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.DataCategory;
import custos.data.Scope;
import custos.world.Archetype;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Migrations, the seeder and every adapter, on the embedded PostgreSQL and on the server alike. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreRoundTripTest {
    private static final int PEOPLE = 400;
    private final List<TestStores.Target> targets = new ArrayList<>();
    private final List<Database> databases = new ArrayList<>();

    @BeforeAll
    void openBoth() {
        TestStores.both().forEach(t -> {
            targets.add(t);
            Database db = Database.open(t.config());
            databases.add(db);
            Seeder.Outcome outcome = Seeder.seedIfEmpty(db, PEOPLE, 3);
            assertThat(outcome.seeded()).isTrue();
        });
    }

    @AfterAll
    void closeBoth() {
        databases.forEach(Database::close);
        targets.forEach(t -> t.cleanup().run());
    }

    Stream<Database> stores() {
        return databases.stream();
    }

    private static long changesAfter(Database db, long seq, String kind) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from policy_changes where seq > :s and kind = :k")
                .bind("s", seq).bind("k", kind).mapTo(Long.class).one());
    }

    private static long lastChange(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("select coalesce(max(seq), 0) from policy_changes").mapTo(Long.class).one());
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void the_seeded_world_reads_back_with_its_archetypes(Database db) {
        List<PartnerEntry> all = new JdbiPartnerStore(db.jdbi()).loadAll();
        assertThat(all).hasSizeGreaterThanOrEqualTo(156);
        assertThat(all).isEqualTo(ReferenceWorld.partners(3));
        PartnerEntry reelhouse = new JdbiPartnerStore(db.jdbi()).bySlug("reelhouse").orElseThrow();
        assertThat(reelhouse.agreements().get(0).purpose("recommend-to-friends").orElseThrow().retiredAt())
                .isEqualTo(Instant.parse("2015-07-01T00:00:00Z"));
        assertThat(new JdbiPeopleStore(db.jdbi()).count()).isEqualTo(PEOPLE);
        String lastKind = db.jdbi().withHandle(h -> h.createQuery("select kind from policy_changes order by seq desc limit 1")
                .mapTo(String.class).one());
        assertThat(lastKind).isIn("world_seeded", "consent", "settings", "partner", "agreement", "purpose");
        long seeded = db.jdbi().withHandle(h -> h.createQuery("select count(*) from policy_changes where kind = 'world_seeded'")
                .mapTo(Long.class).one());
        assertThat(seeded).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void a_seeded_store_is_not_seeded_twice(Database db) {
        assertThat(Seeder.seedIfEmpty(db, PEOPLE, 3).seeded()).isFalse();
        assertThatThrownBy(() -> Seeder.seed(db, new WorldSpec(10, 3), false)).hasMessageContaining("--replace");
        assertThat(new JdbiPeopleStore(db.jdbi()).count()).isEqualTo(PEOPLE);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void people_and_their_data_read_back(Database db) {
        JdbiPeopleStore people = new JdbiPeopleStore(db.jdbi());
        assertThat(people.person(1).orElseThrow().name()).isEqualTo("Alex Morgan");
        long withFriends = 0;
        for (long id = 1; id <= 20; id++) {
            List<Long> ids = people.friendIds(id);
            assertThat(ids).isSorted().doesNotContain(id);
            withFriends += ids.isEmpty() ? 0 : 1;
        }
        assertThat(withFriends).isPositive();
        long threadOwner = db.jdbi().withHandle(h -> h.createQuery("select person_id from thread_participants limit 1").mapTo(Long.class).one());
        var threads = people.threads(threadOwner, 10);
        assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t.participants()).contains(threadOwner));
        assertThat(people.messages(threads.get(0).id(), 100)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void recording_and_withdrawing_a_consent_keeps_its_history_and_feeds_the_policy_changes(Database db) {
        JdbiConsentStore consents = new JdbiConsentStore(db.jdbi());
        long before = lastChange(db);
        Instant given = Instant.parse("2025-03-01T10:00:00Z");
        Consent c = consents.record(new ConsentGrant(7, Archetype.SEEKFAR.partnerId(), Set.of("social-search"),
                Set.of(Scope.parse("profile:read"), Scope.parse("friends:read")), true, "notice-6-v1",
                ConsentMethod.CONSENT_SCREEN, given, given.plusSeconds(86_400 * 365)));
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.history()).extracting(h -> h.state()).containsExactly(ConsentState.GIVEN);
        assertThat(c.scopes()).containsExactlyInAnyOrder(Scope.parse("profile:read"), Scope.parse("friends:read"));
        Consent withdrawn = consents.withdraw(c.id(), given.plusSeconds(3600)).orElseThrow();
        assertThat(withdrawn.version()).isEqualTo(2);
        assertThat(withdrawn.withdrawnAt()).isEqualTo(given.plusSeconds(3600));
        assertThat(withdrawn.history()).extracting(h -> h.state()).containsExactly(ConsentState.GIVEN, ConsentState.WITHDRAWN);
        assertThat(consents.withdraw(c.id(), given.plusSeconds(7200)).orElseThrow().withdrawnAt()).isEqualTo(given.plusSeconds(3600));
        assertThat(changesAfter(db, before, "consent")).isEqualTo(2);
        var feed = new JdbiPolicyChangeFeed(db.jdbi());
        assertThat(feed.after(before, 10)).extracting(ch -> ch.kind() + ":" + ch.refId() + ":" + ch.personId() + ":" + ch.partnerId())
                .containsExactly("consent:" + c.id() + ":7:6", "consent:" + c.id() + ":7:6");
        assertThat(feed.latest()).isGreaterThan(before);
        assertThat(consents.forPerson(7)).extracting(Consent::id).contains(c.id());
        List<Consent> all = new ArrayList<>();
        consents.forEachConsent(all::add);
        assertThat(all).extracting(Consent::id).isSorted().contains(c.id());
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void streaming_live_consents_skips_expired_withdrawn_and_future_ones(Database db) {
        Instant at = Instant.parse("2025-06-01T00:00:00Z");
        List<Consent> live = new ArrayList<>();
        new JdbiConsentStore(db.jdbi()).forEachLive(at, live::add);
        long total = db.jdbi().withHandle(h -> h.createQuery("select count(*) from consents").mapTo(Long.class).one());
        assertThat(live).isNotEmpty().allSatisfy(c -> assertThat(c.liveAt(at)).isTrue());
        assertThat((long) live.size()).isLessThan(total);
        assertThat(live).extracting(Consent::id).isSorted();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void a_new_settings_version_supersedes_the_old_one_which_stays_for_replay(Database db) {
        JdbiSettingsStore settings = new JdbiSettingsStore(db.jdbi());
        long person = 11;
        PrivacySettings old = settings.current(person);
        long before = lastChange(db);
        Instant from = Instant.parse("2026-02-01T00:00:00Z");
        PrivacySettings next = settings.newVersion(person,
                Map.of(DataCategory.CONTACTS, new CategorySetting(Visibility.ONLY_ME, false, false)), from);
        assertThat(next.version()).isEqualTo(old.version() + 1);
        assertThat(settings.current(person).of(DataCategory.CONTACTS).partnersMayReach()).isFalse();
        assertThat(settings.current(person).of(DataCategory.PROFILE)).isEqualTo(PrivacySettings.DEFAULT);
        assertThat(settings.inForceAt(person, from.minusSeconds(1)).orElseThrow().version()).isEqualTo(old.version());
        assertThat(settings.history(person)).extracting(PrivacySettings::version).endsWith(old.version(), next.version());
        assertThat(changesAfter(db, before, "settings")).isEqualTo(1);
        List<PrivacySettings> current = new ArrayList<>();
        settings.forEachCurrent(current::add);
        assertThat(current).hasSize(PEOPLE);
        List<PrivacySettings> versions = new ArrayList<>();
        settings.forEachVersion(versions::add);
        assertThat(versions.size()).isGreaterThan(PEOPLE);
        assertThat(versions).contains(next);
        assertThat(current.stream().filter(s -> s.personId() == person).findFirst().orElseThrow().version()).isEqualTo(next.version());
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("stores")
    void retiring_a_purpose_ending_an_agreement_and_suspending_a_partner_feed_the_policy_changes(Database db) {
        JdbiPartnerStore partners = new JdbiPartnerStore(db.jdbi());
        PartnerEntry tunewave = partners.bySlug("tunewave").orElseThrow();
        Agreement agreement = tunewave.agreements().get(0);
        Purpose purpose = agreement.purposes().get(0);
        long before = lastChange(db);
        Instant at = Instant.parse("2026-03-01T00:00:00Z");
        partners.retirePurpose(purpose.id(), at);
        partners.endAgreement(agreement.id(), at);
        partners.setStatus(tunewave.partner().id(), PartnerStatus.SUSPENDED);
        PartnerEntry after = partners.bySlug("tunewave").orElseThrow();
        assertThat(after.partner().status()).isEqualTo(PartnerStatus.SUSPENDED);
        assertThat(after.agreements().get(0).validUntil()).isEqualTo(at);
        assertThat(after.agreements().get(0).version()).isEqualTo(agreement.version() + 1);
        assertThat(after.agreements().get(0).purposes().get(0).retiredAt()).isEqualTo(at);
        assertThat(changesAfter(db, before, "purpose")).isEqualTo(1);
        assertThat(changesAfter(db, before, "agreement")).isEqualTo(1);
        assertThat(changesAfter(db, before, "partner")).isEqualTo(1);
        assertThat(partners.client("tunewave").orElseThrow().secretHash()).startsWith("$2y$");
        partners.setStatus(tunewave.partner().id(), PartnerStatus.ACTIVE);
    }
}
