package custos.consent;

import java.time.Instant;

/** One entry of a consent record's state history. */
public record ConsentStateChange(ConsentState state, Instant at) {}
