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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The engine's packed hot path against the record-walking engine it replaced ({@link ObjectDecisions}), over random
 * worlds whose instants sit a nanosecond or a second either side of each other, whose consents name purposes beyond
 * the 63 that fit in bits, and whose friendships may be one-sided: every decision must be the same (outcome, reasons,
 * basis, fields), and the fast friend filter must keep exactly the friends that decide() per friend does not deny
 * for the friend's own settings.
 */
class PackedEngineProperties {
    private static final Instant BASE = Instant.parse("2020-01-01T00:00:00Z");
    private static final int PEOPLE = 5;
    /** Purposes registered before the world's own, so that some of the world's fall past the purpose bits. */
    private static final int FILLER_PURPOSES = 62;
    private static final List<String> PURPOSES = List.of("a", "b", "c");
    private static final List<Scope> SCOPES = List.of(Scope.of(DataCategory.MESSAGES, Operation.READ),
            Scope.of(DataCategory.MESSAGES, Operation.WRITE), Scope.of(DataCategory.CONTACTS, Operation.READ),
            Scope.of(DataCategory.FRIENDS, Operation.READ), Scope.of(DataCategory.CALENDAR, Operation.DELETE));

    record World(boolean fillFirst, List<PartnerEntry> partners, List<Consent> consents, List<PrivacySettings> settings,
                 List<long[]> friendships) {

        PolicyView view() {
            PolicyView v = new PolicyView(8);
            if (fillFirst) {
                // A throwaway person whose consent names enough purposes to push the world's past the bits.
                v.putConsent(new Consent(999_999, "filler", 999, 1, IntStream.range(0, FILLER_PURPOSES)
                        .mapToObj(i -> "filler-" + i).collect(java.util.stream.Collectors.toSet()), Set.of(), false,
                        "n1", ConsentMethod.CONSENT_SCREEN, BASE, null, null, 1, List.of()));
            }
            partners.forEach(v::putPartner);
            consents.forEach(v::putConsent);
            settings.forEach(v::putSettings);
            friendships.forEach(f -> {
                if (f[2] == 0) {
                    v.addFriendship(f[0], f[1]);
                } else {
                    // One-sided: only f[0]'s list names f[1], as a replaced whole list can leave it.
                    long[] old = v.friendsOf(f[0]);
                    long[] next = Arrays.copyOf(old, old.length + 1);
                    next[old.length] = f[1];
                    v.putFriends(f[0], Arrays.stream(next).distinct().toArray());
                }
            });
            return v;
        }
    }

    record Case(World world, DecisionRequest request) {}

    @Property(tries = 3000)
    void thePackedEngineDecidesExactlyAsTheRecordWalkingOne(@ForAll("cases") Case c) {
        PolicyView view = c.world().view();
        Decision fast = new DecisionEngine(view, RateLimiter.UNLIMITED).decide(c.request());
        Decision slow = new ObjectDecisions(view, RateLimiter.UNLIMITED).decide(c.request());
        Statistics.label("outcome").collect(fast.outcome(), c.request().friendsData() ? "friend" : "own");
        assertThat(fast.outcome()).isEqualTo(slow.outcome());
        assertThat(fast.reasons()).isEqualTo(slow.reasons()).isEqualTo(EnumSet.copyOf(slow.reasons().isEmpty()
                ? EnumSet.noneOf(Reason.class) : EnumSet.copyOf(slow.reasons())));
        assertThat(fast.reasons().hashCode()).isEqualTo(slow.reasons().hashCode());
        assertThat(fast.reasonCodes()).isEqualTo(slow.reasonCodes());
        assertThat(fast.basis()).isEqualTo(slow.basis());
        assertThat(fast.fields()).isEqualTo(slow.fields());
        assertThat(fast).isEqualTo(slow);
    }

    @Property(tries = 2000)
    void theFriendFilterKeepsExactlyWhomDecidePerFriendDoesNotDenyForTheirSettings(@ForAll("cases") Case c) {
        PolicyView view = c.world().view();
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        DecisionRequest list = c.request();
        // Everyone but the actor: a request about the actor is about their own data, which no friend filter cuts.
        long[] candidates = LongStream.range(0, PEOPLE + 2).filter(p -> p != list.actor()).toArray();
        long[] expected = Arrays.stream(candidates)
                .filter(f -> !engine.decide(list.about(f)).reasons().contains(Reason.FRIEND_SETTINGS_FORBID))
                .toArray();
        assertThat(engine.filterFriends(list, candidates)).containsExactly(expected);
        assertThat(engine.filterFriends(list, candidates))
                .containsExactly(new ObjectDecisions(view, RateLimiter.UNLIMITED).filterFriends(list, candidates));
        assertThat(engine.filterFriends(list)).containsExactly(Arrays.stream(view.friendsOf(list.actor()))
                .filter(f -> !engine.decide(list.about(f)).reasons().contains(Reason.FRIEND_SETTINGS_FORBID))
                .toArray());
    }

    // --- generators ----------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Case> cases() {
        return worlds().flatMap(w -> {
            Arbitrary<DecisionRequest> random = Combinators.combine(Arbitraries.longs().between(1, 3),
                    Arbitraries.of(PURPOSES), Arbitraries.longs().between(0, PEOPLE), Arbitraries.of(SCOPES), instant())
                    .as((partner, purpose, actor, scope, at) -> new DecisionRequest(partner, "c", purpose, actor, actor,
                            scope, at, null));
            Arbitrary<DecisionRequest> base = w.consents().isEmpty() ? random : Arbitraries.frequencyOf(Tuple.of(1, random),
                    Tuple.of(5, Arbitraries.of(w.consents()).flatMap(c -> Combinators.combine(
                            Arbitraries.of(c.purposes()), Arbitraries.of(c.scopes()), Arbitraries.frequencyOf(
                                    Tuple.of(2, Arbitraries.integers().between(0, 3).map(h -> c.givenAt().plusSeconds(h * 3600L))),
                                    Tuple.of(1, near(c.givenAt(), c.validUntil(), c.withdrawnAt())))).as((purpose, scope, at) -> new DecisionRequest(c.partnerId(), "c",
                            purpose, c.personId(), c.personId(), scope, at, null)))));
            return Combinators.combine(base, Arbitraries.longs().between(0, PEOPLE + 1), Arbitraries.integers().between(0, 5),
                    Arbitraries.integers().between(0, 3)).as((r, s, pick, kind) -> {
                // A quarter own data, a quarter anyone at all, half a friend from the world's friendships.
                long[] friends = w.friendships().stream().filter(f -> f[0] == r.actor()).mapToLong(f -> f[1]).toArray();
                long subject = kind == 0 ? r.actor() : kind == 1 || friends.length == 0 ? s : friends[pick % friends.length];
                return new Case(w, r.about(subject));
            });
        }).withoutEdgeCases(); // edge cases are mostly empty worlds here, which only ever deny
    }

    private static Arbitrary<World> worlds() {
        Arbitrary<List<Consent>> consents = Arbitraries.integers().between(1, 10).flatMap(n -> {
            List<Arbitrary<Consent>> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cs.add(Arbitraries.longs().between(1, 4).flatMap(PackedEngineProperties::consent));
            }
            return Combinators.combine(cs).as(x -> x);
        });
        Arbitrary<List<PartnerEntry>> partners = Combinators.combine(partner(1), partner(2), Arbitraries.of(true, true, true, false))
                .as((a, b, both) -> both ? List.of(a, b) : List.of(a));
        return Combinators.combine(Arbitraries.of(true, false), partners, consents, settings(), friendships())
                .as(World::new);
    }

    /** Whole days, and often a nanosecond or a second off one, so (second, nano) comparisons meet every boundary. */
    private static Arbitrary<Instant> instant() {
        return Combinators.combine(Arbitraries.integers().between(0, 8),
                Arbitraries.of(0L, 0L, 1L, -1L, 1_000_000_000L, -1_000_000_000L, 999_999_999L))
                .as((d, nanos) -> BASE.plus(Duration.ofDays(d)).plusNanos(nanos));
    }

    /** An instant at, or a nanosecond or a second either side of, one of the given ones (nulls skipped). */
    private static Arbitrary<Instant> near(Instant... marks) {
        List<Instant> known = Arrays.stream(marks).filter(java.util.Objects::nonNull).toList();
        return Combinators.combine(Arbitraries.of(known), Arbitraries.of(0L, 1L, -1L, 1_000_000_000L, -1_000_000_000L))
                .as(Instant::plusNanos);
    }

    private static Arbitrary<Instant> maybeInstant(int nullWeight) {
        return Arbitraries.frequencyOf(Tuple.of(nullWeight, Arbitraries.just((Instant) null)), Tuple.of(4, instant()));
    }

    private static Arbitrary<Set<Scope>> scopes(int min) {
        return Arbitraries.of(SCOPES).set().ofMinSize(min).ofMaxSize(SCOPES.size());
    }

    private static Arbitrary<Purpose> purpose(long agreementId, String code) {
        return Combinators.combine(scopes(3), Arbitraries.of(true, true, false), maybeInstant(12))
                .as((sc, friends, retired) -> new Purpose(agreementId * 10 + code.charAt(0), agreementId, code,
                        "feature " + code, sc, friends, retired));
    }

    /** Usually every purpose code, now and then one left out, and sometimes a second "a" that must never match. */
    private static Arbitrary<List<Purpose>> purposes(long agreementId) {
        return Combinators.combine(purpose(agreementId, "a"), purpose(agreementId, "b"), purpose(agreementId, "c"),
                purpose(agreementId, "a"), Arbitraries.of(true, true, true, false).list().ofSize(4)).as((a, b, c, again, keep) -> {
            List<Purpose> out = new ArrayList<>();
            List<Purpose> all = List.of(a, b, c, again);
            for (int i = 0; i < all.size(); i++) {
                if (keep.get(i) != (i == 3)) {
                    out.add(all.get(i));
                }
            }
            return out.isEmpty() ? List.of(b) : out;
        });
    }

    private static Arbitrary<Agreement> agreement(long partnerId, int n) {
        long id = partnerId * 10 + n;
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(BASE)), Tuple.of(1, instant())),
                        maybeInstant(8), purposes(id),
                        Arbitraries.integers().between(1, 3))
                .as((from, until, purposes, version) -> new Agreement(id, partnerId, version, from, until,
                        LocalDate.of(2030, 1, 1), Duration.ofDays(365), 1000, purposes));
    }

    private static Arbitrary<PartnerEntry> partner(long id) {
        Arbitrary<PartnerStatus> status = Arbitraries.frequency(Tuple.of(6, PartnerStatus.ACTIVE),
                Tuple.of(1, PartnerStatus.SUSPENDED), Tuple.of(1, PartnerStatus.RETIRED));
        Arbitrary<List<Agreement>> agreements = Combinators.combine(agreement(id, 1), agreement(id, 2),
                Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(3, 1), Tuple.of(3, 2))).as((a, b, n) -> List.of(a, b).subList(0, n));
        return Combinators.combine(Arbitraries.of(PartnerKind.class), status, agreements)
                .as((kind, st, ag) -> new PartnerEntry(new Partner(id, "p" + id, "P" + id, kind, st, BASE), ag));
    }

    private static Arbitrary<Consent> consent(long slot) {
        return Combinators.combine(Arbitraries.longs().between(1, PEOPLE), Arbitraries.longs().between(1, 2),
                Arbitraries.of(PURPOSES).set().ofMinSize(1).ofMaxSize(3), scopes(1), Arbitraries.of(true, true, false),
                instant(), maybeInstant(10), maybeInstant(10)).as((person, partner, ps, sc, friends, given, until, withdrawn) ->
                new Consent(person * 100 + slot, "rec" + slot, person, partner, ps, sc, friends, "n1",
                        ConsentMethod.CONSENT_SCREEN, given, until, withdrawn, (int) slot, List.of()));
    }

    private static Arbitrary<PrivacySettings> settingsVersion(long person, int version) {
        Arbitrary<CategorySetting> one = Combinators.combine(Arbitraries.of(Visibility.ONLY_ME, Visibility.FRIENDS, Visibility.FRIENDS, Visibility.PUBLIC),
                Arbitraries.of(true, true, true, false), Arbitraries.of(true, true, true, false)).as(CategorySetting::new);
        Arbitrary<Map<DataCategory, CategorySetting>> categories = Combinators.combine(
                one.list().ofSize(DataCategory.values().length), Arbitraries.integers().between(0, 63)).as((cats, mask) -> {
            // Some categories left out: the defaults stand in for them.
            Map<DataCategory, CategorySetting> m = new EnumMap<>(DataCategory.class);
            for (int i = 0; i < cats.size(); i++) {
                if ((mask >> i & 1) == 0) {
                    m.put(DataCategory.values()[i], cats.get(i));
                }
            }
            return m;
        });
        return Combinators.combine(instant(), categories).as((from, m) -> new PrivacySettings(person, version, from, m));
    }

    private static Arbitrary<List<PrivacySettings>> settings() {
        List<Arbitrary<List<PrivacySettings>>> perPerson = new ArrayList<>();
        for (long p = 1; p <= PEOPLE; p++) {
            long person = p;
            perPerson.add(Arbitraries.integers().between(0, 3).flatMap(n -> {
                List<Arbitrary<PrivacySettings>> vs = new ArrayList<>();
                for (int v = 1; v <= n; v++) {
                    // Versions may repeat: a later one with the same number replaces the earlier in the view.
                    vs.add(Arbitraries.integers().between(v, v + 1).flatMap(number -> settingsVersion(person, number)));
                }
                return Combinators.combine(vs).as(x -> x);
            }));
        }
        return Combinators.combine(perPerson).as(lists -> lists.stream().flatMap(List::stream).toList());
    }

    private static Arbitrary<List<long[]>> friendships() {
        List<long[]> pairs = new ArrayList<>();
        for (long a = 1; a <= PEOPLE; a++) {
            for (long b = 1; b <= PEOPLE; b++) {
                if (a != b) {
                    pairs.add(new long[] {a, b, 0});
                    pairs.add(new long[] {a, b, 1});
                }
            }
        }
        return Arbitraries.of(pairs).list().ofMaxSize(16);
    }
}
