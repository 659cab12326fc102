package custos.server.oauth;

/** The login form shown before the consent screen; {@code error} is null unless the last try failed. */
public record LoginView(String partnerName, String purposeDescription, String csrfToken, String query, String error) {}
