package custos.server.oauth;

import custos.consent.ConsentStore;
import custos.partner.PartnerStore;
import custos.server.http.WebFeature;
import custos.server.pages.Pages;
import custos.server.policy.ChangeBarrier;
import custos.server.policy.ConsentChanges;
import custos.server.store.JdbiPolicyChangeFeed;
import custos.server.store.JdbiSettingsStore;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The OAuth 2.0 authorization server for partner clients, wired in one place: register {@link #features()} with the
 * HTTP server, give {@link #accessTokens()} to the resource endpoints, and set people's logins with
 * {@link #passwords()}.
 */
public final class OAuthServer {
    private final List<WebFeature> features;
    private final AccessTokens accessTokens;
    private final TokenRevocations revocations;
    private final PersonPasswords passwords;
    private final Sessions sessions;
    private final GuardedLogin login;

    private OAuthServer(List<WebFeature> features, AccessTokens accessTokens, TokenRevocations revocations,
                        PersonPasswords passwords, Sessions sessions, GuardedLogin login) {
        this.features = List.copyOf(features);
        this.accessTokens = accessTokens;
        this.revocations = revocations;
        this.passwords = passwords;
        this.sessions = sessions;
        this.login = login;
    }

    /** Builds the server on the store's Jdbi (schema V20 and the partner and consent adapters). */
    public static OAuthServer create(Jdbi jdbi, PartnerStore partners, ConsentStore consents, Pages pages,
                                     OAuthSettings settings, Clock clock) {
        // Without gateway instances on the store the barrier passes at once; the consent screen still withdraws through it.
        return create(jdbi, partners, consents, pages, settings, clock, () -> { },
                new ConsentChanges(consents, new ChangeBarrier(jdbi, new JdbiPolicyChangeFeed(jdbi))));
    }

    /**
     * As above, with {@code awaitEverywhere} run after every consent the screen records and every revocation (RFC 7009,
     * a reused refresh token, a replayed code), so each is effective on every gateway instance before its call answers;
     * {@code consentChanges} withdraws the earlier consent when a person answers Deny on a renewal screen.
     */
    public static OAuthServer create(Jdbi jdbi, PartnerStore partners, ConsentStore consents, Pages pages,
                                     OAuthSettings settings, Clock clock, Runnable awaitEverywhere,
                                     ConsentChanges consentChanges) {
        PartnerDirectory directory = new PartnerDirectory(partners, jdbi);
        TokenStore tokens = new TokenStore(jdbi);
        AccessTokens accessTokens = new AccessTokens(tokens, clock, settings.tokenCacheTtl());
        PersonPasswords passwords = new PersonPasswords(jdbi, clock);
        AuthorizationCodes codes = new AuthorizationCodes(jdbi);
        ClientAuthenticator clients = new ClientAuthenticator(directory, new LoginThrottle(ClientAuthenticator.LIMITS, clock));
        PresentedTokens presented = new PresentedTokens(clients, settings);
        AuthorizationRequests requests = new AuthorizationRequests(directory, clock);
        Sessions sessions = new Sessions(jdbi, clock, settings.sessionTtl(), settings.secureCookies());
        GuardedLogin login = new GuardedLogin(passwords, new LoginThrottle(LoginThrottle.Limits.defaults(), clock));
        ConsentRecorder recorder = new ConsentRecorder(jdbi, consents, awaitEverywhere);
        TokenRevocations revocations = new TokenRevocations(jdbi, tokens, accessTokens, clock, awaitEverywhere);
        return new OAuthServer(List.of(
                new MetadataEndpoint(settings),
                new AuthorizeEndpoint(requests, sessions, login, recorder, new RenewalWithdrawal(consentChanges, revocations),
                        new JdbiSettingsStore(jdbi), codes, pages, settings, clock),
                new TokenEndpoint(jdbi, clients, directory, codes, tokens, revocations, consents, settings, clock),
                new IntrospectionEndpoint(presented, tokens, consents, settings, clock),
                new RevocationEndpoint(presented, revocations)),
                accessTokens, revocations, passwords, sessions, login);
    }

    /** The routes: metadata, authorize, login, consent, token, introspect, revoke. */
    public List<WebFeature> features() {
        return features;
    }

    /** The token check for resource endpoints. */
    public AccessTokens accessTokens() {
        return accessTokens;
    }

    /** Ending tokens, effective on every instance when the call returns. */
    public TokenRevocations revocations() {
        return revocations;
    }

    /** People's logins for the consent screen. */
    public PersonPasswords passwords() {
        return passwords;
    }

    /** People's browser sessions, shared by the consent screen and the account pages. */
    public Sessions sessions() {
        return sessions;
    }

    /** The throttled login check both doors use (the consent screen's login and the account sign-in). */
    public GuardedLogin login() {
        return login;
    }
}
