package custos.bench;

import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.data.Operation;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.data.DataCategory;
import custos.world.load.MessagePages;
import custos.world.load.PolicyViewLoader;
import custos.world.load.RequestMix;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The decision engine on the reference world: the request mix (throughput and latency; an allowed
 * {@code messages:read} also decides the authors of its page, as the partner API does) and a 5,000-friend list.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class DecisionBench {
    /** The person given 5,000 friends; above every generated id so the world's own people are unchanged. */
    static final long CROWDED = 900_000_000L;

    @Param("1000000")
    public long people;

    private DecisionEngine engine;
    private DecisionRequest[] mix;
    private long[][] authorPages;
    private DecisionRequest friendList;
    private int next;

    @Setup
    public void build() {
        PolicyView view = PolicyViewLoader.load(new WorldSpec(people, 1));
        mix = RequestMix.build(view, people, 1 << 16, ReferenceWorld.AS_OF.minusSeconds(86_400), 7);
        authorPages = MessagePages.of(view, mix, 11);
        long[] friends = new long[5_000];
        for (int i = 0; i < friends.length; i++) {
            friends[i] = 1 + (i * 197L) % people;
        }
        view.putFriends(CROWDED, friends);
        engine = new DecisionEngine(view, RateLimiter.UNLIMITED);
        DecisionRequest any = mix[0];
        friendList = new DecisionRequest(any.partnerId(), "bench", any.purpose(), CROWDED, CROWDED,
                custos.data.Scope.of(DataCategory.FRIENDS, Operation.READ), any.at(), null);
    }

    @Benchmark
    @BenchmarkMode({Mode.Throughput})
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Decision decideMix() {
        return decideNext();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Decision decideMixLatency() {
        return decideNext();
    }

    /** The next request of the mix and, when it is an allowed page of messages, the cut of its authors. */
    private Decision decideNext() {
        int at = next++ & (mix.length - 1);
        DecisionRequest r = mix[at];
        Decision d = engine.decide(r);
        long[] authors = authorPages[at];
        if (authors != null && d.allowed() && engine.coSubjects(r, authors).withheldCount() < 0) {
            throw new AssertionError(); // never: keeps the cut observable so the JIT cannot drop it
        }
        return d;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long[] filterFiveThousandFriends() {
        return engine.filterFriends(friendList);
    }
}
