package custos.compliance;

import java.time.Instant;

/** An operator's resolution of a finding: who, when, and what they did about it. */
public record Resolution(String findingId, Instant at, String actor, String note) {}
