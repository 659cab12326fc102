package custos.policy;

import custos.data.Scope;
import custos.data.DataCategory;
import custos.data.Operation;
import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.consent.ConsentMethod;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Invariants 1-4 and 7 over random small worlds: a few partners, agreements, purposes, people, consents, settings
 * versions and friendships on a short timeline, so that allows, every denial and every boundary instant all occur.
 * The oracle below recomputes invariant 1 from the generated records, never through the engine or the view.
 */
class DecisionProperties {
    private static final Instant BASE = Instant.parse("2020-01-01T00:00:00Z");
    private static final List<String> PURPOSES = List.of("a", "b");
    private static final List<Scope> SCOPES = List.of(Scope.of(DataCategory.MESSAGES, Operation.READ),
            Scope.of(DataCategory.CONTACTS, Operation.READ), Scope.of(DataCategory.FRIENDS, Operation.READ));
    private static final int PEOPLE = 4;
    private static final int TRIES = 2000;

    record World(List<PartnerEntry> partners, List<Consent> consents, List<PrivacySettings> settings,
                 List<long[]> friendships) {

        PolicyView view() {
            PolicyView v = new PolicyView(8);
            partners.forEach(v::putPartner);
            consents.forEach(v::putConsent);
            settings.forEach(v::putSettings);
            friendships.forEach(f -> v.addFriendship(f[0], f[1]));
            return v;
        }
    }

    record Case(World world, DecisionRequest request) {}

    // --- the properties -----------------------------------------------------------------------------------------

    @Property(tries = TRIES)
    void anAllowMeansEveryConditionOfInvariantOneHeldAtThatMoment(@ForAll("cases") Case c) {
        Decision d = decide(c.world(), c.request());
        Statistics.label("outcome").collect(d.outcome());
        if (d.allowed()) {
            assertThat(partnerActive(c.world(), c.request())).as("active partner").isTrue();
            assertThat(purposeInForce(c.world(), c.request())).as("agreement in force with purpose and scope").isTrue();
            assertThat(liveConsent(c.world(), c.request())).as("live consent for purpose and scope").isTrue();
            DecisionRequest r = c.request();
            if (!r.friendsData()) {
                assertThat(settingIn(c.world(), r.actor(), r.scope().category(), r.at()).partnersMayReach())
                        .as("the person's settings permit partners").isTrue();
            }
        }
    }

    @Property(tries = TRIES)
    void anAllowOnFriendsDataMeansTheFriendsOwnSettingsPermitIt(@ForAll("friendCases") Case c) {
        Decision d = decide(c.world(), c.request());
        Statistics.label("outcome").collect(d.outcome());
        DecisionRequest r = c.request();
        if (d.allowed()) {
            assertThat(settingIn(c.world(), r.subject(), r.scope().category(), r.at()).permitsFriendsPartners())
                    .as("friend's settings in force permit friends' partners").isTrue();
            assertThat(c.world().friendships().stream().anyMatch(f -> (f[0] == r.actor() && f[1] == r.subject())
                    || (f[1] == r.actor() && f[0] == r.subject()))).as("they are friends").isTrue();
            assertThat(purposeInForce(c.world(), r)).as("purpose includes friends' data").isTrue();
            assertThat(liveConsent(c.world(), r)).as("consent includes friends' data").isTrue();
        }
    }

    @Property(tries = TRIES)
    void noPartnerKindChangesAnOutcome(@ForAll("cases") Case c, @ForAll PartnerKind kind) {
        World swapped = new World(c.world().partners().stream().map(e -> new PartnerEntry(
                new Partner(e.partner().id(), e.partner().slug(), e.partner().name(), kind, e.partner().status(),
                        e.partner().registeredAt()), e.agreements())).toList(),
                c.world().consents(), c.world().settings(), c.world().friendships());
        Decision before = decide(c.world(), c.request());
        Decision after = decide(swapped, c.request());
        assertThat(after.outcome()).isEqualTo(before.outcome());
        assertThat(after.reasons()).isEqualTo(before.reasons());
        assertThat(after.fields()).isEqualTo(before.fields());
    }

    @Property(tries = TRIES)
    void aDenialHasReasonsAndNoFieldsAndAnAllowHasExactlyTheScopeFields(@ForAll("cases") Case c) {
        Decision d = decide(c.world(), c.request());
        assertThat(d.outcome() == Outcome.DENY).isEqualTo(!d.reasons().isEmpty());
        if (d.allowed()) {
            assertThat(d.fields()).isEqualTo(c.request().scope().category().fields());
        } else {
            assertThat(d.fields()).isEmpty();
        }
        assertThat(c.request().scope().category().fields()).containsAll(d.fields());
    }

    @Property(tries = TRIES)
    void noReleasedItemOfAPageCarriesDataOfAPersonWhoseSettingsForbidIt(@ForAll("cases") Case c,
                                                                          @ForAll("pages") long[] page,
                                                                          @ForAll boolean write) {
        DecisionRequest r = c.request();
        if (write) {
            r = new DecisionRequest(r.partnerId(), r.clientId(), r.purpose(), r.actor(), r.subject(),
                    Scope.of(r.scope().category(), Operation.WRITE), r.at(), null);
        }
        DecisionEngine engine = new DecisionEngine(c.world().view(), RateLimiter.UNLIMITED);
        boolean pageAllowed = engine.decide(r).allowed();
        CoSubjects cut = engine.coSubjects(r, page);
        assertThat(cut.size()).isEqualTo(page.length);
        int withheld = 0;
        DataCategory category = r.scope().category();
        for (int i = 0; i < page.length; i++) {
            long p = page[i];
            boolean released = cut.released(i);
            withheld += released ? 0 : 1;
            Statistics.label("item").collect(pageAllowed ? (released ? "released" : "withheld") : "page denied");
            if (p == r.subject()) {
                assertThat(released).as("the subject's own data is the page's decision").isTrue();
                continue;
            }
            boolean settingsPermit = p == r.actor()
                    ? settingIn(c.world(), p, category, r.at()).partnersMayReach()
                    : settingIn(c.world(), p, category, r.at()).permitsFriendsPartners();
            if (!settingsPermit) {
                assertThat(released).as("person %d's settings forbid it", p).isFalse();
                assertThat(cut.reasons(i)).containsAnyOf(Reason.FRIEND_SETTINGS_FORBID, Reason.SETTINGS_FORBID);
            }
            if (released && pageAllowed && p != r.actor() && !write) {
                DecisionRequest about = r.about(p);
                assertThat(purposeInForce(c.world(), about)).as("the purpose covers friends' data").isTrue();
                assertThat(liveConsent(c.world(), about)).as("the consent covers friends' data").isTrue();
            }
        }
        assertThat(cut.withheldCount()).isEqualTo(withheld);
        assertThat(cut.withheldReasons().isEmpty()).isEqualTo(withheld == 0);
    }

    enum Change { WITHDRAW_CONSENT, RETIRE_PURPOSE, END_AGREEMENT, SUSPEND_PARTNER, SETTINGS_OFF }

    @Property(tries = TRIES)
    void aChangeAppliedToTheViewDeniesTheVeryNextDecisionWithItsReason(@ForAll("cases") Case c,
                                                                      @ForAll Change change) {
        PolicyView view = c.world().view();
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        DecisionRequest r = c.request();
        Statistics.label("before").collect(engine.decide(r).outcome());
        Instant at = r.at();
        Set<Reason> expected;
        switch (change) {
            case WITHDRAW_CONSENT -> {
                for (Consent x : view.consentsOf(r.actor())) {
                    if (x.partnerId() == r.partnerId()) {
                        view.putConsent(withdrawn(x, at));
                    }
                }
                expected = Set.of(Reason.CONSENT_REVOKED, Reason.NO_CONSENT);
            }
            case RETIRE_PURPOSE -> {
                PartnerEntry e = view.partner(r.partnerId());
                if (e != null) {
                    view.putPartner(new PartnerEntry(e.partner(), e.agreements().stream()
                            .map(a -> withPurposes(a, a.purposes().stream().map(p -> p.code().equals(r.purpose())
                                    ? new Purpose(p.id(), p.agreementId(), p.code(), p.description(), p.scopes(),
                                    p.friendsData(), p.retiredAt() != null && p.retiredAt().isBefore(at) ? p.retiredAt() : at)
                                    : p).toList())).toList()));
                }
                expected = Set.of(Reason.PURPOSE_RETIRED, Reason.NO_AGREEMENT);
            }
            case END_AGREEMENT -> {
                PartnerEntry e = view.partner(r.partnerId());
                if (e != null) {
                    view.putPartner(new PartnerEntry(e.partner(), e.agreements().stream().map(a -> new Agreement(
                            a.id(), a.partnerId(), a.version() + 1, a.validFrom(),
                            a.validUntil() != null && a.validUntil().isBefore(at) ? a.validUntil() : at,
                            a.nextRecertification(), a.consentLifetime(), a.dailyPeopleVolume(), a.purposes()))
                            .toList()));
                }
                expected = Set.of(Reason.AGREEMENT_EXPIRED, Reason.NO_AGREEMENT);
            }
            case SUSPEND_PARTNER -> {
                PartnerEntry e = view.partner(r.partnerId());
                if (e != null) {
                    Partner p = e.partner();
                    view.putPartner(new PartnerEntry(new Partner(p.id(), p.slug(), p.name(), p.kind(),
                            PartnerStatus.SUSPENDED, p.registeredAt()), e.agreements()));
                }
                expected = Set.of(Reason.PARTNER_SUSPENDED, Reason.NO_AGREEMENT);
            }
            case SETTINGS_OFF -> {
                long owner = r.subject();
                int version = c.world().settings().stream().filter(s -> s.personId() == owner)
                        .mapToInt(PrivacySettings::version).max().orElse(0) + 1;
                view.putSettings(uniform(owner, version, at, false, false));
                expected = Set.of(r.friendsData() ? Reason.FRIEND_SETTINGS_FORBID : Reason.SETTINGS_FORBID);
            }
            default -> throw new AssertionError(change);
        }
        Decision d = engine.decide(r);
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.reasons()).containsAnyElementsOf(expected);
        assertThat(d.fields()).isEmpty();
    }

    // --- the independent oracle ----------------------------------------------------------------------------------

    private static boolean partnerActive(World w, DecisionRequest r) {
        return w.partners().stream().anyMatch(e -> e.partner().id() == r.partnerId()
                && e.partner().status() == PartnerStatus.ACTIVE);
    }

    private static boolean purposeInForce(World w, DecisionRequest r) {
        Instant at = r.at();
        for (PartnerEntry e : w.partners()) {
            if (e.partner().id() != r.partnerId()) {
                continue;
            }
            for (Agreement a : e.agreements()) {
                boolean inForce = !at.isBefore(a.validFrom()) && (a.validUntil() == null || at.isBefore(a.validUntil()));
                for (Purpose p : a.purposes()) {
                    if (inForce && p.code().equals(r.purpose()) && (p.retiredAt() == null || at.isBefore(p.retiredAt()))
                            && p.scopes().contains(r.scope()) && (!r.friendsData() || p.friendsData())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean liveConsent(World w, DecisionRequest r) {
        Instant at = r.at();
        // The last record stored under an id is the one in force (the view replaces by id).
        Map<Long, Consent> byId = new java.util.HashMap<>();
        w.consents().forEach(c -> byId.put(c.id(), c)); // ids carry the person, so this is per person too
        return byId.values().stream().anyMatch(c -> c.personId() == r.actor() && c.partnerId() == r.partnerId()
                && c.purposes().contains(r.purpose()) && c.scopes().contains(r.scope())
                && (!r.friendsData() || c.friendsData()) && !at.isBefore(c.givenAt())
                && (c.validUntil() == null || at.isBefore(c.validUntil()))
                && (c.withdrawnAt() == null || at.isBefore(c.withdrawnAt())));
    }

    private static CategorySetting settingIn(World w, long person, DataCategory category, Instant at) {
        PrivacySettings best = null;
        for (PrivacySettings s : w.settings()) {
            if (s.personId() != person || s.effectiveFrom().isAfter(at)) {
                continue;
            }
            if (best == null || s.effectiveFrom().isAfter(best.effectiveFrom())
                    || (s.effectiveFrom().equals(best.effectiveFrom()) && s.version() >= best.version())) {
                best = s;
            }
        }
        return best == null ? new CategorySetting(Visibility.FRIENDS, true, false) : best.categories()
                .getOrDefault(category, new CategorySetting(Visibility.FRIENDS, true, false));
    }

    // --- generators ----------------------------------------------------------------------------------------------

    private static Instant day(int d) {
        return BASE.plus(Duration.ofDays(d));
    }

    private static Arbitrary<Instant> instant() {
        return Arbitraries.integers().between(0, 12).map(DecisionProperties::day);
    }

    private static Arbitrary<Instant> maybeInstant(int nullFrequency) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(nullFrequency, Arbitraries.just((Instant) null)),
                net.jqwik.api.Tuple.of(10, instant()));
    }

    private static Arbitrary<Set<Scope>> scopes() {
        return Arbitraries.of(SCOPES).set().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<Purpose> purpose(long agreementId) {
        return Combinators.combine(Arbitraries.of(PURPOSES), scopes(), Arbitraries.of(true, false), maybeInstant(60))
                .as((code, sc, friends, retired) -> new Purpose(agreementId * 10 + code.charAt(0), agreementId, code,
                        "feature " + code, sc, friends, retired));
    }

    private static Arbitrary<Agreement> agreement(long partnerId, int n) {
        long id = partnerId * 10 + n;
        return Combinators.combine(Arbitraries.integers().between(0, 4), maybeInstant(40), purpose(id).list().ofMinSize(1).ofMaxSize(2))
                .as((from, until, purposes) -> new Agreement(id, partnerId, 1, day(from), until,
                        LocalDate.of(2030, 1, 1), Duration.ofDays(365), 1000, purposes));
    }

    private static Arbitrary<PartnerEntry> partner(long id) {
        Arbitrary<PartnerStatus> status = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, PartnerStatus.ACTIVE), net.jqwik.api.Tuple.of(1, PartnerStatus.SUSPENDED),
                net.jqwik.api.Tuple.of(1, PartnerStatus.RETIRED));
        Arbitrary<List<Agreement>> agreements = Combinators.combine(agreement(id, 1), agreement(id, 2),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(1, 0), net.jqwik.api.Tuple.of(4, 1), net.jqwik.api.Tuple.of(3, 2))).as((a, b, n) -> List.of(a, b).subList(0, n));
        return Combinators.combine(Arbitraries.of(PartnerKind.class), status, agreements)
                .as((kind, st, ag) -> new PartnerEntry(new Partner(id, "p" + id, "P" + id, kind, st, BASE), ag));
    }

    /** Ids are unique per person-slot; a second record on the same slot is a later state of the same consent. */
    private static Arbitrary<Consent> consent(long slot) {
        Arbitrary<Set<String>> purposes = Arbitraries.of(PURPOSES).set().ofMinSize(1).ofMaxSize(2);
        return Combinators.combine(Arbitraries.longs().between(1, PEOPLE), Arbitraries.longs().between(1, 2),
                purposes, scopes(), Arbitraries.of(true, false), Arbitraries.integers().between(0, 5),
                maybeInstant(40), maybeInstant(60)).as((person, partner, ps, sc, friends, given, until, withdrawn) ->
                new Consent(person * 100 + slot, "rec" + slot, person, partner, ps, sc, friends, "n1",
                        ConsentMethod.CONSENT_SCREEN, day(given), until, withdrawn, 1, List.of()));
    }

    private static PrivacySettings uniform(long person, int version, Instant from, boolean partners, boolean friends) {
        Map<DataCategory, CategorySetting> m = new EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            m.put(c, new CategorySetting(Visibility.FRIENDS, partners, friends));
        }
        return new PrivacySettings(person, version, from, m);
    }

    private static Arbitrary<PrivacySettings> settingsVersion(long person, int version) {
        Arbitrary<CategorySetting> one = Combinators.combine(Arbitraries.frequency(net.jqwik.api.Tuple.of(1, Visibility.ONLY_ME), net.jqwik.api.Tuple.of(3, Visibility.FRIENDS), net.jqwik.api.Tuple.of(2, Visibility.PUBLIC)),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(4, true), net.jqwik.api.Tuple.of(1, false)),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(3, true), net.jqwik.api.Tuple.of(1, false))).as(CategorySetting::new);
        return Combinators.combine(instant(), one.list().ofSize(DataCategory.values().length)).as((from, cats) -> {
            Map<DataCategory, CategorySetting> m = new EnumMap<>(DataCategory.class);
            for (int i = 0; i < cats.size(); i++) {
                m.put(DataCategory.values()[i], cats.get(i));
            }
            return new PrivacySettings(person, version, from, m);
        });
    }

    private static Arbitrary<List<PrivacySettings>> settings() {
        List<Arbitrary<List<PrivacySettings>>> perPerson = new ArrayList<>();
        for (long p = 1; p <= PEOPLE; p++) {
            long person = p;
            perPerson.add(Arbitraries.integers().between(0, 3).flatMap(n -> {
                List<Arbitrary<PrivacySettings>> vs = new ArrayList<>();
                for (int v = 1; v <= n; v++) {
                    vs.add(settingsVersion(person, v));
                }
                return Combinators.combine(vs).as(x -> x);
            }));
        }
        return Combinators.combine(perPerson).as(lists -> lists.stream().flatMap(List::stream).toList());
    }

    private static Arbitrary<List<long[]>> friendships() {
        List<long[]> pairs = new ArrayList<>();
        for (long a = 1; a <= PEOPLE; a++) {
            for (long b = a + 1; b <= PEOPLE; b++) {
                pairs.add(new long[] {a, b});
            }
        }
        return Arbitraries.of(pairs).set().ofMinSize(pairs.size() / 2).ofMaxSize(pairs.size()).map(ArrayList::new);
    }

    private static Arbitrary<World> worlds() {
        Arbitrary<List<Consent>> consents = Arbitraries.integers().between(0, 8).flatMap(n -> {
            List<Arbitrary<Consent>> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // ids repeat now and then: a later record with the same id replaces the earlier one in the view
                cs.add(Arbitraries.longs().between(1, 4).flatMap(DecisionProperties::consent));
            }
            return Combinators.combine(cs).as(x -> x);
        });
        Arbitrary<List<PartnerEntry>> partners = Combinators.combine(partner(1), partner(2),
                Arbitraries.of(true, false)).as((a, b, both) -> both ? List.of(a, b) : List.of(a));
        return Combinators.combine(partners, consents, settings(), friendships()).as(World::new);
    }

    private static Arbitrary<Case> cases(boolean friendsOnly) {
        return worlds().flatMap(w -> {
            Arbitrary<DecisionRequest> random = Combinators.combine(Arbitraries.longs().between(1, 3),
                    Arbitraries.of(PURPOSES), Arbitraries.longs().between(1, PEOPLE), Arbitraries.of(SCOPES))
                    .as((partner, purpose, actor, scope) -> new DecisionRequest(partner, "c", purpose, actor, actor,
                            scope, BASE, null));
            // Half the requests follow a stored consent, so that allows (and their boundaries) are common.
            Arbitrary<DecisionRequest> base = w.consents().isEmpty() ? random : Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(4,
                    Arbitraries.of(w.consents()).flatMap(c -> Combinators.combine(Arbitraries.of(c.purposes()),
                            Arbitraries.of(c.scopes().isEmpty() ? Set.copyOf(SCOPES) : c.scopes()))
                            .as((purpose, scope) -> new DecisionRequest(c.partnerId(), "c", purpose, c.personId(),
                                    c.personId(), scope, BASE, null)))));
            return Combinators.combine(base, Arbitraries.longs().between(1, PEOPLE), Arbitraries.of(true, false),
                    Arbitraries.integers().between(3, 13)).as((r, s, own, d) -> {
                long subject = friendsOnly ? (s == r.actor() ? r.actor() % PEOPLE + 1 : s) : (own ? r.actor() : s);
                return new Case(w, new DecisionRequest(r.partnerId(), "c", r.purpose(), r.actor(), subject, r.scope(),
                        day(d), null));
            });
        });
    }

    @Provide
    Arbitrary<Case> cases() {
        return cases(false);
    }

    /** A page's people: the world's, now and then one the view knows nothing about, repeats allowed. */
    @Provide
    Arbitrary<long[]> pages() {
        return Arbitraries.longs().between(1, PEOPLE + 1).array(long[].class).ofMaxSize(12);
    }

    @Provide
    Arbitrary<Case> friendCases() {
        return cases(true);
    }

    private static Decision decide(World w, DecisionRequest r) {
        return new DecisionEngine(w.view(), RateLimiter.UNLIMITED).decide(r);
    }

    private static Consent withdrawn(Consent c, Instant at) {
        Instant when = c.withdrawnAt() != null && c.withdrawnAt().isBefore(at) ? c.withdrawnAt() : at;
        return new Consent(c.id(), c.recordId(), c.personId(), c.partnerId(), c.purposes(), c.scopes(), c.friendsData(),
                c.noticeVersion(), c.method(), c.givenAt(), c.validUntil(), when, c.version() + 1, c.history());
    }

    private static Agreement withPurposes(Agreement a, List<Purpose> purposes) {
        return new Agreement(a.id(), a.partnerId(), a.version() + 1, a.validFrom(), a.validUntil(),
                a.nextRecertification(), a.consentLifetime(), a.dailyPeopleVolume(), purposes);
    }
}
