package custos.world.load;

import static org.assertj.core.api.Assertions.assertThat;

import custos.consent.Consent;
import custos.people.Friendship;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.world.ReferenceWorld;
import custos.world.WorldSink;
import custos.world.WorldSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyViewLoaderTest {

    @Test
    void theViewHoldsEveryConsentPartnerAndBothSidesOfEveryFriendshipOfTheWorld() {
        WorldSpec spec = new WorldSpec(500, 3);
        List<Consent> consents = new ArrayList<>();
        List<Friendship> friendships = new ArrayList<>();
        new ReferenceWorld(spec).generate(new WorldSink() {
            @Override public void consent(Consent c) { consents.add(c); }
            @Override public void friendship(Friendship f) { friendships.add(f); }
        });
        PolicyView view = PolicyViewLoader.load(spec);
        assertThat(consents).isNotEmpty().allSatisfy(c -> assertThat(view.consentsOf(c.personId())).contains(c));
        assertThat(friendships).isNotEmpty().allSatisfy(f -> {
            assertThat(view.areFriends(f.personA(), f.personB())).isTrue();
            assertThat(view.areFriends(f.personB(), f.personA())).isTrue();
        });
        long friendEntries = 0;
        for (long p = 1; p <= 500; p++) {
            friendEntries += view.friendsOf(p).length;
        }
        assertThat(friendEntries).isEqualTo(2L * friendships.stream().distinct().count());
        ReferenceWorld.partners(3).forEach(e -> assertThat(view.partner(e.partner().id())).isEqualTo(e));
    }

    @Test
    void theRequestMixHasAllowsAndDenialsAndFriendsData() {
        PolicyView view = PolicyViewLoader.load(new WorldSpec(2000, 1));
        DecisionRequest[] mix = RequestMix.build(view, 2000, 1024, ReferenceWorld.AS_OF.minusSeconds(86_400), 7);
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        int allowed = 0;
        int friends = 0;
        for (DecisionRequest r : mix) {
            Decision d = engine.decide(r);
            allowed += d.allowed() ? 1 : 0;
            friends += r.friendsData() ? 1 : 0;
        }
        assertThat(allowed).isBetween(1, 1023);
        assertThat(friends).isPositive();
    }

    @Test
    void theMeasuredMixDecidesTheAuthorsOfAllowedMessagePages() {
        PolicyView view = PolicyViewLoader.load(new WorldSpec(2000, 1));
        DecisionRequest[] mix = RequestMix.build(view, 2000, 1024, ReferenceWorld.AS_OF.minusSeconds(86_400), 7);
        long[][] pages = MessagePages.of(view, mix, 11);
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        int decidedPages = 0;
        int withheld = 0;
        for (int i = 0; i < mix.length; i++) {
            if (pages[i] != null && engine.decide(mix[i]).allowed()) {
                decidedPages++;
                withheld += engine.coSubjects(mix[i], pages[i]).withheldCount();
            }
        }
        assertThat(decidedPages).as("allowed messages:read pages in the mix").isPositive();
        assertThat(withheld).as("authors withheld on them").isPositive();
        assertThat(MessagePages.of(view, mix, 11)).as("deterministic for a seed").isDeepEqualTo(pages);
    }
}
