package custos.compliance;

import custos.audit.AccessEvent;
import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.policy.Outcome;
import custos.policy.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes the findings from the store (partners, agreements, purposes, recertification) and the log of a period:
 * one pass over the period's entries, then the rules below. Nothing here changes anything; the sweeps do.
 */
public final class Findings {
    /** Default for "no traffic for N days": an agreement nobody used for half a year is a question to ask. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(180);
    /** Scopes granted but not used for this long are over-broad. */
    public static final Duration UNUSED_AFTER = Duration.ofDays(90);

    /** The findings at an instant, and the replay of allowed entries behind the settings-violating-allows check. */
    public record Report(Instant at, LogRange period, List<Finding> findings, AllowReplay.Result allowReplay) {
        public long open() {
            return findings.stream().filter(Finding::open).count();
        }
    }

    private final EntryLog log;
    private final Recertification recertification;
    private final Dormancy dormancy;
    private final FindingResolutions resolutions;

    public Findings(EntryLog log, Recertification recertification, Dormancy dormancy, FindingResolutions resolutions) {
        this.log = log;
        this.recertification = recertification;
        this.dormancy = dormancy;
        this.resolutions = resolutions;
    }

    /**
     * The findings at {@code now} over the log of {@code period} (its end is normally {@code now}); {@code replay} is
     * the replay of the period's allowed entries, or null to leave that check out.
     */
    public Report compute(List<PartnerEntry> partners, Instant now, LogRange period, Duration staleAfter,
                          AllowReplay.Result replay) {
        Scan scan = new Scan(now);
        log.forEach(period, scan::add);
        Instant logStart = log.firstEntryAt().orElse(null);
        List<Finding> out = new ArrayList<>();
        for (PartnerEntry p : partners) {
            if (p.partner().status() == PartnerStatus.RETIRED) {
                continue;
            }
            String slug = p.partner().slug();
            for (Agreement a : p.agreements()) {
                stale(out, slug, a, now, staleAfter, scan, logStart);
                overBroad(out, slug, a, now, scan, logStart);
            }
            endedTerms(out, p, scan);
        }
        for (Dormancy.Dormant d : dormancy.dormant(partners, now)) {
            out.add(new Finding(FindingKind.DORMANT_PARTNER.code() + ":" + d.partner().partner().slug(),
                    FindingKind.DORMANT_PARTNER, Severity.MEDIUM, d.partner().partner().slug(), 0,
                    d.partner().partner().slug() + " has not been used by any person since " + day(d.unusedSince()),
                    new Evidence(0, d.lastUsed(), d.lastUsed(), List.of(), d.lastUsed() == null
                            ? "no allowed entry in the log (which starts " + day(logStart) + ")"
                            : "last allowed entry " + day(d.lastUsed())),
                    "Its access lapses automatically (PARTNER_DORMANT); reinstate it only if the partner shows a live"
                            + " integration people use.", null));
        }
        for (Recertification.Overdue o : recertification.overdue(partners, now)) {
            Agreement a = o.agreement();
            boolean suspended = a.recertificationSuspendedAt(now);
            String state = suspended ? "suspended since " + day(a.recertificationSuspendedAt())
                    : o.noticedAt() == null ? "not noticed yet" : "noticed " + day(o.noticedAt()) + ", suspended from "
                            + day(o.suspendsAt()) + " unless recertified";
            out.add(new Finding(FindingKind.RECERTIFICATION_OVERDUE.code() + ":agreement-" + a.id(),
                    FindingKind.RECERTIFICATION_OVERDUE, suspended ? Severity.HIGH : Severity.MEDIUM,
                    o.partner().partner().slug(), a.id(), "agreement " + a.id() + " of " + o.partner().partner().slug()
                            + " was due for recertification on " + a.nextRecertification(),
                    Evidence.fact("due " + a.nextRecertification() + ", every " + a.recertifyEveryDays() + " days; "
                            + state),
                    "Review the agreement with the partner and record it: ./custos agreement recertify --agreement "
                            + a.id() + " --by NAME; or end it.", null));
        }
        if (replay != null && replay.violations() > 0) {
            List<Long> idx = replay.sample().stream().map(AllowReplay.Violation::index).limit(Evidence.SAMPLE).toList();
            out.add(new Finding(FindingKind.SETTINGS_VIOLATING_ALLOWS.code() + ":" + day(period.from()) + ":"
                    + day(period.until()), FindingKind.SETTINGS_VIOLATING_ALLOWS, Severity.HIGH, "", 0,
                    replay.violations() + " allowed entries would be denied on the versions in force at their time",
                    new Evidence(replay.violations(), replay.sample().get(0).at(),
                            replay.sample().get(replay.sample().size() - 1).at(), idx,
                            replay.replayed() + " allowed entries replayed in " + replay.took().toMillis() + " ms"),
                    "Treat as an incident: the gateway released data its rules forbid. Open the entries, find the"
                            + " instance and version that decided them, and notify the people concerned.", null));
        }
        Map<String, Resolution> resolved = resolutions.latest();
        List<Finding> withResolutions = out.stream()
                .map(f -> resolved.containsKey(f.id()) ? f.resolved(resolved.get(f.id())) : f)
                .sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::partner).thenComparing(Finding::id))
                .toList();
        return new Report(now, period, withResolutions, replay);
    }

    private static void stale(List<Finding> out, String slug, Agreement a, Instant now, Duration staleAfter, Scan scan,
                              Instant logStart) {
        if (!a.inForceAt(now)) {
            return;
        }
        for (Purpose p : a.purposes()) {
            if (p.retiredAt(now)) {
                out.add(new Finding(FindingKind.STALE_AGREEMENT.code() + ":agreement-" + a.id() + ":purpose-" + p.code(),
                        FindingKind.STALE_AGREEMENT, Severity.MEDIUM, slug, a.id(), "agreement " + a.id() + " of " + slug
                                + " (signed " + day(a.validFrom()) + ") is in force although its purpose " + p.code()
                                + " was retired " + day(p.retiredAt()),
                        Evidence.fact("purpose " + p.code() + " retired " + day(p.retiredAt()) + "; agreement valid from "
                                + day(a.validFrom()) + (a.validUntil() == null ? ", open-ended" : " until "
                                + day(a.validUntil()))),
                        "End the agreement, or re-sign it with only the purposes still served (the engine already"
                                + " denies the retired one: PURPOSE_RETIRED).", null));
            }
        }
        Instant horizon = now.minus(staleAfter);
        if (logStart == null || logStart.isAfter(horizon) || a.validFrom().isAfter(horizon)) {
            return; // the log has not watched it for long enough to say it went unused
        }
        Instant last = scan.lastByAgreement.get(a.id());
        if (last == null || last.isBefore(horizon)) {
            out.add(new Finding(FindingKind.STALE_AGREEMENT.code() + ":agreement-" + a.id() + ":no-traffic",
                    FindingKind.STALE_AGREEMENT, Severity.LOW, slug, a.id(), "agreement " + a.id() + " of " + slug
                            + " saw no traffic for " + staleAfter.toDays() + " days",
                    new Evidence(0, last, last, List.of(), last == null ? "no entry under it in the period read"
                            : "last entry under it " + day(last)),
                    "Ask the partner whether the integration still runs; end the agreement if not.", null));
        }
    }

    private static void overBroad(List<Finding> out, String slug, Agreement a, Instant now, Scan scan, Instant logStart) {
        if (!a.inForceAt(now)) {
            return;
        }
        boolean watched = logStart != null && !logStart.isAfter(now.minus(UNUSED_AFTER))
                && !a.validFrom().isAfter(now.minus(UNUSED_AFTER));
        for (Purpose p : a.purposes()) {
            if (p.retiredAt(now)) {
                continue;
            }
            List<String> outOfLine = ScopeFit.outOfLine(p);
            if (!outOfLine.isEmpty()) {
                boolean deletes = outOfLine.stream().anyMatch(s -> s.endsWith(":delete"));
                Set<String> used = scan.usedScopes.getOrDefault(a.id() + "/" + p.code(), Set.of());
                out.add(new Finding(FindingKind.OVER_BROAD_GRANT.code() + ":agreement-" + a.id() + ":" + p.code()
                        + ":out-of-line", FindingKind.OVER_BROAD_GRANT, deletes ? Severity.HIGH : Severity.MEDIUM, slug,
                        a.id(), slug + "'s purpose " + p.code() + " is granted " + String.join(", ", outOfLine)
                                + ", out of line with its job (\"" + p.description() + "\")",
                        Evidence.fact("granted " + new TreeSet<>(p.scopes().stream().map(Object::toString).toList())
                                + "; out of line " + outOfLine + "; of those used in the last "
                                + UNUSED_AFTER.toDays() + " days: " + outOfLine.stream().filter(used::contains).toList()),
                        "Narrow the purpose to the scopes its job needs (" + String.join(", ", fitting(p))
                                + "), and re-ask people's consent for nothing more.", null));
            }
            if (!watched) {
                continue;
            }
            Set<String> used = scan.usedScopes.getOrDefault(a.id() + "/" + p.code(), Set.of());
            List<String> unused = p.scopes().stream().map(Object::toString).filter(s -> !used.contains(s)).sorted().toList();
            if (!unused.isEmpty()) {
                out.add(new Finding(FindingKind.OVER_BROAD_GRANT.code() + ":agreement-" + a.id() + ":" + p.code()
                        + ":unused", FindingKind.OVER_BROAD_GRANT, Severity.LOW, slug, a.id(), slug + "'s purpose "
                                + p.code() + " holds " + String.join(", ", unused) + " unused for "
                                + UNUSED_AFTER.toDays() + " days",
                        Evidence.fact("no allowed entry with " + unused + " under agreement " + a.id() + " since "
                                + day(now.minus(UNUSED_AFTER))),
                        "Take the unused scopes out of the purpose; a partner that needs them again asks again.", null));
            }
        }
    }

    private static List<String> fitting(Purpose p) {
        return p.scopes().stream().filter(s -> ScopeFit.fits(p.code(), s)).map(Object::toString).sorted().toList();
    }

    private static void endedTerms(List<Finding> out, PartnerEntry p, Scan scan) {
        scan.endedTerms.entrySet().stream()
                .filter(e -> e.getKey().startsWith(p.partner().id() + "/"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    Tally t = e.getValue();
                    String[] key = e.getKey().split("/", 3);
                    out.add(new Finding(FindingKind.ACCESS_UNDER_ENDED_TERMS.code() + ":" + p.partner().slug() + ":"
                            + key[1] + ":" + key[2], FindingKind.ACCESS_UNDER_ENDED_TERMS, Severity.MEDIUM,
                            p.partner().slug(), 0, p.partner().slug() + " attempted " + t.count + " accesses for "
                                    + key[1] + " under " + (key[2].equals(Reason.PURPOSE_RETIRED.name())
                                    ? "a retired purpose" : "an expired agreement"),
                            new Evidence(t.count, t.first, t.last, t.indexes, "all denied " + key[2]),
                            "Every attempt was denied; tell the partner to stop calling for " + key[1]
                                    + ", and suspend it if it goes on.", null));
                });
    }

    private static String day(Instant at) {
        return at == null ? "never" : LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
    }

    private static final class Tally {
        long count;
        Instant first;
        Instant last;
        final List<Long> indexes = new ArrayList<>();

        void add(LoggedEntry e) {
            count++;
            first = first == null ? e.at() : first;
            last = e.at();
            if (indexes.size() < Evidence.SAMPLE) {
                indexes.add(e.index());
            }
        }
    }

    /** What one pass over the period's entries collects for the rules. */
    private static final class Scan {
        final Instant since;
        final Map<Long, Instant> lastByAgreement = new HashMap<>();
        final Map<String, Set<String>> usedScopes = new HashMap<>();
        final Map<String, Tally> endedTerms = new LinkedHashMap<>();

        Scan(Instant now) {
            this.since = now.minus(UNUSED_AFTER);
        }

        void add(LoggedEntry entry) {
            AccessEvent e = entry.event();
            if (e == null) {
                return;
            }
            long agreement = e.basis().agreementId();
            if (agreement != 0) {
                lastByAgreement.merge(agreement, entry.at(), (x, y) -> x.isAfter(y) ? x : y);
            }
            if (entry.outcome() == Outcome.ALLOW && agreement != 0 && !entry.at().isBefore(since)) {
                usedScopes.computeIfAbsent(agreement + "/" + e.purpose(), k -> new HashSet<>()).add(e.scope());
            }
            for (Reason r : List.of(Reason.AGREEMENT_EXPIRED, Reason.PURPOSE_RETIRED)) {
                if (e.reasons().contains(r.name())) {
                    endedTerms.computeIfAbsent(entry.partnerId() + "/" + e.purpose() + "/" + r.name(), k -> new Tally())
                            .add(entry);
                }
            }
        }
    }

    /**
     * Records an operator's resolution of a finding. The console's resolve action calls this inside its own
     * operator action (which writes the audit entry of who did what); a blank actor or note is refused.
     */
    public Resolution resolve(String findingId, String actor, String note, Instant at) {
        Resolution r = resolution(findingId, actor, note, at);
        resolutions.resolve(r);
        return r;
    }

    /** A checked resolution, for a caller that records it in a transaction of its own; a blank actor or note is refused. */
    public static Resolution resolution(String findingId, String actor, String note, Instant at) {
        if (findingId == null || findingId.isBlank() || !findingId.contains(":")) {
            throw new IllegalArgumentException("not a finding id: " + findingId);
        }
        if (actor == null || actor.isBlank() || note == null || note.isBlank()) {
            throw new IllegalArgumentException("a resolution names who resolved the finding and what they did");
        }
        return new Resolution(findingId, at, actor, note);
    }

    /** The finding with this id among {@code report}'s, if any. */
    public static Optional<Finding> byId(Report report, String id) {
        return report.findings().stream().filter(f -> f.id().equals(id)).findFirst();
    }
}
