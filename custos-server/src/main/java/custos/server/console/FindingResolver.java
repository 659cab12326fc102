package custos.server.console;

import custos.compliance.Finding;
import custos.compliance.Findings;
import custos.compliance.Progress;
import custos.server.compliance.Compliance;
import custos.server.compliance.JdbcFindingResolutions;
import java.time.Clock;
import java.util.Map;

/**
 * Resolving a finding, the same from the console and from {@code custos findings --resolve}: the finding must be one
 * computed now (over the last 365 days), the note says what was done, and the resolution is an operator action, so it
 * is recorded together with its log entry (actor, before, after) or not at all.
 */
public final class FindingResolver {
    private final Compliance compliance;
    private final OperatorActions actions;
    private final Clock clock;

    public FindingResolver(Compliance compliance, OperatorActions actions, Clock clock) {
        this.compliance = compliance;
        this.actions = actions;
        this.clock = clock;
    }

    /** Resolves finding {@code id} as {@code actor} (an operator); refused with {@link ActionRefused} before anything changes. */
    public OperatorActions.Done resolve(Staff actor, String id, String note) {
        if (actor == null || !actor.mayAct()) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "only an operator may resolve a finding");
        }
        if (note == null || note.isBlank()) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "A resolution needs a note saying what was done about the finding.");
        }
        Findings.Report report = compliance.findings(clock.instant(), UtcDays.lastYear(clock).range(), Findings.DEFAULT_STALE_AFTER,
                Progress.NONE);
        Finding finding = Findings.byId(report, id == null ? "" : id)
                .orElseThrow(() -> new ActionRefused(ActionRefused.Why.NOT_FOUND, "There is no finding " + id + " now."));
        return actions.perform(actor, h -> {
            var resolution = Findings.resolution(finding.id(), actor.login(), note.strip(), clock.instant());
            JdbcFindingResolutions.record(h, resolution);
            long partnerId = h.createQuery("select coalesce((select id from partners where slug = :s), 0)")
                    .bind("s", finding.partner() == null ? "" : finding.partner()).mapTo(Long.class).one();
            return new OperatorActions.Change("finding.resolve", partnerId, finding.id(),
                    Map.of("state", finding.open() ? "open" : "resolved"), Map.of("state", "resolved", "note", resolution.note()),
                    Map.of());
        });
    }
}
