package custos.server.api;

import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque page cursor: the id of the last record of the previous page. Pages are ordered by id, so a
 * cursor stays valid while records are added. Partners must treat it as opaque; we only promise it round-trips.
 */
public record Cursor(long afterId) {
    public static final Cursor START = new Cursor(0);

    public static Cursor parse(String text) {
        if (text == null || text.isEmpty()) {
            return START;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            if (!raw.startsWith("c1:")) {
                throw new IllegalArgumentException();
            }
            long id = custos.server.http.StrictNumbers.nonNegative(raw.substring(3)).orElseThrow(IllegalArgumentException::new);
            return new Cursor(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.BAD_REQUEST, "cursor is not one this API returned");
        }
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("c1:" + afterId).getBytes(StandardCharsets.US_ASCII));
    }
}
