package custos.people;

import java.time.Instant;

/** An undirected friendship, stored with {@code personA < personB}. */
public record Friendship(long personA, long personB, Instant since) {
    public Friendship {
        if (personA == personB) {
            throw new IllegalArgumentException("a person cannot befriend themselves: " + personA);
        }
        if (personA > personB) {
            long t = personA;
            personA = personB;
            personB = t;
        }
    }
}
