package custos.audit.inputs;

import custos.audit.AccessEvent;
import custos.audit.InputCitations;
import custos.data.DataCategory;
import custos.policy.CoSubjects;
import custos.policy.Reason;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Outcome;
import custos.policy.PolicyView;
import custos.policy.RateLimiter;
import custos.data.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-decides logged access decisions from committed inputs alone, with the real {@link DecisionEngine} and no store:
 * the inputs are applied to an empty {@link PolicyView} in (seq, index) order, and each access entry is decided once
 * the view holds every input up to the highest sequence it cites. An allow the inputs deny is unjustified, and so is a
 * co-subject it released whom their own inputs withhold (invariant 3). An entry is missing inputs when a subject it
 * cites (version 4: partner, actor, subject, each co-subject) has no input recording the change cited nor a snapshot
 * taken at or after it, so the newest input about a person cannot be left out; an input whose previous link is not
 * in the set is missing one too. A deny the inputs would allow is not a finding: rates, token scopes, a revoked token
 * and the daily volume only ever deny, and none of them is a committed input.
 */
public final class Redecision {

    /** An input entry at its log index. */
    public record IndexedInput(long index, DecisionInput input) {}

    /** An access entry at its log index. */
    public record IndexedAccess(long index, AccessEvent event) {}

    /** What the re-decision found, each list in log index order. */
    public record Result(int decided, int allows, int denies, int uncited, int deniesInputsWouldAllow,
                         List<Unjustified> unjustified, List<Missing> missing, List<Missing> erased) {
        public boolean clean() {
            return unjustified.isEmpty() && missing.isEmpty();
        }
    }

    /** An allow the cited inputs do not justify, with the reasons the engine gives from them. */
    public record Unjustified(long index, long policySeq, List<String> reasons) {}

    /** An entry (access or input) whose inputs are not all in the set: {@code what} says which. */
    public record Missing(long index, String what) {}

    private Redecision() {}

    public static Result run(List<IndexedInput> inputs, List<IndexedAccess> accesses) {
        return run(inputs, accesses, Set.of());
    }

    /**
     * As {@link #run(List, List)}, with the people whose key was erased (their entries are withheld from the bundle):
     * what depends on their inputs cannot be re-checked, and is listed in {@link Result#erased()} rather than as a
     * missing input or an unjustified allow.
     */
    public static Result run(List<IndexedInput> inputs, List<IndexedAccess> accesses, Set<Long> erasedPeople) {
        List<IndexedInput> byOrder = new ArrayList<>(inputs);
        byOrder.sort(Comparator.comparingLong((IndexedInput i) -> i.input().seq()).thenComparingLong(IndexedInput::index));
        List<IndexedAccess> bySeq = new ArrayList<>(accesses);
        bySeq.sort(Comparator.comparingLong((IndexedAccess a) -> decidedAt(a.event())).thenComparingLong(IndexedAccess::index));

        List<Missing> missing = new ArrayList<>();
        Set<Long> present = new HashSet<>();
        for (IndexedInput i : inputs) present.add(i.index());
        for (IndexedInput i : inputs) {
            long previous = i.input().previous();
            if (previous >= 0 && !present.contains(previous)) {
                missing.add(new Missing(i.index(), "its previous input entry " + previous + " (" + subject(i.input()) + ")"));
            }
        }
        Coverage people = new Coverage();
        Coverage partners = new Coverage();
        for (IndexedInput i : inputs) {
            switch (i.input()) {
                case DecisionInput.PersonInputs p -> people.add(p.personId(), p);
                case DecisionInput.PartnerInputs p -> partners.add(p.entry().partner().id(), p);
            }
        }

        PolicyView view = new PolicyView(Math.max(16, people.size()));
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED, () -> 0L);
        List<Unjustified> unjustified = new ArrayList<>();
        List<Missing> erased = new ArrayList<>();
        int next = 0;
        int allows = 0;
        int denies = 0;
        int uncited = 0;
        int wouldAllow = 0;
        for (IndexedAccess a : bySeq) {
            AccessEvent e = a.event();
            if (e.policySeq() == AccessEvent.NO_INPUTS) {
                uncited++;
                missing.add(new Missing(a.index(), "names no committed inputs (written before they were committed)"));
                continue;
            }
            long at = decidedAt(e);
            while (next < byOrder.size() && byOrder.get(next).input().seq() <= at) {
                apply(view, byOrder.get(next++).input());
            }
            requireCited(missing, erased, erasedPeople, a.index(), e, people, partners);
            if (erasedPeople.contains(e.actor()) || erasedPeople.contains(e.subject())) {
                erased.add(new Missing(a.index(), "the inputs of an erased person it was decided on (actor "
                        + e.actor() + ", subject " + e.subject() + "): not re-decided"));
                if (e.outcome() == Outcome.ALLOW) allows++; else denies++;
                continue;
            }
            DecisionRequest request = new DecisionRequest(e.partnerId(), e.clientId(), e.purpose(), e.actor(), e.subject(),
                    Scope.parse(e.scope()), e.at(), null);
            Decision d = engine.decide(request);
            if (e.outcome() == Outcome.ALLOW) {
                allows++;
                if (!d.allowed()) {
                    unjustified.add(new Unjustified(a.index(), at, d.reasonCodes()));
                } else {
                    coSubjectsReleased(engine, request, e, a.index(), at, unjustified, erasedPeople, erased);
                }
            } else {
                denies++;
                if (d.allowed()) {
                    wouldAllow++;
                }
            }
        }
        unjustified.sort(Comparator.comparingLong(Unjustified::index));
        missing.sort(Comparator.comparingLong(Missing::index));
        erased.sort(Comparator.comparingLong(Missing::index));
        return new Result(allows + denies, allows, denies, uncited, wouldAllow, List.copyOf(unjustified), List.copyOf(missing),
                List.copyOf(erased));
    }

    /**
     * The sequence an entry is re-decided at: the highest it cites. An entry citing subject by subject may cite a change
     * above the view's floor (applied out of order); the inputs up to it are applied, which is newer, never older, than
     * what the gateway read.
     */
    static long decidedAt(AccessEvent e) {
        return e.cites() == null ? e.policySeq() : Math.max(e.policySeq(), e.cites().highest());
    }

    /**
     * Every subject the entry cites must be covered by an input in the set: the input recording that very change, or a
     * snapshot taken at or after it. This is what makes the newest input about a person impossible to leave out. An
     * entry of version 3 cites only a sequence: the partner, actor and subject need some input at or before it.
     */
    private static void requireCited(List<Missing> missing, List<Missing> erased, Set<Long> erasedPeople, long index,
                                     AccessEvent e, Coverage people, Coverage partners) {
        InputCitations cites = e.cites();
        if (cites == null) {
            partners.requireFrom(missing, index, "partner", e.partnerId(), e.policySeq());
            if (e.actor() != 0) {
                people.requireFrom(missing, index, "person", e.actor(), e.policySeq());
                if (e.subject() != e.actor()) {
                    people.requireFrom(missing, index, "person", e.subject(), e.policySeq());
                }
            }
            return;
        }
        partners.requireCovered(missing, index, "partner", e.partnerId(), cites.partnerSeq());
        for (InputCitations.Cited c : cites.people()) {
            people.requireCovered(erasedPeople.contains(c.person()) ? erased : missing, index, "person", c.person(), c.seq());
        }
        for (long p : e.coSubjects()) {
            if (p != 0 && cites.seqOf(p) == null) {
                missing.add(new Missing(index, "a citation of the inputs of co-subject " + p));
            }
        }
        for (long p : new long[] {e.actor(), e.subject()}) {
            if (p != 0 && cites.seqOf(p) == null) {
                missing.add(new Missing(index, "a citation of the inputs of person " + p));
            }
        }
    }

    /**
     * The other people an allowed page released (invariant 3), each re-decided on their own inputs as the gateway
     * decides them: a friend list by the friend rule over the subject's friends, anything else by
     * {@link DecisionEngine#coSubjects}. A person released whom the inputs withhold is an unjustified allow.
     */
    private static void coSubjectsReleased(DecisionEngine engine, DecisionRequest request, AccessEvent e, long index, long at,
                                           List<Unjustified> unjustified, Set<Long> erasedPeople, List<Missing> erased) {
        if (e.coSubjects().isEmpty()) {
            return;
        }
        for (long p : e.coSubjects()) {
            if (erasedPeople.contains(p)) {
                erased.add(new Missing(index, "co-subject " + p + " was erased: their release is not re-checked"));
            }
        }
        long[] people = e.coSubjects().stream().filter(p -> !erasedPeople.contains(p)).mapToLong(Long::longValue).toArray();
        if (request.scope().category() == DataCategory.FRIENDS) {
            for (long p : people) {
                if (!engine.view().areFriends(e.subject(), p)) {
                    unjustified.add(new Unjustified(index, at, List.of("co-subject " + p + ": NOT_FRIENDS")));
                } else if (engine.filterFriends(request, new long[] {p}).length == 0) {
                    unjustified.add(new Unjustified(index, at, List.of("co-subject " + p + ": " + Reason.FRIEND_SETTINGS_FORBID)));
                }
            }
            return;
        }
        CoSubjects cut = engine.coSubjects(request, people);
        for (int i = 0; i < people.length; i++) {
            if (!cut.released(i)) {
                long p = people[i];
                List<String> why = cut.reasons(i).stream().map(r -> "co-subject " + p + ": " + r.name()).toList();
                unjustified.add(new Unjustified(index, at, why));
            }
        }
    }

    /** Per person or partner: the sequences of the inputs in the set, and the newest snapshot's. */
    private static final class Coverage {
        private final Map<Long, Set<Long>> changes = new HashMap<>();
        private final Map<Long, Long> snapshot = new HashMap<>();
        private final Map<Long, Long> lowest = new HashMap<>();

        void add(long who, DecisionInput input) {
            if ("snapshot".equals(input.change())) {
                snapshot.merge(who, input.seq(), Math::max);
            } else {
                changes.computeIfAbsent(who, k -> new HashSet<>()).add(input.seq());
            }
            lowest.merge(who, input.seq(), Math::min);
        }

        int size() {
            return lowest.size();
        }

        void requireCovered(List<Missing> missing, long index, String what, long who, long seq) {
            Long snap = snapshot.get(who);
            boolean covered = (snap != null && snap >= seq) || changes.getOrDefault(who, Set.of()).contains(seq);
            if (!covered) {
                missing.add(new Missing(index, "the input of " + what + " " + who + " at policy sequence " + seq
                        + " (the newest the entry cites), or a snapshot of them taken at or after it"));
            }
        }

        void requireFrom(List<Missing> missing, long index, String what, long who, long seq) {
            Long from = lowest.get(who);
            if (from == null || from > seq) {
                missing.add(new Missing(index, "the inputs of " + what + " " + who + " at or before policy sequence " + seq));
            }
        }
    }

    /** Applies one input to the view: whole records, replaced by id (consents), by version (settings) or whole (friends, partners). */
    public static void apply(PolicyView view, DecisionInput input) {
        switch (input) {
            case DecisionInput.PersonInputs p -> {
                p.consents().forEach(view::putConsent);
                p.settings().forEach(view::putSettings);
                if (p.friends() != null) {
                    view.putFriends(p.personId(), p.friends());
                }
            }
            case DecisionInput.PartnerInputs p -> view.putPartner(p.entry());
        }
    }

    private static String subject(DecisionInput input) {
        return switch (input) {
            case DecisionInput.PersonInputs p -> "person " + p.personId();
            case DecisionInput.PartnerInputs p -> "partner " + p.entry().partner().id();
        };
    }
}
