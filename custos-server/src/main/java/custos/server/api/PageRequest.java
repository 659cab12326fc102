package custos.server.api;

import custos.server.http.ProblemException;
import custos.server.http.ProblemType;

/** Where a page starts and how long it is; {@code limit} is 1..200, default 50. */
public record PageRequest(Cursor cursor, int limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public static PageRequest parse(String cursor, String limit) {
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            n = (int) Math.min(Integer.MAX_VALUE, custos.server.http.StrictNumbers.positive(limit).orElse(-1));
            if (n < 1 || n > MAX_LIMIT) {
                throw ProblemException.of(ProblemType.BAD_REQUEST, "limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        return new PageRequest(Cursor.parse(cursor), n);
    }
}
