package custos.world;

import custos.consent.Consent;
import custos.consent.ConsentMethod;
import custos.consent.ConsentState;
import custos.consent.ConsentStateChange;
import custos.partner.Agreement;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The consents people gave partners. Popular partners (the archetypes most of all) get most of them; a consent
 * covers one or two of the agreement's purposes that were live when given; some were renewed, about one in ten
 * was withdrawn, and those whose validity ran out before {@link ReferenceWorld#AS_OF} carry an EXPIRED state.
 */
final class ConsentMix {
    private static final int SECTION = 30;
    /** Before the consent screen existed, grants came from the old platform whitelist. */
    private static final Instant CONSENT_SCREEN_SINCE = PartnerCatalog.day("2015-05-01");

    private final long seed;
    private final List<PartnerEntry> partners;
    private final double[] cumulativeWeight;
    private long nextId = 1;

    ConsentMix(long seed, List<PartnerEntry> partners) {
        this.seed = seed;
        this.partners = partners;
        this.cumulativeWeight = new double[partners.size()];
        double total = 0;
        for (int i = 0; i < partners.size(); i++) {
            PartnerEntry p = partners.get(i);
            double w = i < Archetype.values().length ? 40.0 : 30.0 / (i - Archetype.values().length + 3);
            if (p.partner().status() == PartnerStatus.RETIRED) {
                w *= 0.3;
            }
            total += w;
            cumulativeWeight[i] = total;
        }
    }

    void consents(long personId, Instant joined, WorldSink sink) {
        SplittableRandom rng = Seeds.rng(seed, SECTION, personId);
        if (personId == ReferenceWorld.DEMO_PERSON) {
            demoConsents(personId, joined, rng, sink);
            return;
        }
        if (rng.nextDouble() < 0.25) {
            return;
        }
        int count = 1;
        while (rng.nextDouble() < 0.5 && count < 12) {
            count++;
        }
        Set<Integer> chosen = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            chosen.add(pickPartner(rng));
        }
        for (int index : chosen) {
            PartnerEntry entry = partners.get(index);
            Agreement agreement = entry.agreements().get(rng.nextInt(entry.agreements().size()));
            Instant from = later(agreement.validFrom(), joined);
            Instant until = agreement.validUntil() == null || agreement.validUntil().isAfter(ReferenceWorld.AS_OF)
                    ? ReferenceWorld.AS_OF : agreement.validUntil();
            long span = Duration.between(from, until).toMinutes();
            if (span < 60) {
                continue;
            }
            // Skewed to recent years: the later of two uniform draws.
            long offset = Math.max(rng.nextLong(span), rng.nextLong(span));
            Instant given = from.plus(Duration.ofMinutes(offset));
            List<Purpose> live = agreement.purposes().stream().filter(p -> !p.retiredAt(given)).toList();
            if (live.isEmpty()) {
                continue;
            }
            List<Purpose> purposes = new ArrayList<>();
            purposes.add(live.get(rng.nextInt(live.size())));
            if (live.size() > 1 && rng.nextDouble() < 0.4) {
                Purpose other = live.get(rng.nextInt(live.size()));
                if (!purposes.contains(other)) {
                    purposes.add(other);
                }
            }
            sink.consent(consent(personId, entry, agreement, purposes, given, rng, true));
        }
    }

    private void demoConsents(long personId, Instant joined, SplittableRandom rng, WorldSink sink) {
        // The demo person consented to every archetype for all its purposes; all still valid, none withdrawn.
        for (Archetype a : Archetype.values()) {
            PartnerEntry entry = partners.get(a.ordinal());
            Agreement agreement = entry.agreements().get(0);
            Instant given = later(later(agreement.validFrom(), joined), PartnerCatalog.day("2014-01-15"));
            Consent c = consent(personId, entry, agreement, agreement.purposes(), given, rng, false);
            Instant validUntil = ReferenceWorld.AS_OF.plus(Duration.ofDays(730));
            sink.consent(new Consent(c.id(), c.recordId(), c.personId(), c.partnerId(), c.purposes(), c.scopes(),
                    c.friendsData(), c.noticeVersion(), c.method(), c.givenAt(), validUntil, null, 2,
                    List.of(new ConsentStateChange(ConsentState.GIVEN, given),
                            new ConsentStateChange(ConsentState.RENEWED, ReferenceWorld.AS_OF.minus(Duration.ofDays(30))))));
        }
    }

    private Consent consent(long personId, PartnerEntry entry, Agreement agreement, List<Purpose> purposes, Instant given,
                            SplittableRandom rng, boolean mayLapse) {
        List<String> codes = purposes.stream().map(Purpose::code).sorted().toList();
        List<Scope> scopes = purposes.stream().flatMap(p -> p.scopes().stream())
                .sorted(Comparator.comparing(Scope::toString)).distinct().toList();
        boolean friendsData = purposes.stream().anyMatch(Purpose::friendsData) && rng.nextDouble() < 0.8;
        ConsentMethod method = given.isBefore(CONSENT_SCREEN_SINCE) ? ConsentMethod.IMPORTED_LEGACY : ConsentMethod.CONSENT_SCREEN;
        String notice = "notice-" + agreement.id() + "-v" + agreement.version();
        List<ConsentStateChange> history = new ArrayList<>();
        history.add(new ConsentStateChange(ConsentState.GIVEN, given));
        Instant validUntil = given.plus(agreement.consentLifetime());
        Instant withdrawn = null;
        if (mayLapse) {
            int renewals = 0;
            while (validUntil.isBefore(ReferenceWorld.AS_OF) && renewals < 4 && rng.nextDouble() < 0.35) {
                Instant renewedAt = validUntil.minus(Duration.ofDays(7));
                history.add(new ConsentStateChange(ConsentState.RENEWED, renewedAt));
                validUntil = renewedAt.plus(agreement.consentLifetime());
                renewals++;
            }
            if (rng.nextDouble() < 0.10) {
                Instant end = validUntil.isBefore(ReferenceWorld.AS_OF) ? validUntil : ReferenceWorld.AS_OF;
                Instant last = history.get(history.size() - 1).at();
                long span = Duration.between(last, end).toMinutes();
                if (span > 1) {
                    withdrawn = last.plus(Duration.ofMinutes(1 + rng.nextLong(span - 1)));
                    history.add(new ConsentStateChange(ConsentState.WITHDRAWN, withdrawn));
                }
            }
            if (withdrawn == null && validUntil.isBefore(ReferenceWorld.AS_OF)) {
                history.add(new ConsentStateChange(ConsentState.EXPIRED, validUntil));
            }
        }
        UUID recordId = new UUID((rng.nextLong() & ~0xF000L) | 0x4000L, (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        return new Consent(nextId++, recordId.toString(), personId, entry.partner().id(), Set.copyOf(codes), Set.copyOf(scopes),
                friendsData, notice, method, given, validUntil, withdrawn, history.size(), history);
    }

    private int pickPartner(SplittableRandom rng) {
        double u = rng.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
        int lo = 0;
        int hi = cumulativeWeight.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeWeight[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
