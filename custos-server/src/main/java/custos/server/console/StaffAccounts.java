package custos.server.console;

import custos.server.oauth.PasswordHashes;
import custos.server.oauth.PersonAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The console's operators and auditors: logins apart from people's, bcrypt-hashed passwords as people's are, and
 * bearer credentials for scripts (random, kept only as their SHA-256 hash). As a {@link PersonAuthenticator} it answers
 * the staff id, so the console's sign-in goes through the same throttled {@code GuardedLogin} as people's.
 */
public final class StaffAccounts implements PersonAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern LOGIN = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");
    /** How long a script's credential lasts; issuing a new one is one command. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(30);

    private final Jdbi jdbi;
    private final Clock clock;
    private final String decoy;

    public StaffAccounts(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.decoy = PasswordHashes.hash("not a password of anyone on the staff");
    }

    /** Adds an operator or auditor; a taken login, a bad login or a short password is refused and nothing is stored. */
    public Staff add(String login, StaffRole role, String password) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw new ActionRefused(ActionRefused.Why.INVALID,
                    "a staff login is 2 to 63 lower-case letters, digits, '.', '_' or '-', got: " + login);
        }
        checkPassword(password);
        String hash = PasswordHashes.hash(password);
        return jdbi.inTransaction(h -> {
            if (h.createQuery("select count(*) from staff_accounts where login = :l").bind("l", login).mapTo(Integer.class).one() > 0) {
                throw new ActionRefused(ActionRefused.Why.CONFLICT, "staff login " + login + " is taken");
            }
            long id = h.createUpdate("insert into staff_accounts (login, role, password_hash, created_at) values (:l, :r, :h, :at)")
                    .bind("l", login).bind("r", role.name()).bind("h", hash).bind("at", Timestamp.from(clock.instant()))
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            return new Staff(id, login, role);
        });
    }

    /** Sets a new password for an existing login (the demo re-installs its logins at each start). */
    public void setPassword(String login, String password) {
        checkPassword(password);
        int n = jdbi.withHandle(h -> h.createUpdate("update staff_accounts set password_hash = :h where login = :l")
                .bind("h", PasswordHashes.hash(password)).bind("l", login).execute());
        if (n == 0) {
            throw new ActionRefused(ActionRefused.Why.NOT_FOUND, "no staff login " + login);
        }
    }

    /** A login that may sign in (not revoked). */
    public Optional<Staff> byLogin(String login) {
        return jdbi.withHandle(h -> h.createQuery("select id, login, role from staff_accounts where login = :l and revoked_at is null")
                .bind("l", login).map((rs, ctx) -> new Staff(rs.getLong(1), rs.getString(2), StaffRole.valueOf(rs.getString(3))))
                .findOne());
    }

    public Optional<Staff> byId(long id) {
        return jdbi.withHandle(h -> h.createQuery("select id, login, role from staff_accounts where id = :id and revoked_at is null")
                .bind("id", id).map((rs, ctx) -> new Staff(rs.getLong(1), rs.getString(2), StaffRole.valueOf(rs.getString(3))))
                .findOne());
    }

    public List<Staff> all() {
        return jdbi.withHandle(h -> h.createQuery("select id, login, role from staff_accounts order by id")
                .map((rs, ctx) -> new Staff(rs.getLong(1), rs.getString(2), StaffRole.valueOf(rs.getString(3)))).list());
    }

    @Override
    public Optional<Long> verify(String login, String password) {
        if (login == null || password == null || login.length() > 63 || !LOGIN.matcher(login.strip()).matches()
                || password.getBytes(StandardCharsets.UTF_8).length > 72) {
            PasswordHashes.matches(decoy, password == null ? "" : password);
            return Optional.empty();
        }
        record Row(long id, String hash) {}
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("select id, password_hash from staff_accounts where login = :l and revoked_at is null")
                .bind("l", login.strip()).map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2))).findOne());
        boolean ok = PasswordHashes.matches(row.map(Row::hash).orElse(decoy), password);
        return row.isPresent() && ok ? Optional.of(row.get().id()) : Optional.empty();
    }

    /** A new bearer credential for {@code staff}, shown once; only its hash is stored. */
    public String issueToken(Staff staff) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = "cst_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        jdbi.useHandle(h -> h.createUpdate("insert into staff_tokens (token_hash, staff_id, created_at, expires_at)"
                        + " values (:h, :s, :now, :until)")
                .bind("h", sha256(token)).bind("s", staff.id()).bind("now", Timestamp.from(clock.instant()))
                .bind("until", Timestamp.from(clock.instant().plus(TOKEN_LIFETIME))).execute());
        return token;
    }

    /** The staff member a bearer credential belongs to, while it has not expired. */
    public Optional<Staff> byToken(String token) {
        if (token == null || !token.startsWith("cst_") || token.length() > 100) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("""
                        select a.id, a.login, a.role from staff_tokens t join staff_accounts a on a.id = t.staff_id
                        where t.token_hash = :h and t.expires_at > :now and a.revoked_at is null""")
                .bind("h", sha256(token)).bind("now", Timestamp.from(clock.instant()))
                .map((rs, ctx) -> new Staff(rs.getLong(1), rs.getString(2), StaffRole.valueOf(rs.getString(3)))).findOne());
    }

    static void checkPassword(String password) {
        if (password == null || password.length() < 12 || password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "a staff password has 12 to 72 bytes");
        }
    }


    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
