package custos.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerKind;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.data.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The agreement is the ceiling: what may be asked for is exactly what the live purpose of an active partner lists. */
class PurposeAuthorityProperties {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Property
    void requestPassesExactlyWhenItsScopesLieWithinThePurpose(@ForAll("scopeSets") Set<Scope> allowed,
                                                              @ForAll("scopeSets") Set<Scope> requested) throws OAuthFailure {
        PartnerEntry entry = entry(PartnerStatus.ACTIVE, allowed, null, null);
        boolean within = !requested.isEmpty() && allowed.containsAll(requested);
        if (within) {
            assertThat(check(entry, requested).purpose().scopes()).containsAll(requested);
        } else {
            assertThatThrownBy(() -> check(entry, requested)).isInstanceOf(OAuthFailure.class);
        }
    }

    @Property
    void nothingPassesForAnInactivePartnerARetiredPurposeOrAnEndedAgreement(@ForAll("scopeSets") Set<Scope> scopes) {
        assertThatThrownBy(() -> check(entry(PartnerStatus.SUSPENDED, scopes, null, null), scopes)).isInstanceOf(OAuthFailure.class);
        assertThatThrownBy(() -> check(entry(PartnerStatus.RETIRED, scopes, null, null), scopes)).isInstanceOf(OAuthFailure.class);
        assertThatThrownBy(() -> check(entry(PartnerStatus.ACTIVE, scopes, NOW, null), scopes)).isInstanceOf(OAuthFailure.class);
        assertThatThrownBy(() -> check(entry(PartnerStatus.ACTIVE, scopes, null, NOW), scopes)).isInstanceOf(OAuthFailure.class);
    }

    @Provide
    Arbitrary<Set<Scope>> scopeSets() {
        List<Scope> all = new ArrayList<>();
        for (DataCategory c : DataCategory.values()) {
            for (Operation op : Operation.values()) {
                all.add(Scope.of(c, op));
            }
        }
        return Arbitraries.of(all).set().ofMaxSize(6);
    }

    static PurposeAuthority check(PartnerEntry entry, Set<Scope> requested) throws OAuthFailure {
        return PurposeAuthority.check(entry, "feature", requested, NOW);
    }

    static PartnerEntry entry(PartnerStatus status, Set<Scope> allowed, Instant retiredAt, Instant agreementEnds) {
        Purpose purpose = new Purpose(1, 1, "feature", "A feature", allowed, false, retiredAt);
        Agreement agreement = new Agreement(1, 1, 1, Instant.parse("2012-01-01T00:00:00Z"), agreementEnds, null,
                Duration.ofDays(90), 1000, List.of(purpose));
        return new PartnerEntry(new Partner(1, "p", "P", PartnerKind.APP, status, Instant.parse("2012-01-01T00:00:00Z")),
                List.of(agreement));
    }
}
