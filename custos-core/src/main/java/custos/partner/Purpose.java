package custos.partner;

import custos.data.Scope;
import java.time.Instant;
import java.util.Set;

/**
 * A feature an agreement serves, with the only scopes it may ever ask for. {@code friendsData} says whether
 * it may reach the data of the consenting person's friends. A retired purpose (feature shut down) allows nothing.
 */
public record Purpose(long id, long agreementId, String code, String description, Set<Scope> scopes,
                      boolean friendsData, Instant retiredAt) {
    public Purpose {
        scopes = Set.copyOf(scopes);
    }

    public boolean retiredAt(Instant when) {
        return retiredAt != null && !when.isBefore(retiredAt);
    }
}
