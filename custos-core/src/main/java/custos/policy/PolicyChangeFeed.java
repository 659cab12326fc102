package custos.policy;

import java.util.Collection;
import java.util.List;

/**
 * The policy change feed gateway instances tail to stay fresh. Sequence numbers are assigned at insert time, so a
 * transaction that commits late can make a lower number appear after a higher one was read: a reader should
 * re-read a short window behind its position (see {@link #after(long, int)}) or reload on {@code world_seeded}.
 */
public interface PolicyChangeFeed {

    /** The highest sequence number written so far, or 0. */
    long latest();

    /** Up to {@code limit} changes with {@code seq > afterSeq}, in sequence order. */
    List<PolicyChange> after(long afterSeq, int limit);

    /** The changes among {@code seqs} that are visible now, in sequence order (a reader looking for late commits). */
    List<PolicyChange> only(Collection<Long> seqs);
}
