package custos.consent;

/** How a consent was obtained (ISO/IEC TS 27560 "method"). */
public enum ConsentMethod { CONSENT_SCREEN, IMPORTED_LEGACY, RENEWAL }
