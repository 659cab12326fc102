package custos.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.people.PrivacySettings;
import custos.data.DataCategory;
import custos.data.Scope;
import custos.server.CustosApp;
import custos.server.audit.AccessHistory;
import custos.server.oauth.DemoLogin;
import custos.server.store.Database;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiSettingsStore;
import custos.server.store.Seeder;
import custos.server.store.TestStores;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The people {@code custos demo} prints, on a seeded store: each really has the property its line claims. */
class DemoCastTest {
    static final long SEED = 7;
    static final int PEOPLE = 400;
    static TestStores.Target target;
    static Database db;
    static DemoCast cast;
    static CustosApp app;

    @BeforeAll
    static void seed() {
        target = TestStores.server();
        db = Database.open(target.config());
        Seeder.seed(db, new WorldSpec(PEOPLE, SEED), false);
        cast = DemoCast.choose(db.jdbi(), SEED, Instant.now());
        app = CustosApp.start(db, CustosApp.Options.on("127.0.0.1", 0));
    }

    @AfterAll
    static void drop() {
        app.close();
        target.cleanup().run();
    }

    @Test
    void theSameWorldGivesTheSameCast() {
        assertThat(DemoCast.choose(db.jdbi(), SEED, Instant.now())).isEqualTo(cast);
        assertThat(cast.members()).extracting(m -> m.login().login()).containsExactly(DemoLogin.LOGIN, DemoCast.MANY_FRIENDS,
                DemoCast.KEEPS_PARTNERS_OUT, DemoCast.REACHED_THROUGH_A_FRIEND, DemoCast.THE_FRIEND);
        assertThat(cast.members()).extracting(m -> m.login().personId()).doesNotHaveDuplicates();
        assertThat(cast.members().get(0).login()).isEqualTo(DemoLogin.forWorld(SEED));
        assertThat(cast.members().get(0).login().personId()).isEqualTo(ReferenceWorld.DEMO_PERSON);
    }

    @Test
    void theManyFriendsPersonHasTheMostFriendsOfAnyoneButTheDemoPerson() {
        Map<Long, Integer> friends = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("select person_a, person_b from friendships").map((rs, ctx) -> {
            friends.merge(rs.getLong(1), 1, Integer::sum);
            friends.merge(rs.getLong(2), 1, Integer::sum);
            return null;
        }).list());
        long chosen = cast.member(DemoCast.MANY_FRIENDS).login().personId();
        int most = friends.entrySet().stream().filter(e -> e.getKey() != ReferenceWorld.DEMO_PERSON)
                .mapToInt(Map.Entry::getValue).max().orElseThrow();
        assertThat(friends.get(chosen)).isEqualTo(most).isGreaterThan(friends.values().stream().sorted().toList().get(friends.size() / 2));
        assertThat(cast.member(DemoCast.MANY_FRIENDS).shows()).contains("has " + most + " friends");
    }

    @Test
    void theKeepsPartnersOutPersonsSettingsBlockPartnersFromMoreKindsOfDataThanAnyoneElses() {
        var settings = new JdbiSettingsStore(db.jdbi());
        long chosen = cast.member(DemoCast.KEEPS_PARTNERS_OUT).login().personId();
        long most = 0;
        for (long p = 2; p <= PEOPLE; p++) {
            most = Math.max(most, blocked(settings.current(p)));
        }
        assertThat(blocked(settings.current(chosen))).isEqualTo(most).isGreaterThanOrEqualTo(DataCategory.values().length - 1);
        assertThat(cast.member(DemoCast.KEEPS_PARTNERS_OUT).shows()).contains("messages", "address book", "calendar");
    }

    @Test
    void theFriendReachedPersonConsentedToNothingAndTheirFriendsConsentCoversFriendsDataTheirSettingsOpen() {
        DemoCast.FriendReach r = cast.friendReach().orElseThrow();
        var consents = new JdbiConsentStore(db.jdbi());
        assertThat(consents.forPerson(r.person())).isEmpty();
        assertThat(app.engine().view().friendsOf(r.friend())).contains(r.person());
        long partnerId = db.jdbi().withHandle(h -> h.createQuery("select id from partners where slug = :s")
                .bind("s", r.partnerSlug()).mapTo(Long.class).one());
        Instant now = Instant.now();
        assertThat(consents.forPerson(r.friend())).anySatisfy(c -> {
            assertThat(c.partnerId()).isEqualTo(partnerId);
            assertThat(c.purposes()).contains(r.purpose());
            assertThat(c.friendsData()).isTrue();
            assertThat(c.scopes()).contains(Scope.parse("friends:read"));
            assertThat(live(c, now)).isTrue();
        });
        assertThat(new JdbiSettingsStore(db.jdbi()).current(r.person()).of(DataCategory.FRIENDS).friendsPartnersMayReach()).isTrue();
        assertThat(new JdbiSettingsStore(db.jdbi()).current(r.friend()).of(DataCategory.FRIENDS).partnersMayReach()).isTrue();
        assertThat(cast.member(DemoCast.REACHED_THROUGH_A_FRIEND).login().personId()).isEqualTo(r.person());
        assertThat(cast.member(DemoCast.THE_FRIEND).login().personId()).isEqualTo(r.friend());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theFirstRequestsSignInWithThePrintedLoginsAndFillTheDemoPersonsAndTheFriendReachedPersonsHistories() throws Exception {
        {
            cast.install(app.oauth().passwords());
            for (DemoCast.Member m : cast.members()) {
                assertThat(app.oauth().passwords().verify(m.login().login(), m.login().password())).contains(m.login().personId());
            }
            String base = "http://127.0.0.1:" + app.port();
            List<String> done = new DemoTraffic(base, "http://localhost:8080", SEED).run(cast);
            assertThat(done).hasSize(2);

            DemoCast.FriendReach r = cast.friendReach().orElseThrow();
            long partnerId = db.jdbi().withHandle(h -> h.createQuery("select id from partners where slug = :s")
                    .bind("s", r.partnerSlug()).mapTo(Long.class).one());
            assertThat(new AccessHistory(db.jdbi()).of(r.person(), 50)).anySatisfy(e -> {
                assertThat(e.role()).isEqualTo(AccessHistory.Role.CO_SUBJECT);
                assertThat(e.partnerId()).isEqualTo(partnerId);
                assertThat(e.outcome()).isEqualTo("ALLOW");
            });
            assertThat(new AccessHistory(db.jdbi()).of(ReferenceWorld.DEMO_PERSON, 50))
                    .anySatisfy(e -> assertThat(e.role()).isEqualTo(AccessHistory.Role.SUBJECT));
        }
    }

    private static boolean live(Consent c, Instant now) {
        return c.withdrawnAt() == null && (c.validUntil() == null || c.validUntil().isAfter(now));
    }

    private static long blocked(PrivacySettings s) {
        return Arrays.stream(DataCategory.values()).filter(c -> !s.of(c).partnersMayReach()).count();
    }
}
