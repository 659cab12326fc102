package custos.world;

/** How big a reference world to generate and from which seed; the same spec always yields the same world. */
public record WorldSpec(long people, long seed) {
    public static final long MAX_PEOPLE = 50_000_000L;

    public WorldSpec {
        if (people < 1) {
            throw new IllegalArgumentException("--people must be at least 1, got " + people);
        }
        if (people > MAX_PEOPLE) {
            throw new IllegalArgumentException("--people must be at most " + MAX_PEOPLE + ", got " + people);
        }
    }
}
