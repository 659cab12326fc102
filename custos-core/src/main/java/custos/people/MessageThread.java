package custos.people;

import java.time.Instant;
import java.util.List;

/** A private conversation between two or more people. */
public record MessageThread(long id, String subject, List<Long> participants, Instant startedAt) {
    public MessageThread {
        participants = List.copyOf(participants);
    }
}
