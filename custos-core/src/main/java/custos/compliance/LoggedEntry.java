package custos.compliance;

import custos.audit.AccessEvent;
import custos.policy.Outcome;
import java.time.Instant;

/** One entry of the audit log as compliance reads it: its index, plain columns, and the opened event (null once erased). */
public record LoggedEntry(long index, Instant at, long partnerId, Outcome outcome, AccessEvent event) {}
