package custos.server.oauth;

import custos.consent.ConsentStore;
import custos.partner.PartnerStore;
import custos.server.http.WebFeature;
import custos.server.pages.Pages;
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
    private final PersonPasswords passwords;

    private OAuthServer(List<WebFeature> features, AccessTokens accessTokens, PersonPasswords passwords) {
        this.features = List.copyOf(features);
        this.accessTokens = accessTokens;
        this.passwords = passwords;
    }

    /** Builds the server on the store's Jdbi (schema V20 and the partner and consent adapters). */
    public static OAuthServer create(Jdbi jdbi, PartnerStore partners, ConsentStore consents, Pages pages,
                                     OAuthSettings settings, Clock clock) {
        return create(jdbi, partners, consents, pages, settings, clock, () -> { });
    }

    /**
     * As above, with {@code awaitEverywhere} run after every consent the screen records, so the consent is effective
     * on every gateway instance before the partner gets its code.
     */
    public static OAuthServer create(Jdbi jdbi, PartnerStore partners, ConsentStore consents, Pages pages,
                                     OAuthSettings settings, Clock clock, Runnable awaitEverywhere) {
        PartnerDirectory directory = new PartnerDirectory(partners, jdbi);
        TokenStore tokens = new TokenStore(jdbi);
        AccessTokens accessTokens = new AccessTokens(tokens, clock, settings.tokenCacheTtl());
        PersonPasswords passwords = new PersonPasswords(jdbi, clock);
        AuthorizationCodes codes = new AuthorizationCodes(jdbi);
        ClientAuthenticator clients = new ClientAuthenticator(directory);
        PresentedTokens presented = new PresentedTokens(clients, settings);
        AuthorizationRequests requests = new AuthorizationRequests(directory, clock);
        Sessions sessions = new Sessions(jdbi, clock, settings.sessionTtl(), settings.secureCookies());
        ConsentRecorder recorder = new ConsentRecorder(jdbi, consents, awaitEverywhere);
        return new OAuthServer(List.of(
                new MetadataEndpoint(settings),
                new AuthorizeEndpoint(requests, sessions, passwords, recorder, codes, pages, settings, clock),
                new TokenEndpoint(jdbi, clients, directory, codes, tokens, accessTokens, consents, settings, clock),
                new IntrospectionEndpoint(presented, tokens, consents, settings, clock),
                new RevocationEndpoint(jdbi, presented, tokens, accessTokens, clock)),
                accessTokens, passwords);
    }

    /** The routes: metadata, authorize, login, consent, token, introspect, revoke. */
    public List<WebFeature> features() {
        return features;
    }

    /** The token check for resource endpoints. */
    public AccessTokens accessTokens() {
        return accessTokens;
    }

    /** People's logins for the consent screen. */
    public PersonPasswords passwords() {
        return passwords;
    }
}
