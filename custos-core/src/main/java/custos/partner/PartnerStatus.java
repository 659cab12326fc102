package custos.partner;

/**
 * Whether a partner may be served at all. Only ACTIVE partners can ever be allowed; DORMANT is a lapse for disuse
 * (no person used it for 90 days), which the partner is told apart from a suspension.
 */
public enum PartnerStatus { ACTIVE, SUSPENDED, RETIRED, DORMANT }
