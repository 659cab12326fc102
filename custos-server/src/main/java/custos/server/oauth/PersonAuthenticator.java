package custos.server.oauth;

import java.util.Optional;

/**
 * The one seam that answers "who is this person" for both doors people sign in through (the account pages and the
 * OAuth consent screen's login). Here it is a login and password checked against Custos's own bcrypt hashes
 * ({@link PersonPasswords}); in production it would be the platform's own login (e.g. OpenID Connect against the
 * social network's identity provider), so Custos never holds people's passwords at all.
 */
public interface PersonAuthenticator {
    /** The person whose login and password these are, or empty. */
    Optional<Long> verify(String login, String password);
}
