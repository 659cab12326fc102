package custos.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The machine's own latency tail: a fixed amount of pure CPU work, no memory traffic and no allocation, sampled
 * like {@code DecisionBench.decideMixLatency}. Whatever tail this shows (timer interrupts, the hypervisor taking
 * the core) is the floor under any sub-microsecond operation measured on the same machine.
 */
@State(Scope.Thread)
public class PlatformJitterBench {
    /** Blackhole CPU tokens; 150 takes about as long as one decision here. */
    @Param("150")
    public long tokens;

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void fixedWork() {
        Blackhole.consumeCPU(tokens);
    }
}
