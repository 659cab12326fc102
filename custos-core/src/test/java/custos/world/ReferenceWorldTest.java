package custos.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.consent.Consent;
import custos.consent.ConsentState;
import custos.partner.Agreement;
import custos.partner.ClientSecrets;
import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.Purpose;
import custos.people.Friendship;
import custos.people.PrivacySettings;
import custos.data.DataCategory;
import custos.data.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReferenceWorldTest {
    private static final int PEOPLE = 2_000;
    private static final List<PartnerEntry> partners = new ArrayList<>();
    private static final List<PartnerClient> clients = new ArrayList<>();
    private static final List<PrivacySettings> settings = new ArrayList<>();
    private static final List<Consent> consents = new ArrayList<>();
    private static final Map<Long, Integer> degree = new HashMap<>();
    private static long people;
    private static long messages;

    @BeforeAll
    static void generate() {
        List<Agreement> agreements = new ArrayList<>();
        List<custos.partner.Partner> ps = new ArrayList<>();
        new ReferenceWorld(new WorldSpec(PEOPLE, 42)).generate(new WorldSink() {
            @Override public void partner(custos.partner.Partner p) { ps.add(p); }
            @Override public void client(PartnerClient c) { clients.add(c); }
            @Override public void agreement(Agreement a) { agreements.add(a); }
            @Override public void person(custos.people.Person p) { people++; }
            @Override public void friendship(Friendship f) {
                degree.merge(f.personA(), 1, Integer::sum);
                degree.merge(f.personB(), 1, Integer::sum);
            }
            @Override public void message(custos.people.Message m) { messages++; }
            @Override public void settings(PrivacySettings s) { settings.add(s); }
            @Override public void consent(Consent c) { consents.add(c); }
        });
        for (custos.partner.Partner p : ps) {
            partners.add(new PartnerEntry(p, agreements.stream().filter(a -> a.partnerId() == p.id()).toList()));
        }
    }

    private static String digest(long people, long seed) {
        WorldDigest d = new WorldDigest();
        new ReferenceWorld(new WorldSpec(people, seed)).generate(d);
        return d.hex();
    }

    @Test
    void the_same_seed_gives_the_same_world_and_another_seed_a_different_one() {
        String first = digest(500, 7);
        assertThat(digest(500, 7)).isEqualTo(first);
        assertThat(digest(500, 8)).isNotEqualTo(first);
        assertThat(digest(501, 7)).isNotEqualTo(first);
    }

    @Test
    void has_over_150_partners_of_every_kind_with_the_six_archetypes_first() {
        assertThat(partners).hasSizeGreaterThanOrEqualTo(156);
        assertThat(partners.stream().map(e -> e.partner().kind()).collect(Collectors.toSet()))
                .containsAll(EnumSet.allOf(PartnerKind.class));
        for (Archetype a : Archetype.values()) {
            assertThat(partners.get((int) a.partnerId() - 1).partner().slug()).isEqualTo(a.slug());
        }
        assertThat(partners.stream().map(e -> e.partner().slug()).distinct()).hasSize(partners.size());
    }

    @Test
    void the_music_service_and_the_bank_ask_to_read_write_and_delete_messages() {
        Set<Scope> rwd = Set.of(Scope.parse("messages:read"), Scope.parse("messages:write"), Scope.parse("messages:delete"));
        for (Archetype a : List.of(Archetype.TUNEWAVE, Archetype.NORTHMERE)) {
            assertThat(scopesOf(a)).containsAll(rwd);
        }
    }

    @Test
    void the_video_services_recommend_purpose_was_retired_in_2015_on_a_2013_agreement_never_ended() {
        Agreement a = partners.get(2).agreements().get(0);
        assertThat(a.validFrom()).isEqualTo(Instant.parse("2013-03-01T00:00:00Z"));
        assertThat(a.validUntil()).isNull();
        Purpose recommend = a.purpose("recommend-to-friends").orElseThrow();
        assertThat(recommend.retiredAt()).isEqualTo(Instant.parse("2015-07-01T00:00:00Z"));
        assertThat(recommend.scopes()).contains(Scope.parse("messages:write"));
        assertThat(a.purpose("sign-in").orElseThrow().retiredAt()).isNull();
    }

    @Test
    void the_phone_maker_retailer_and_search_engine_want_what_the_articles_say() {
        assertThat(scopesOf(Archetype.ORBITEL)).contains(Scope.parse("contacts:read"), Scope.parse("calendar:read"));
        assertThat(scopesOf(Archetype.CARTWELL)).contains(Scope.parse("profile:read"), Scope.parse("profile.contact:read"));
        assertThat(scopesOf(Archetype.SEEKFAR)).contains(Scope.parse("profile:read"), Scope.parse("friends:read"));
        assertThat(partners.get(5).agreements().get(0).purposes().get(0).friendsData()).isTrue();
    }

    @Test
    void agreements_start_in_2010_and_some_expired_and_some_outlive_retired_purposes() {
        List<Agreement> all = partners.stream().flatMap(e -> e.agreements().stream()).toList();
        assertThat(all).allSatisfy(a -> assertThat(a.validFrom()).isAfterOrEqualTo(Instant.parse("2010-01-01T00:00:00Z")));
        assertThat(all).anySatisfy(a -> assertThat(a.validUntil()).isBefore(ReferenceWorld.AS_OF));
        long outliving = all.stream().filter(a -> a.inForceAt(ReferenceWorld.AS_OF)
                && a.purposes().stream().anyMatch(p -> p.retiredAt(ReferenceWorld.AS_OF))).count();
        assertThat(outliving).isGreaterThanOrEqualTo(5);
    }

    @Test
    void client_secrets_are_stored_hashed_and_the_printed_secret_verifies() {
        PartnerClient tunewave = clients.get(0);
        assertThat(tunewave.clientId()).isEqualTo("tunewave");
        String secret = ReferenceWorld.clientSecret(42, "tunewave");
        assertThat(tunewave.secretHash()).doesNotContain(secret).startsWith("$2y$");
        assertThat(ClientSecrets.verifies(secret, tunewave.secretHash())).isTrue();
        assertThat(ClientSecrets.verifies(secret + "x", tunewave.secretHash())).isFalse();
    }

    @Test
    void friend_counts_are_heavy_tailed() {
        assertThat(people).isEqualTo(PEOPLE);
        List<Integer> counts = degree.values().stream().sorted().toList();
        double mean = counts.stream().mapToInt(i -> i).average().orElseThrow();
        int median = counts.get(counts.size() / 2);
        int max = counts.get(counts.size() - 1);
        assertThat(mean).isGreaterThan(median);
        assertThat(max).isGreaterThan(5 * median);
        assertThat(messages).isGreaterThan(PEOPLE);
    }

    @Test
    void many_people_switched_partner_sharing_off_for_some_categories() {
        Map<Long, PrivacySettings> first = settings.stream().filter(s -> s.version() == 1)
                .collect(Collectors.toMap(PrivacySettings::personId, s -> s));
        assertThat(first).hasSize(PEOPLE);
        long someOff = first.values().stream().filter(s -> EnumSet.allOf(DataCategory.class).stream()
                .anyMatch(c -> !s.of(c).partnersMayReach())).count();
        long allDefault = first.values().stream().filter(s -> EnumSet.allOf(DataCategory.class).stream()
                .allMatch(c -> s.of(c).equals(PrivacySettings.DEFAULT))).count();
        assertThat(share(someOff)).isBetween(0.28, 0.40);
        assertThat(share(allDefault)).isBetween(0.45, 0.55);
        assertThat(share(settings.size() - PEOPLE)).isBetween(0.15, 0.25);
    }

    @Test
    void consents_include_live_expired_and_withdrawn_ones_and_respect_purposes() {
        assertThat(consents).anySatisfy(c -> assertThat(c.liveAt(ReferenceWorld.AS_OF.minusSeconds(86_400))).isTrue());
        assertThat(consents).anySatisfy(c -> assertThat(c.history()).extracting(h -> h.state()).contains(ConsentState.EXPIRED));
        assertThat(consents).anySatisfy(c -> assertThat(c.withdrawnAt()).isNotNull());
        assertThat(consents.stream().filter(c -> c.personId() == ReferenceWorld.DEMO_PERSON).map(Consent::partnerId))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        for (Consent c : consents) {
            assertThat(c.version()).isEqualTo(c.history().size());
            Set<Scope> allowed = partners.get((int) c.partnerId() - 1).agreements().stream()
                    .flatMap(a -> a.purposes().stream()).filter(p -> c.purposes().contains(p.code()))
                    .flatMap(p -> p.scopes().stream()).collect(Collectors.toSet());
            assertThat(allowed).containsAll(c.scopes());
        }
    }

    @Test
    void a_world_without_people_is_refused_with_a_clear_message() {
        assertThatThrownBy(() -> new WorldSpec(-5, 1)).hasMessage("--people must be at least 1, got -5");
        assertThatThrownBy(() -> new WorldSpec(0, 1)).hasMessageContaining("at least 1");
    }

    private static double share(long n) {
        return (double) n / PEOPLE;
    }

    private static Set<Scope> scopesOf(Archetype a) {
        return partners.get((int) a.partnerId() - 1).agreements().stream().flatMap(ag -> ag.purposes().stream())
                .flatMap(p -> p.scopes().stream()).collect(Collectors.toSet());
    }
}
