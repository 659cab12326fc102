package custos.world.load;

import custos.data.DataCategory;
import custos.policy.DecisionRequest;
import custos.data.Operation;
import custos.policy.PolicyView;
import java.util.SplittableRandom;

/**
 * The authors of a page of messages for each {@code messages:read} request of a mix, so that measuring the engine
 * includes the per-page co-subject check ({@link custos.policy.DecisionEngine#coSubjects}) the partner API runs on
 * every page it releases. A page is {@link #PAGE} authors: about half the person, the rest their friends and now and
 * then someone else in the same thread (a person of another request). Deterministic for a seed; built ahead so a measuring loop allocates nothing.
 */
public final class MessagePages {
    /** Authors per page: a short conversation page. */
    public static final int PAGE = 20;

    private MessagePages() {}

    /** Position by position with {@code mix}: the authors of that request's page, or null for other requests. */
    public static long[][] of(PolicyView view, DecisionRequest[] mix, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[][] pages = new long[mix.length][];
        for (int i = 0; i < mix.length; i++) {
            DecisionRequest r = mix[i];
            if (r.scope().category() != DataCategory.MESSAGES || r.scope().operation() != Operation.READ) {
                continue;
            }
            long[] friends = view.friendsOf(r.subject());
            long[] page = new long[PAGE];
            for (int j = 0; j < PAGE; j++) {
                int pick = rng.nextInt(10);
                page[j] = pick < 5 || friends.length == 0 ? r.subject()
                        : pick < 9 ? friends[rng.nextInt(friends.length)] : mix[rng.nextInt(mix.length)].actor();
            }
            pages[i] = page;
        }
        return pages;
    }
}
