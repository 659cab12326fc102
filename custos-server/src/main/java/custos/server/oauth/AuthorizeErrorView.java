package custos.server.oauth;

/** The page shown when an authorization request cannot be answered to the client (no trusted redirect URI). */
public record AuthorizeErrorView(String error, String description) {}
