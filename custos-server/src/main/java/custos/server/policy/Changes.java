package custos.server.policy;

/**
 * The calls that change what partners may reach, for the pages and the operator console: each returns only once
 * every gateway instance decides on the change, or has stopped deciding. Token revocation is the OAuth server's
 * ({@code OAuthServer.revocations()}).
 */
public record Changes(ConsentChanges consents, SettingsChanges settings, PartnerChanges partners) {}
