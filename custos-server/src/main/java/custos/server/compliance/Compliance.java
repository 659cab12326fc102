package custos.server.compliance;

import custos.compliance.AllowReplay;
import custos.compliance.Dormancy;
import custos.compliance.Findings;
import custos.compliance.LogRange;
import custos.compliance.PeriodReports;
import custos.compliance.Progress;
import custos.compliance.Recertification;
import custos.partner.PartnerEntry;
import custos.policy.DecisionEngine;
import custos.policy.RateLimiter;
import custos.server.policy.ChangeBarrier;
import custos.server.policy.PolicyLoader;
import custos.server.store.JdbiConsentStore;
import custos.server.store.JdbiPartnerStore;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * The compliance services wired on one store: what the commands use, and what the console takes after merging
 * (findings, their resolution, recertification, the sweeps, period reports).
 */
public final class Compliance {
    private final Jdbi jdbi;
    private final JdbcEntryLog log;
    private final Recertification recertification;
    private final Dormancy dormancy;
    private final Findings findings;

    public Compliance(Jdbi jdbi) {
        this.jdbi = jdbi;
        ChangeBarrier barrier = new ChangeBarrier(jdbi, new JdbiPolicyChangeFeed(jdbi));
        this.log = new JdbcEntryLog(jdbi);
        this.recertification = new Recertification(new JdbcRecertificationStore(jdbi, barrier));
        this.dormancy = new Dormancy(log, new JdbcPartnerActivity(jdbi, barrier));
        this.findings = new Findings(log, recertification, dormancy, new JdbcFindingResolutions(jdbi));
    }

    /** What a sweep did: agreements noticed and suspended for recertification, partners lapsed for disuse. */
    public record Swept(int noticed, int suspended, List<String> lapsed) {}

    public List<PartnerEntry> partners() {
        return new JdbiPartnerStore(jdbi).loadAll();
    }

    /** Partner slugs by id (a partner the store no longer has is named by its id). */
    public LongFunction<String> slugs() {
        Map<Long, String> bySlug = partners().stream()
                .collect(Collectors.toMap(p -> p.partner().id(), p -> p.partner().slug()));
        return id -> bySlug.getOrDefault(id, "partner-" + id);
    }

    /** An engine over the store's whole history, with no rate limit: for replaying and assessing, never for serving. */
    public DecisionEngine historyEngine() {
        return new DecisionEngine(new PolicyLoader(jdbi, new JdbiPartnerStore(jdbi), new JdbiConsentStore(jdbi),
                new JdbiSettingsStore(jdbi), new JdbiPolicyChangeFeed(jdbi)).load(), RateLimiter.UNLIMITED);
    }

    public JdbcEntryLog log() {
        return log;
    }

    public Recertification recertification() {
        return recertification;
    }

    public Dormancy dormancy() {
        return dormancy;
    }

    public Findings findings() {
        return findings;
    }

    public PeriodReports reports() {
        return new PeriodReports(log);
    }

    /** Notices and suspends overdue recertifications, lapses dormant partners; each change effective everywhere. */
    public Swept sweep(Instant now) {
        Recertification.Swept r = recertification.sweep(partners(), now);
        List<String> lapsed = dormancy.sweep(partners(), now).stream().map(d -> d.partner().partner().slug()).toList();
        return new Swept(r.noticed(), r.suspended(), lapsed);
    }

    /** The findings at {@code now} over the log of {@code period}, with every allowed entry of it replayed. */
    /**
     * The report of a period, of one partner (its slug) or all (null): the log's counts per partner and the findings
     * as of the period's end. {@link IllegalArgumentException} for an unknown partner.
     */
    public Reported report(LogRange period, String partnerSlug, Progress findingsProgress, Progress reportProgress) {
        LogRange range = period;
        if (partnerSlug != null) {
            long id = partners().stream().filter(p -> p.partner().slug().equals(partnerSlug)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown partner " + partnerSlug)).partner().id();
            range = range.ofPartner(id);
        }
        Findings.Report findings = findings(range.until(), LogRange.period(range.from(), range.until()),
                Findings.DEFAULT_STALE_AFTER, findingsProgress);
        List<custos.compliance.Finding> mine = partnerSlug == null ? findings.findings()
                : findings.findings().stream().filter(f -> f.partner().equals(partnerSlug)).toList();
        return new Reported(reports().build(range, slugs(), mine, reportProgress), findings);
    }

    /** A period's report and the findings computed for it (with the replay of its allowed entries). */
    public record Reported(custos.compliance.PeriodReport report, Findings.Report findings) {}

    public Findings.Report findings(Instant now, LogRange period, Duration staleAfter, Progress progress) {
        AllowReplay.Result replay = new AllowReplay(log).replay(period, historyEngine(), progress);
        return findings.compute(partners(), now, period, staleAfter, replay);
    }
}
