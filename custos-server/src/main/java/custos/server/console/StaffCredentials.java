package custos.server.console;

import custos.server.oauth.PasswordHashes;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Changing and revoking staff credentials, each an operator action (an entry of the audit log naming who did it):
 * a staff member changes their own password knowing the current one; an operator sets another member's password or
 * revokes the login, which deletes its bearer credentials and ends its live console sessions at once. Passwords are
 * bcrypt-hashed as at {@link StaffAccounts#add}; the log holds only that a password changed, never a hash.
 */
public final class StaffCredentials {
    private final Jdbi jdbi;
    private final StaffAccounts accounts;
    private final OperatorActions actions;
    private final Clock clock;

    public StaffCredentials(Jdbi jdbi, StaffAccounts accounts, OperatorActions actions, Clock clock) {
        this.jdbi = jdbi;
        this.accounts = accounts;
        this.actions = actions;
        this.clock = clock;
    }

    /** {@code self}'s new password, given the current one; any role may, the other sessions of the login end. */
    public OperatorActions.Done changeOwn(Staff self, String current, String next, byte[] keepSession) {
        if (self == null) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "sign in to change your password");
        }
        if (accounts.verify(self.login(), current == null ? "" : current).filter(id -> id == self.id()).isEmpty()) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "The current password is not right, so nothing was changed.");
        }
        StaffAccounts.checkPassword(next);
        if (next.equals(current)) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "The new password is the current one; choose another.");
        }
        String hash = PasswordHashes.hash(next);
        return actions.act(self, h -> {
            Map<String, String> before = account(h, self.login()).orElseThrow();
            h.createUpdate("update staff_accounts set password_hash = :h where id = :id").bind("h", hash).bind("id", self.id()).execute();
            int ended = endSessions(h, self.id(), keepSession);
            return new OperatorActions.Change("staff.password", 0, "staff:" + self.login(), before,
                    withPasswordChanged(account(h, self.login()).orElseThrow(), ended), Map.of());
        });
    }

    /** An operator sets another member's password (a forgotten one); every session of that login ends. */
    public OperatorActions.Done setPassword(Staff operator, String login, String next) {
        requireOperator(operator);
        StaffAccounts.checkPassword(next);
        String hash = PasswordHashes.hash(next);
        return actions.act(operator, h -> {
            Map<String, String> before = live(h, login);
            long id = Long.parseLong(before.get("id"));
            h.createUpdate("update staff_accounts set password_hash = :h where id = :id").bind("h", hash).bind("id", id).execute();
            int ended = endSessions(h, id, null);
            return new OperatorActions.Change("staff.password-reset", 0, "staff:" + login, before,
                    withPasswordChanged(account(h, login).orElseThrow(), ended), Map.of("sessionsEnded", ended));
        });
    }

    /** Revokes a login: it can no longer sign in, its bearer credentials are deleted and its live sessions end. */
    public OperatorActions.Done revoke(Staff operator, String login) {
        requireOperator(operator);
        if (operator.login().equals(login)) {
            throw new ActionRefused(ActionRefused.Why.CONFLICT, "an operator does not revoke their own login; ask another operator");
        }
        return actions.act(operator, h -> {
            Map<String, String> before = live(h, login);
            long id = Long.parseLong(before.get("id"));
            h.createUpdate("update staff_accounts set revoked_at = :at where id = :id")
                    .bind("at", Timestamp.from(clock.instant())).bind("id", id).execute();
            int tokens = h.createUpdate("delete from staff_tokens where staff_id = :id").bind("id", id).execute();
            int ended = endSessions(h, id, null);
            return new OperatorActions.Change("staff.revoke", 0, "staff:" + login, before, account(h, login).orElseThrow(),
                    Map.of("sessionsEnded", ended, "credentialsDeleted", tokens));
        });
    }

    /** Whether {@code login} exists and is revoked (for the commands' messages). */
    public boolean revoked(String login) {
        return jdbi.withHandle(h -> account(h, login)).map(a -> !a.get("revokedAt").isEmpty()).orElse(false);
    }

    private static Map<String, String> live(Handle h, String login) {
        Map<String, String> account = account(h, login)
                .orElseThrow(() -> new ActionRefused(ActionRefused.Why.NOT_FOUND, "no staff login " + login));
        if (!account.get("revokedAt").isEmpty()) {
            throw new ActionRefused(ActionRefused.Why.CONFLICT, "staff login " + login + " was revoked at " + account.get("revokedAt"));
        }
        return account;
    }

    private static Optional<Map<String, String>> account(Handle h, String login) {
        return h.createQuery("select id, login, role, revoked_at from staff_accounts where login = :l").bind("l", login == null ? "" : login)
                .map((rs, ctx) -> Map.of("id", Long.toString(rs.getLong(1)), "login", rs.getString(2), "role", rs.getString(3),
                        "revokedAt", rs.getTimestamp(4) == null ? "" : rs.getTimestamp(4).toInstant().toString()))
                .findOne();
    }

    private Map<String, String> withPasswordChanged(Map<String, String> account, int sessionsEnded) {
        Map<String, String> after = new java.util.LinkedHashMap<>(account);
        after.put("passwordChangedAt", clock.instant().toString());
        after.put("sessionsEnded", Integer.toString(sessionsEnded));
        return after;
    }

    /** Ends the login's console sessions, except the one whose id hash is {@code keep} (null: none) (the browser that asked). */
    private static int endSessions(Handle h, long staffId, byte[] keep) {
        return h.createUpdate("delete from oauth_sessions where staff_id = :s and (cast(:keep as bytea) is null or id_hash <> cast(:keep as bytea))")
                .bind("s", staffId).bind("keep", keep).execute();
    }

    private static void requireOperator(Staff actor) {
        if (actor == null || !actor.mayAct()) {
            throw new ActionRefused(ActionRefused.Why.INVALID, "only an operator may change another member's credentials");
        }
    }
}
