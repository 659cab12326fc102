package custos.audit.inputs;

import custos.audit.AccessEvent;
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
 * the inputs are applied to an empty {@link PolicyView} in (seq, index) order, and each access entry is decided
 * once the view holds every input up to the sequence it cites. An allow the inputs deny is unjustified; an entry
 * whose person or partner has no input at or before its sequence, or an input whose previous link is not in the
 * set, is a missing input. A deny the inputs would allow is not a finding: rates, token scopes, a revoked token and
 * the daily volume only ever deny, and none of them is a committed input.
 */
public final class Redecision {

    /** An input entry at its log index. */
    public record IndexedInput(long index, DecisionInput input) {}

    /** An access entry at its log index. */
    public record IndexedAccess(long index, AccessEvent event) {}

    /** What the re-decision found, each list in log index order. */
    public record Result(int decided, int allows, int denies, int uncited, int deniesInputsWouldAllow,
                         List<Unjustified> unjustified, List<Missing> missing) {
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
        List<IndexedInput> byOrder = new ArrayList<>(inputs);
        byOrder.sort(Comparator.comparingLong((IndexedInput i) -> i.input().seq()).thenComparingLong(IndexedInput::index));
        List<IndexedAccess> bySeq = new ArrayList<>(accesses);
        bySeq.sort(Comparator.comparingLong((IndexedAccess a) -> a.event().policySeq()).thenComparingLong(IndexedAccess::index));

        List<Missing> missing = new ArrayList<>();
        Set<Long> present = new HashSet<>();
        for (IndexedInput i : inputs) present.add(i.index());
        for (IndexedInput i : inputs) {
            long previous = i.input().previous();
            if (previous >= 0 && !present.contains(previous)) {
                missing.add(new Missing(i.index(), "its previous input entry " + previous + " (" + subject(i.input()) + ")"));
            }
        }
        // The lowest sequence at which each person and partner has an input: an entry citing less has nothing to go on.
        Map<Long, Long> personFrom = new HashMap<>();
        Map<Long, Long> partnerFrom = new HashMap<>();
        for (IndexedInput i : inputs) {
            switch (i.input()) {
                case DecisionInput.PersonInputs p -> personFrom.merge(p.personId(), p.seq(), Math::min);
                case DecisionInput.PartnerInputs p -> partnerFrom.merge(p.entry().partner().id(), p.seq(), Math::min);
            }
        }

        PolicyView view = new PolicyView(Math.max(16, personFrom.size()));
        DecisionEngine engine = new DecisionEngine(view, RateLimiter.UNLIMITED, () -> 0L);
        List<Unjustified> unjustified = new ArrayList<>();
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
            while (next < byOrder.size() && byOrder.get(next).input().seq() <= e.policySeq()) {
                apply(view, byOrder.get(next++).input());
            }
            requireInput(missing, a.index(), "partner " + e.partnerId(), partnerFrom.get(e.partnerId()), e.policySeq());
            if (e.actor() != 0) {
                requireInput(missing, a.index(), "person " + e.actor(), personFrom.get(e.actor()), e.policySeq());
                if (e.subject() != e.actor()) {
                    requireInput(missing, a.index(), "person " + e.subject(), personFrom.get(e.subject()), e.policySeq());
                }
            }
            Decision d = engine.decide(new DecisionRequest(e.partnerId(), e.clientId(), e.purpose(), e.actor(), e.subject(),
                    Scope.parse(e.scope()), e.at(), null));
            if (e.outcome() == Outcome.ALLOW) {
                allows++;
                if (!d.allowed()) {
                    unjustified.add(new Unjustified(a.index(), e.policySeq(), d.reasonCodes()));
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
        return new Result(allows + denies, allows, denies, uncited, wouldAllow, List.copyOf(unjustified), List.copyOf(missing));
    }

    private static void requireInput(List<Missing> missing, long index, String whose, Long from, long seq) {
        if (from == null || from > seq) {
            missing.add(new Missing(index, "the inputs of " + whose + " at or before policy sequence " + seq));
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
