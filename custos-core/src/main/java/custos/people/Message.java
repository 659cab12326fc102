package custos.people;

import java.time.Instant;

/** One private message in a thread. */
public record Message(long id, long threadId, long senderId, String body, Instant sentAt) {}
