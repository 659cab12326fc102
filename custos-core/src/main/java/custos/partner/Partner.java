package custos.partner;

import java.time.Instant;

/** A company integrating with the platform. {@code slug} is its stable handle, e.g. {@code tunewave}. */
public record Partner(long id, String slug, String name, PartnerKind kind, PartnerStatus status, Instant registeredAt) {}
