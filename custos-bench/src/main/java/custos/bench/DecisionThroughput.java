package custos.bench;

import custos.policy.DecisionRequest;
import custos.policy.PolicyView;
import custos.world.load.DecisionLoop;
import custos.world.load.PolicyViewLoader;
import custos.world.load.RequestMix;
import custos.world.ReferenceWorld;
import custos.world.WorldSpec;

/**
 * Single-threaded decisions per second over the reference request mix, without JMH: args {@code seconds people}.
 * Also prints heap per person and per consent of the view (used heap after GC, before and after building it).
 * The last line is {@code decisions_per_second=<number>}.
 */
public final class DecisionThroughput {
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        long people = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        PolicyView view = PolicyViewLoader.load(new WorldSpec(people, 1));
        long built = System.nanoTime() - t0;
        long after = usedAfterGc();
        long consents = 0;
        for (long p = 1; p <= people; p++) {
            consents += view.consentsOf(p).length;
        }
        System.out.printf("view_build_seconds=%.1f%n", built / 1e9);
        System.out.printf("view_heap_bytes=%d people=%d consents=%d bytes_per_person=%.0f bytes_per_consent_if_all_heap=%.0f%n",
                after - before, people, consents, (after - before) / (double) people, (after - before) / (double) Math.max(1, consents));
        DecisionRequest[] mix = RequestMix.build(view, people, 1 << 16, ReferenceWorld.AS_OF.minusSeconds(86_400), 7);
        System.out.println("decisions_per_second=" + (long) DecisionLoop.decisionsPerSecond(view, mix, seconds));
    }

    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
