package custos.compliance;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The audit log as compliance reads it: entries of a range in index order, opened; plain counts without opening. */
public interface EntryLog {

    /** How many entries the range holds (for progress). */
    long count(LogRange range);

    /** Every entry of the range, oldest index first, in bounded memory. */
    void forEach(LogRange range, Consumer<LoggedEntry> sink);

    /** When the log's first entry was written: the start of what the log can say about anyone's use. */
    Optional<Instant> firstEntryAt();

    /** Per partner, the time of its latest allowed entry at or before {@code until}. */
    Map<Long, Instant> lastAllowed(Instant until);
}
