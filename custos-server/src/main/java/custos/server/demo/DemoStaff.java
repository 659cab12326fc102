package custos.server.demo;

import custos.server.console.StaffAccounts;
import custos.server.console.StaffRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The demo's console logins: one operator and one auditor, with passwords derived from the world's seed as the
 * people's demo logins are, so every start prints the same ones. Installing them again replaces their passwords.
 */
public record DemoStaff(String login, StaffRole role, String password) {
    public static final String OPERATOR = "operator";
    public static final String AUDITOR = "auditor";

    public static List<DemoStaff> forWorld(long seed) {
        return List.of(new DemoStaff(OPERATOR, StaffRole.OPERATOR, derived(seed, OPERATOR)),
                new DemoStaff(AUDITOR, StaffRole.AUDITOR, derived(seed, AUDITOR)));
    }

    /** Adds the login, or sets its password when it is already there. */
    public void install(StaffAccounts accounts) {
        if (accounts.byLogin(login).isPresent()) {
            accounts.setPassword(login, password);
        } else {
            accounts.add(login, role, password);
        }
    }

    private static String derived(long seed, String login) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("custos demo console login password|" + seed + "|" + login)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "DemoStaff[" + login + ", " + role + "]";
    }
}
