package custos.compliance;

import custos.partner.PartnerEntry;
import custos.policy.Decision;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Reason;
import custos.data.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides every line of a legacy access log with the real engine, against the world's agreements, consents and
 * settings at the line's time, and says per partner what Custos would have denied and why.
 *
 * <p>A legacy line names no purpose unless the file has one: then every purpose of the partner is tried and the line
 * counts as allowed if any allows it; otherwise its reasons are those of the purpose that came closest (fewest
 * reasons, then the partner's purpose order), so an unrelated purpose does not pad the reasons. A partner slug the
 * world does not know is denied NO_AGREEMENT. The rate limiter is not consulted: a log is not a load. A partner's
 * lapse for disuse (PARTNER_DORMANT) is Custos's own verdict on its traffic through Custos, which a legacy period
 * predates, so it is not held against a legacy line; any other status is today's (the store keeps no history of it).
 */
public final class ExposureAssessment {
    private final DecisionEngine engine;
    private final Map<String, PartnerEntry> partners = new HashMap<>();

    /** {@code engine} decides over the world's whole history with an unlimited rate limiter. */
    public ExposureAssessment(DecisionEngine engine, List<PartnerEntry> partners) {
        this.engine = engine;
        partners.forEach(p -> this.partners.put(p.partner().slug(), p));
    }

    /** Assesses the lines of one log; {@code source} names it in the report. */
    public ExposureReport assess(String source, Iterable<LegacyAccess> lines, Progress progress) {
        Map<String, Acc> byPartner = new TreeMap<>();
        Acc all = new Acc();
        Instant first = null;
        Instant last = null;
        long n = 0;
        for (LegacyAccess line : lines) {
            Decision d = decide(line);
            byPartner.computeIfAbsent(line.partner(), k -> new Acc()).add(line, d);
            all.add(line, d);
            first = first == null || line.at().isBefore(first) ? line.at() : first;
            last = last == null || line.at().isAfter(last) ? line.at() : last;
            if (++n % 1000 == 0) {
                progress.advanced(n, -1);
            }
        }
        List<PartnerExposure> rows = new ArrayList<>();
        byPartner.forEach((slug, acc) -> rows.add(acc.exposure(slug)));
        rows.sort(Comparator.comparingLong(PartnerExposure::wouldDeny).reversed().thenComparing(PartnerExposure::partner));
        return new ExposureReport(source, first, last, rows, all.exposure("all " + rows.size() + " partners"));
    }

    /** The engine's decision on one line (see the class comment for how the purpose is chosen). */
    public Decision decide(LegacyAccess line) {
        PartnerEntry partner = partners.get(line.partner());
        long partnerId = partner == null ? -1 : partner.partner().id();
        Scope scope = Scope.of(line.category(), line.operation());
        Set<String> purposes = new LinkedHashSet<>();
        if (line.purpose() != null) {
            purposes.add(line.purpose());
        } else if (partner != null) {
            partner.agreements().forEach(a -> a.purposes().forEach(p -> purposes.add(p.code())));
        }
        if (purposes.isEmpty()) {
            purposes.add("legacy");
        }
        Decision best = null;
        for (String purpose : purposes) {
            Decision d = withoutLapse(engine.decide(new DecisionRequest(partnerId, "legacy", purpose, line.via(),
                    line.person(), scope, line.at(), null)), scope);
            if (d.allowed()) {
                return d;
            }
            if (best == null || d.reasons().size() < best.reasons().size()) {
                best = d;
            }
        }
        return best;
    }

    private static Decision withoutLapse(Decision d, Scope scope) {
        if (!d.reasons().contains(Reason.PARTNER_DORMANT)) {
            return d;
        }
        java.util.EnumSet<Reason> rest = java.util.EnumSet.copyOf(d.reasons());
        rest.remove(Reason.PARTNER_DORMANT);
        return rest.isEmpty() ? new Decision(custos.policy.Outcome.ALLOW, rest, d.basis(), scope.category().fields())
                : new Decision(custos.policy.Outcome.DENY, rest, d.basis(), List.of());
    }

    /** One partner's (or everyone's) counts as the lines go. */
    private static final class Acc {
        long lines;
        long allow;
        long deny;
        final Map<String, Long> deniedBy = new TreeMap<>();
        final Set<Long> people = new HashSet<>();
        long fields;
        final Map<String, Set<Long>> hadSet = new TreeMap<>();

        void add(LegacyAccess line, Decision d) {
            lines++;
            if (d.allowed()) {
                allow++;
                return;
            }
            deny++;
            d.reasons().forEach(r -> deniedBy.merge(r.name(), 1L, Long::sum));
            people.add(line.person());
            fields += line.fields().size();
            for (Reason r : d.reasons()) {
                String said = said(r, line);
                if (said != null) {
                    hadSet.computeIfAbsent(said, k -> new HashSet<>())
                            .add(r == Reason.FRIEND_SETTINGS_FORBID ? line.person() : line.via());
                }
            }
        }

        /** What a person had set or chosen that the reason stands for, or null for a reason about the partner. */
        private static String said(Reason r, LegacyAccess line) {
            String category = line.category().code();
            return switch (r) {
                case NO_CONSENT -> "had never consented to the partner";
                case CONSENT_REVOKED -> "had withdrawn their consent";
                case CONSENT_EXPIRED -> "had a consent that had run out";
                case SCOPE_NOT_CONSENTED -> "had not consented to " + category;
                case FRIENDS_DATA_NOT_CONSENTED -> "had not consented to their friends' data";
                case SETTINGS_FORBID -> "settings keep partners away from " + category;
                case FRIEND_SETTINGS_FORBID -> "settings keep friends' partners away from " + category;
                default -> null;
            };
        }

        PartnerExposure exposure(String slug) {
            Map<String, Long> counts = new TreeMap<>();
            hadSet.forEach((k, v) -> counts.put(k, (long) v.size()));
            return new PartnerExposure(slug, lines, allow, deny, new TreeMap<>(deniedBy), people.size(), fields,
                    new TreeMap<>(counts));
        }
    }
}
