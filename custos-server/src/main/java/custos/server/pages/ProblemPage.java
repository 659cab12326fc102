package custos.server.pages;

import custos.policy.Explanation;
import custos.policy.Reason;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.http.WebFeature;
import io.helidon.webserver.http.HttpRouting;
import java.util.Arrays;
import java.util.List;

/**
 * The page behind every problem {@code type} URI ({@code /problems/{slug}}): what the problem means and what a
 * partner's developer does about it. RFC 9457 lets the type be dereferenced; a type that answers 404 helps nobody.
 */
public final class ProblemPage implements WebFeature {
    private final Pages pages;

    public ProblemPage(Pages pages) {
        this.pages = pages;
    }

    /** What one problem page shows; {@code reasons} are listed only on the access-denied page. */
    public record View(String uri, String title, int status, String meaning, List<String> todo, List<ReasonLine> reasons) {
        public View {
            todo = List.copyOf(todo);
            reasons = List.copyOf(reasons);
        }
    }

    /** One reason code and its words. */
    public record ReasonLine(String code, String words) {}

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/problems/{slug}", (req, res) -> {
            String slug = req.path().pathParameters().get("slug");
            ProblemType type = Arrays.stream(ProblemType.values()).filter(t -> t.slug().equals(slug)).findFirst()
                    .orElseThrow(() -> ProblemException.of(ProblemType.NOT_FOUND, "No problem type " + slug));
            pages.send(res, "problem.jte", view(type));
        });
    }

    static View view(ProblemType type) {
        List<ReasonLine> reasons = type != ProblemType.ACCESS_DENIED ? List.of() : Arrays.stream(Reason.values())
                .map(r -> new ReasonLine(r.name(), Explanation.describe(r))).toList();
        // A switch without default: a new problem type does not compile until its page says something.
        return switch (type) {
            case BAD_REQUEST -> view(type, "Custos could not read the request: a path id, a cursor, a limit or the"
                            + " JSON body is malformed or out of range. The problem's detail names what.",
                    List.of("Ids are positive integers; pass a page's nextCursor back unchanged as cursor; limit is 1 to 200.",
                            "Check the body against the schema in /v1/openapi.json.",
                            "Do not retry the same request: it will fail the same way."), reasons);
            case INVALID_TOKEN -> view(type, "The request carried no bearer token, or one Custos does not know, or one that"
                            + " has expired or been revoked (the response carries WWW-Authenticate: Bearer).",
                    List.of("Send Authorization: Bearer <access token>.",
                            "An access token lasts 15 minutes: get a new one with grant_type=refresh_token.",
                            "If the refresh token is refused too, the grant is gone (revoked, or the person withdrew"
                                    + " consent): ask the person again through /oauth2/authorize."), reasons);
            case ACCESS_DENIED -> view(type, "The decision engine said no. The reasons member lists every reason that"
                            + " applied, not just the first; the decision is in the audit log (the receipt member and"
                            + " the Custos-Receipt header name its entry).",
                    List.of("Consent reasons (NO_CONSENT, CONSENT_EXPIRED, CONSENT_REVOKED, SCOPE_NOT_CONSENTED,"
                                    + " FRIENDS_DATA_NOT_CONSENTED): only the person can change them, on the consent screen.",
                            "Settings reasons (SETTINGS_FORBID, FRIEND_SETTINGS_FORBID): the people whose data it is"
                                    + " decided; do not ask again until they change their settings.",
                            "Agreement and purpose reasons (NO_AGREEMENT, AGREEMENT_EXPIRED, PURPOSE_RETIRED,"
                                    + " SCOPE_NOT_IN_PURPOSE, FRIENDS_DATA_NOT_IN_PURPOSE, PARTNER_SUSPENDED, RECERTIFICATION_OVERDUE,"
                                    + " PARTNER_DORMANT): talk to the"
                                    + " platform; no request changes them.",
                            "Retrying the same request gives the same answer."), reasons);
            case ROLE_FORBIDS -> view(type, "The admin API or the console was asked to change something by a member of"
                            + " staff whose role only reads (an auditor), or to read by someone who is not on the staff.",
                    List.of("Ask an operator to make the change.", "Operators: sign in as an operator, or use an"
                            + " operator's credential (./custos operator token)."), reasons);
            case NOT_FOUND -> view(type, "Nothing is there, or it concerns a person this token has no relation to: to a"
                            + " partner the two look the same. On /v1/log/receipt/{index} it means that no signed"
                            + " checkpoint covers the entry yet.",
                    List.of("Check the ids: {id} is the token's person or one of their friends.",
                            "For a receipt, retry after the Retry-After seconds: a checkpoint is signed about every second."),
                    reasons);
            case METHOD_NOT_ALLOWED -> view(type, "The resource exists but does not take this HTTP method.",
                    List.of("See /v1/openapi.json for the methods of each path."), reasons);
            case TOO_LARGE -> view(type, "The request body is larger than this route takes, so Custos refused it before"
                            + " reading it. Partner API bodies may be at most 64 KiB, forms at most 16 KiB.",
                    List.of("Send a smaller body: a message text is limited far below this.",
                            "Retrying the same request gives the same answer."), reasons);
            case CONFLICT -> view(type, "The request conflicts with the current state of the resource.",
                    List.of("Read the resource again and decide whether the request still makes sense."), reasons);
            case RATE_LIMITED -> view(type, "The token or the partner is over its request rate, or the agreement's daily"
                            + " volume of people is spent. The refusal is logged like any other decision.",
                    List.of("Wait the Retry-After seconds before the next request.",
                            "Spread requests out; a bulk walk over many people is flagged."), reasons);
            case UNAVAILABLE -> view(type, "This gateway instance cannot decide right now: it is catching up with a"
                            + " policy change (a revocation, a withdrawn consent, changed settings) or cannot reach its"
                            + " store. It answers 503 rather than decide on stale rules.",
                    List.of("Retry after the Retry-After seconds; another instance may answer sooner."), reasons);
            case INTERNAL -> view(type, "Custos failed while handling the request. The failure is logged on the server.",
                    List.of("Retry later; if it persists, tell the platform the time and the request's path."), reasons);
        };
    }

    private static View view(ProblemType type, String meaning, List<String> todo, List<ReasonLine> reasons) {
        return new View(type.uri(), type.title(), type.status().code(), meaning, todo, reasons);
    }
}
