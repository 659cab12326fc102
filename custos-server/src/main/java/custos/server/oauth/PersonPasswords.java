package custos.server.oauth;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * People's passwords, the demo's {@link PersonAuthenticator} (the account sign-in and the consent screen's login),
 * stored as bcrypt hashes (Bouncy Castle's OpenBSD format).
 * Client secrets are machine-made and use the store's PBKDF2 format ({@code custos.partner.ClientSecrets}); a human
 * password needs bcrypt's deliberate slowness.
 */
public final class PersonPasswords implements PersonAuthenticator {

    private final Jdbi jdbi;
    private final Clock clock;
    // Checked when the login is unknown, so both paths take one bcrypt's time and do not reveal who has an account.
    private final String decoy;

    PersonPasswords(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.decoy = PasswordHashes.hash("not a password of anyone");
    }

    /** Sets (or replaces) a person's login name and password. */
    public void set(long personId, String login, String password) {
        if (login == null || login.isBlank()) {
            throw new IllegalArgumentException("login must not be blank");
        }
        if (password == null || password.length() < 8 || password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new IllegalArgumentException("a password has 8 to 72 bytes");
        }
        String hash = PasswordHashes.hash(password);
        jdbi.useHandle(h -> h.createUpdate("insert into person_credentials (person_id, login, password_hash, changed_at)"
                        + " values (:p, :login, :hash, :at) on conflict (person_id) do update set login = excluded.login,"
                        + " password_hash = excluded.password_hash, changed_at = excluded.changed_at")
                .bind("p", personId).bind("login", login.strip()).bind("hash", hash)
                .bind("at", Timestamp.from(clock.instant())).execute());
    }

    @Override
    public Optional<Long> verify(String login, String password) {
        if (login == null || password == null || password.getBytes(StandardCharsets.UTF_8).length > 72
                || login.length() > 254 || login.chars().anyMatch(Character::isISOControl)) {
            // No login holds control characters (PostgreSQL refuses a NUL in text): no account, same bcrypt time.
            PasswordHashes.matches(decoy, password == null ? "" : password);
            return Optional.empty();
        }
        record Row(long personId, String hash) {}
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery(
                        "select person_id, password_hash from person_credentials where login = :login")
                .bind("login", login.strip()).map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2))).findOne());
        boolean ok = PasswordHashes.matches(row.map(Row::hash).orElse(decoy), password);
        return row.isPresent() && ok ? Optional.of(row.get().personId()) : Optional.empty();
    }

}
