package custos.server.oauth;

import java.util.Locale;

/** The two kinds of token the server issues. */
enum TokenKind {
    ACCESS, REFRESH;

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TokenKind of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
