package custos.server.http;

import io.helidon.http.Status;

/**
 * The stable problem types Custos answers with (RFC 9457). Clients match on {@link #uri()}, which never
 * changes once published; the title is for people.
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", "The request is malformed", Status.BAD_REQUEST_400),
    INVALID_TOKEN("invalid-token", "The access token is missing, invalid or expired", Status.UNAUTHORIZED_401),
    ACCESS_DENIED("access-denied", "Custos denied this access", Status.FORBIDDEN_403),
    ROLE_FORBIDS("role-forbids", "Your console role does not allow this", Status.FORBIDDEN_403),
    NOT_FOUND("not-found", "Nothing is here", Status.NOT_FOUND_404),
    METHOD_NOT_ALLOWED("method-not-allowed", "This method is not allowed here", Status.METHOD_NOT_ALLOWED_405),
    CONFLICT("conflict", "The request conflicts with the current state", Status.CONFLICT_409),
    TOO_LARGE("too-large", "The request body is too large", Status.REQUEST_ENTITY_TOO_LARGE_413),
    RATE_LIMITED("rate-limited", "Too many requests", Status.TOO_MANY_REQUESTS_429),
    UNAVAILABLE("unavailable", "Custos cannot serve this now", Status.SERVICE_UNAVAILABLE_503),
    INTERNAL("internal", "Custos failed to handle the request", Status.INTERNAL_SERVER_ERROR_500);

    private final String slug;
    private final String title;
    private final Status status;

    ProblemType(String slug, String title, Status status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    /** A relative URI served by Custos itself, where a page explains the problem. */
    public String uri() {
        return "/problems/" + slug;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Status status() {
        return status;
    }
}
