package custos.server.account;

/** The signed-in landing page: whose account this is; {@code error} is null unless a form was refused. */
public record AccountView(String name, String csrfToken, String error) {}
