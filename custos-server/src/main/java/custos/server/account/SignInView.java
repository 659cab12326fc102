package custos.server.account;

/** The people's sign-in form; {@code error} is null unless the last try was refused. */
public record SignInView(String csrfToken, String error) {}
