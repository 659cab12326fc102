package custos.compliance;

import custos.audit.AccessEvent;
import custos.policy.CoSubjects;
import custos.data.DataCategory;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Outcome;
import custos.policy.Reason;
import custos.data.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replays every allowed entry of a period against the agreement, consent and settings versions in force at its time
 * and counts those the engine would now deny: a settings-violating allow. The count must be zero.
 *
 * <p>Each entry is decided again by the real engine on a view of the whole history (settings versions, consent and
 * agreement validity, purpose retirement, recertification suspension are all kept with their instants), at the
 * entry's own instant. What the view does not keep as history is not held against a past entry: the partner's
 * status (a suspension or lapse today says nothing of last year), the rate limiter, and, where the consent changed
 * after the entry (withdrawn or narrowed: its version grew, and the store keeps only its latest scopes), the consent's
 * scope and friends'-data checks. The people whose data
 * rode on the entry (co-subjects) are decided again too, on the same rule the API cut them by. An entry whose event
 * was erased cannot be replayed and is counted apart.
 */
public final class AllowReplay {
    private static final Set<Reason> NOT_HISTORIC = EnumSet.of(Reason.PARTNER_SUSPENDED, Reason.PARTNER_DORMANT,
            Reason.RATE_LIMITED);
    private static final Set<Reason> CONSENT_SCOPE = EnumSet.of(Reason.SCOPE_NOT_CONSENTED,
            Reason.FRIENDS_DATA_NOT_CONSENTED);
    /** How many violating entries a result names by index. */
    public static final int SAMPLE = 100;

    /** One allowed entry the engine would deny at its own time, and why. */
    public record Violation(long index, java.time.Instant at, long partnerId, List<String> reasons) {}

    /**
     * The outcome: allowed entries replayed, those that could not be (erased), those replayed on a consent changed
     * since, the number of violations with up to {@link #SAMPLE} of them, and how long the replay took.
     */
    public record Result(LogRange range, long replayed, long unreadable, long onChangedConsent, long violations,
                         List<Violation> sample, Duration took) {}

    private final EntryLog log;

    public AllowReplay(EntryLog log) {
        this.log = log;
    }

    /** {@code engine} must be over the store's whole history, with an unlimited rate limiter. */
    public Result replay(LogRange range, DecisionEngine engine, Progress progress) {
        long started = System.nanoTime();
        long total = log.count(range);
        long[] n = new long[5]; // seen, replayed, unreadable, on a changed consent, violations
        List<Violation> sample = new ArrayList<>();
        log.forEach(range, entry -> {
            n[0]++;
            if (n[0] % 1000 == 0) {
                progress.advanced(n[0], total);
            }
            if (entry.outcome() != Outcome.ALLOW) {
                return;
            }
            AccessEvent e = entry.event();
            if (e == null) {
                n[2]++;
                return;
            }
            n[1]++;
            Set<String> why = new TreeSet<>();
            boolean changed = check(engine, e, why);
            if (changed) {
                n[3]++;
            }
            if (!why.isEmpty()) {
                n[4]++;
                if (sample.size() < SAMPLE) {
                    sample.add(new Violation(entry.index(), entry.at(), entry.partnerId(), List.copyOf(why)));
                }
            }
        });
        progress.advanced(total, total);
        return new Result(range, n[1], n[2], n[3], n[4], sample, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Adds to {@code why} every reason the entry would be denied for now; true when its consent changed since. */
    private static boolean check(DecisionEngine engine, AccessEvent e, Set<String> why) {
        Scope scope = Scope.parse(e.scope());
        DecisionRequest request = new DecisionRequest(e.partnerId(), e.clientId(), e.purpose(), e.actor(), e.subject(),
                scope, e.at(), null);
        Decision again = engine.decide(request);
        boolean changed = e.basis().consentId() == again.basis().consentId()
                && again.basis().consentVersion() > e.basis().consentVersion();
        for (Reason r : again.reasons()) {
            if (!NOT_HISTORIC.contains(r) && !(changed && CONSENT_SCOPE.contains(r))) {
                why.add(r.name());
            }
        }
        if (again.basis().actorSettingsVersion() != e.basis().actorSettingsVersion()
                || again.basis().subjectSettingsVersion() != e.basis().subjectSettingsVersion()) {
            why.add("DECIDED_ON_A_SETTINGS_VERSION_NOT_IN_FORCE");
        }
        if (!e.coSubjects().isEmpty()) {
            long[] people = e.coSubjects().stream().mapToLong(Long::longValue).toArray();
            if (scope.category() == DataCategory.FRIENDS) {
                if (engine.filterFriends(request, people).length != people.length) {
                    why.add(Reason.FRIEND_SETTINGS_FORBID.name());
                }
            } else {
                CoSubjects cut = engine.coSubjects(request, people);
                for (Reason r : cut.withheldReasons()) {
                    if (!(changed && CONSENT_SCOPE.contains(r))) {
                        why.add(r.name());
                    }
                }
            }
        }
        return changed;
    }
}
