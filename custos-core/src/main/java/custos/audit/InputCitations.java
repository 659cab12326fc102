package custos.audit;

import custos.policy.PolicyView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Which committed decision inputs an access was decided on, subject by subject (issue 15): for the partner and for
 * every person the decision read (the actor, the subject, each co-subject released), the policy sequence of the
 * newest change to them the deciding view had applied. An auditor must then be shown that very input (or a snapshot
 * taken at or after it): the newest input about a person cannot be left out of a bundle without the entry naming it.
 * {@link #NONE} ({@code -1}) means no change was ever applied for that subject, so any snapshot of it covers it.
 */
public record InputCitations(long partnerSeq, List<Cited> people) {
    /** The sequence cited for a subject the view has no change for. */
    public static final long NONE = -1;

    /** One person and the policy sequence of the newest change to their inputs the view had applied. */
    public record Cited(long person, long seq) {}

    /** People are kept sorted by id, each once, so equal citations have equal bytes. */
    public InputCitations {
        List<Cited> sorted = new ArrayList<>(people);
        sorted.sort(Comparator.comparingLong(Cited::person));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).person() == sorted.get(i - 1).person()) {
                throw new IllegalArgumentException("person " + sorted.get(i).person() + " cited twice");
            }
        }
        people = List.copyOf(sorted);
    }

    /**
     * What {@code view} has applied for an access by {@code partnerId}: the partner, and every person the decision read
     * (actor and subject, person 0 meaning none) or released data of (the co-subjects).
     */
    public static InputCitations of(PolicyView view, long partnerId, long actor, long subject, List<Long> coSubjects) {
        TreeSet<Long> people = new TreeSet<>(coSubjects);
        people.add(actor);
        people.add(subject);
        people.remove(0L);
        List<Cited> cited = new ArrayList<>(people.size());
        for (long p : people) cited.add(new Cited(p, view.personInputSeq(p)));
        return new InputCitations(view.partnerInputSeq(partnerId), cited);
    }

    /** The sequence cited for {@code person}, or null when the entry does not cite them. */
    public Long seqOf(long person) {
        int lo = 0;
        int hi = people.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long p = people.get(mid).person();
            if (p == person) {
                return people.get(mid).seq();
            }
            if (p < person) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }

    /** The highest sequence cited: the re-decision applies every input up to it. */
    public long highest() {
        long max = partnerSeq;
        for (Cited c : people) max = Math.max(max, c.seq());
        return max;
    }
}
