package custos.audit.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.audit.EventCodec;
import custos.audit.InputCitations;
import custos.consent.Consent;
import custos.data.DataCategory;
import custos.partner.PartnerEntry;
import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.Visibility;
import custos.policy.CoSubjects;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import custos.world.load.PolicyViewLoader;
import custos.world.load.RequestMix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Over generated reference worlds: the inputs committed for a world (every person and partner, through their canonical
 * bytes) re-decide every request exactly as the live engine decided it, and every co-subject it released as the live
 * cut released them, so a clean bundle has no false finding.
 */
class RedecisionProperties {

    @Property(tries = 8)
    void reDecisionFromCommittedInputsEqualsTheLiveDecision(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                                            @ForAll @IntRange(min = 50, max = 400) int people,
                                                            @ForAll @IntRange(min = 0, max = 3_000) int daysBack) {
        PolicyView live = PolicyViewLoader.load(new WorldSpec(people, seed));
        var at = ReferenceWorld.AS_OF.minus(Duration.ofDays(daysBack));
        List<Redecision.IndexedInput> inputs = new ArrayList<>();
        long index = 0;
        for (long id = 1; id <= 100_000; id++) { // the reference world's partner ids are sparse
            PartnerEntry p = live.partner(id);
            if (p != null) {
                inputs.add(new Redecision.IndexedInput(index++, roundTrip(new DecisionInput.PartnerInputs(0, at, "snapshot", -1, p))));
            }
        }
        for (long p = 1; p <= people; p++) {
            inputs.add(new Redecision.IndexedInput(index++, roundTrip(new DecisionInput.PersonInputs(0, at, "snapshot", -1, p,
                    Arrays.asList(live.consentsOf(p)), Arrays.asList(live.settingsOf(p)), live.friendsOf(p)))));
        }
        DecisionEngine engine = new DecisionEngine(live, RateLimiter.UNLIMITED);
        List<Redecision.IndexedAccess> accesses = new ArrayList<>();
        long allows = 0;
        long coReleased = 0;
        for (DecisionRequest r : RequestMix.build(live, people, 2_000, at, seed)) {
            Decision d = engine.decide(r);
            allows += d.allowed() ? 1 : 0;
            // An allowed page releases other people as the gateway does: a friend list by the friend rule, any other
            // page (a thread's participants, say) by the co-subject cut over the subject's friends.
            List<Long> released = new ArrayList<>();
            if (d.allowed()) {
                if (r.scope().category() == DataCategory.FRIENDS) {
                    for (long f : engine.filterFriendsOf(r, r.subject())) released.add(f);
                } else {
                    long[] others = live.friendsOf(r.subject());
                    CoSubjects cut = engine.coSubjects(r, others);
                    for (int i = 0; i < others.length; i++) {
                        if (cut.released(i)) released.add(others[i]);
                    }
                }
                coReleased += released.size();
            }
            AccessEvent e = new AccessEvent(UUID.randomUUID(), r.at(), r.partnerId(), r.clientId(), r.purpose(), r.scope().toString(),
                    r.actor(), r.subject(), released, d.outcome(), d.reasonCodes(), d.basis(), 0, d.fields(), 0,
                    InputCitations.of(live, r.partnerId(), r.actor(), r.subject(), released));
            accesses.add(new Redecision.IndexedAccess(index++, EventCodec.decode(EventCodec.encode(e))));
        }
        Redecision.Result result = Redecision.run(inputs, accesses);
        assertThat(result.unjustified()).isEmpty();
        assertThat(result.missing()).isEmpty();
        assertThat(result.deniesInputsWouldAllow()).as("a deny the inputs would allow").isZero();
        assertThat(result.allows()).isEqualTo(allows);
        Statistics.collect(coReleased > 0 ? "co-subjects released" : "no co-subject released");
    }

    private static DecisionInput roundTrip(DecisionInput in) {
        return InputCodec.decode(InputCodec.encode(in));
    }

    /**
     * Over generated worlds and a random run of changes (consents withdrawn, settings closed), decided and cited as the
     * gateway does: the committed inputs re-decide every entry cleanly, and leaving out any single change input that an
     * entry cites (the newest about a person at the time) is always reported as a missing input of that entry.
     */
    @Property(tries = 8)
    void leavingOutAnyCitedChangeIsCaught(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                          @ForAll @IntRange(min = 40, max = 150) int people,
                                          @ForAll @IntRange(min = 1, max = 25) int changes) {
        PolicyView live = PolicyViewLoader.load(new WorldSpec(people, seed));
        var at = ReferenceWorld.AS_OF;
        List<Redecision.IndexedInput> inputs = new ArrayList<>();
        long index = 0;
        for (long id = 1; id <= 100_000; id++) {
            PartnerEntry p = live.partner(id);
            if (p != null) {
                inputs.add(new Redecision.IndexedInput(index++, new DecisionInput.PartnerInputs(0, at, "snapshot", -1, p)));
            }
        }
        for (long p = 1; p <= people; p++) {
            inputs.add(new Redecision.IndexedInput(index++, new DecisionInput.PersonInputs(0, at, "snapshot", -1, p,
                    Arrays.asList(live.consentsOf(p)), Arrays.asList(live.settingsOf(p)), live.friendsOf(p))));
        }
        DecisionEngine engine = new DecisionEngine(live, RateLimiter.UNLIMITED);
        List<DecisionRequest> mix = Arrays.asList(RequestMix.build(live, people, 1_500, at, seed));
        java.util.Random random = new java.util.Random(seed);
        List<Redecision.IndexedAccess> accesses = new ArrayList<>();
        int perRound = mix.size() / (changes + 1);
        for (int round = 0; round <= changes; round++) {
            long seq = round; // the snapshot is sequence 0; change k is sequence k
            if (round > 0) {
                long person = 1 + random.nextInt(people);
                DecisionInput.PersonInputs change = randomChange(live, person, seq, at, random);
                live.personInputChanged(person, seq); // as the follower: noted, then applied
                Redecision.apply(live, change);
                live.advanceTo(seq);
                inputs.add(new Redecision.IndexedInput(index++, roundTrip(change)));
            }
            for (DecisionRequest r : mix.subList(round * perRound, (round + 1) * perRound)) {
                Decision d = engine.decide(r);
                AccessEvent e = new AccessEvent(UUID.randomUUID(), r.at(), r.partnerId(), r.clientId(), r.purpose(),
                        r.scope().toString(), r.actor(), r.subject(), List.of(), d.outcome(), d.reasonCodes(), d.basis(), 0,
                        d.fields(), live.watermark(), InputCitations.of(live, r.partnerId(), r.actor(), r.subject(), List.of()));
                accesses.add(new Redecision.IndexedAccess(index++, EventCodec.decode(EventCodec.encode(e))));
            }
        }
        assertThat(Redecision.run(inputs, accesses).clean()).isTrue();

        for (Redecision.IndexedInput left : inputs) {
            if (!(left.input() instanceof DecisionInput.PersonInputs p) || p.change().equals("snapshot")) {
                continue;
            }
            List<Long> citing = accesses.stream().filter(a -> {
                Long s = a.event().cites().seqOf(p.personId());
                return s != null && s == p.seq();
            }).map(Redecision.IndexedAccess::index).toList();
            if (citing.isEmpty()) {
                continue;
            }
            List<Redecision.IndexedInput> shown = new ArrayList<>(inputs);
            shown.remove(left);
            assertThat(Redecision.run(shown, accesses).missing()).extracting(Redecision.Missing::index)
                    .as("the entries citing the left-out input %s", p.seq()).containsAll(citing);
            Statistics.collect("a cited change left out");
        }
    }

    /** A consent of the person withdrawn, or their settings closed to every partner, a second before the requests. */
    private static DecisionInput.PersonInputs randomChange(PolicyView live, long person, long seq, java.time.Instant at,
                                                           java.util.Random random) {
        java.time.Instant when = at.minusSeconds(1);
        Consent[] consents = live.consentsOf(person);
        if (consents.length > 0 && random.nextBoolean()) {
            Consent c = consents[random.nextInt(consents.length)];
            Consent withdrawn = new Consent(c.id(), c.recordId(), c.personId(), c.partnerId(), c.purposes(), c.scopes(),
                    c.friendsData(), c.noticeVersion(), c.method(), c.givenAt(), c.validUntil(),
                    c.withdrawnAt() == null ? when : c.withdrawnAt(), c.version() + 1, c.history());
            return new DecisionInput.PersonInputs(seq, when, "consent_withdrawn", -1, person, List.of(withdrawn), List.of(), null);
        }
        int version = 1 + Arrays.stream(live.settingsOf(person)).mapToInt(PrivacySettings::version).max().orElse(0);
        java.util.Map<DataCategory, CategorySetting> closed = new java.util.EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) closed.put(c, new CategorySetting(Visibility.ONLY_ME, false, false));
        return new DecisionInput.PersonInputs(seq, when, "settings", -1, person, List.of(),
                List.of(new PrivacySettings(person, version, when, closed)), null);
    }
}
