package custos.audit.inputs;

import static org.assertj.core.api.Assertions.assertThat;

import custos.audit.AccessEvent;
import custos.audit.InputCitations;
import custos.data.DataCategory;
import custos.policy.CoSubjects;
import net.jqwik.api.statistics.Statistics;
import custos.audit.EventCodec;
import custos.partner.PartnerEntry;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.world.load.PolicyViewLoader;
import custos.world.load.RequestMix;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

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
}
