package custos.server.oauth;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import custos.partner.Agreement;
import custos.partner.Partner;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStatus;
import custos.partner.Purpose;
import custos.data.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What lets a partner ask a person for a purpose right now: an active partner, an agreement in force that lists the
 * purpose, the purpose not retired. Requested scopes must lie within what the purpose allows: the agreement is the
 * ceiling of every consent and token.
 */
record PurposeAuthority(Partner partner, Agreement agreement, Purpose purpose) {

    static PurposeAuthority check(PartnerEntry entry, String purposeCode, Set<Scope> requested, Instant now)
            throws OAuthFailure {
        Partner partner = entry.partner();
        if (partner.status() != PartnerStatus.ACTIVE) {
            throw new OAuthFailure(OAuth2Error.ACCESS_DENIED, "partner " + partner.slug() + " is "
                    + partner.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        Optional<Agreement> inForce = entry.agreements().stream()
                .filter(a -> a.inForceAt(now) && a.purpose(purposeCode).isPresent()).findFirst();
        if (inForce.isEmpty()) {
            throw new OAuthFailure(OAuth2Error.INVALID_AUTHORIZATION_DETAILS,
                    "no agreement in force covers purpose " + purposeCode + " for partner " + partner.slug());
        }
        Purpose purpose = inForce.get().purpose(purposeCode).orElseThrow();
        if (purpose.retiredAt(now)) {
            throw new OAuthFailure(OAuth2Error.INVALID_AUTHORIZATION_DETAILS,
                    "purpose " + purposeCode + " was retired on " + purpose.retiredAt());
        }
        if (requested.isEmpty()) {
            throw new OAuthFailure(OAuth2Error.INVALID_SCOPE, "no scopes requested for purpose " + purposeCode);
        }
        Set<String> beyond = new TreeSet<>();
        requested.stream().filter(s -> !purpose.scopes().contains(s)).forEach(s -> beyond.add(s.toString()));
        if (!beyond.isEmpty()) {
            throw new OAuthFailure(OAuth2Error.INVALID_SCOPE, "the agreement does not allow " + String.join(" ", beyond)
                    + " for purpose " + purposeCode);
        }
        return new PurposeAuthority(partner, inForce.get(), purpose);
    }

    /** How long a consent under this agreement lasts (90 days when the agreement does not say). */
    Duration consentLifetime() {
        Duration d = agreement.consentLifetime();
        return d == null || d.isZero() || d.isNegative() ? OAuthSettings.DEFAULT_CONSENT_LIFETIME : d;
    }
}
