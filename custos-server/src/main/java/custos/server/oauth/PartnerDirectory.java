package custos.server.oauth;

import custos.partner.PartnerClient;
import custos.partner.PartnerEntry;
import custos.partner.PartnerStore;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Finds clients and their partners through the partner store, always fresh: status and agreements change. */
final class PartnerDirectory {
    private final PartnerStore partners;
    private final Jdbi jdbi;

    PartnerDirectory(PartnerStore partners, Jdbi jdbi) {
        this.partners = partners;
        this.jdbi = jdbi;
    }

    /** Empty for an id no client can have (see {@link #plausibleId}), without asking the store. */
    Optional<PartnerClient> client(String clientId) {
        return plausibleId(clientId) ? partners.client(clientId) : Optional.empty();
    }

    /**
     * Client ids are short printable text. Anything else (a NUL, which PostgreSQL refuses in text and which once
     * turned a guessed id into a 500, control characters, kilobytes) is simply no client.
     */
    static boolean plausibleId(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 128) {
            return false;
        }
        return clientId.chars().noneMatch(Character::isISOControl);
    }

    /**
     * Replaces a pre-bcrypt secret hash with a bcrypt one, once its secret has just been presented and checked; a
     * rotation that landed meanwhile (the stored hash is no longer {@code old}) wins.
     */
    void replaceSecretHash(String clientId, String old, String replacement) {
        jdbi.useHandle(h -> h.createUpdate("update partner_clients set secret_hash = :n where client_id = :c and secret_hash = :o")
                .bind("n", replacement).bind("c", clientId).bind("o", old).execute());
    }

    Optional<PartnerEntry> partner(long partnerId) {
        // The store port looks partners up by slug; the slug of an id is one indexed read.
        return jdbi.withHandle(h -> h.createQuery("select slug from partners where id = :id").bind("id", partnerId)
                .mapTo(String.class).findOne()).flatMap(partners::bySlug);
    }
}
