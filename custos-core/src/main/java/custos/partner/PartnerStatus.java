package custos.partner;

/** Whether a partner may be served at all. Only ACTIVE partners can ever be allowed. */
public enum PartnerStatus { ACTIVE, SUSPENDED, RETIRED }
