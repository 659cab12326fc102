package custos.server.audit;

import java.lang.management.ManagementFactory;

/** The live heap as the log's soak measures it (issue 13): heap in use after full collections, what is still reachable. */
public final class LiveHeap {
    private LiveHeap() {}

    /** The smallest heap in use over three full collections, 100 ms apart. */
    public static long bytes() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
