package custos.compliance;

/** Told how far a long run is: {@code done} of {@code total} entries. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> { };

    void advanced(long done, long total);
}
