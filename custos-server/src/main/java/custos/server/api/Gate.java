package custos.server.api;

import custos.audit.AccessEvent;
import custos.audit.InputCitations;
import custos.audit.AccessLog;
import custos.audit.EventIds;
import custos.audit.LogReceipt;
import custos.partner.PartnerEntry;
import custos.policy.Decision;
import custos.policy.DecisionBasis;
import custos.policy.DecisionEngine;
import custos.policy.DecisionRequest;
import custos.policy.Outcome;
import custos.policy.PolicyView;
import custos.policy.Reason;
import custos.data.Scope;
import custos.server.http.Problem;
import custos.server.http.ProblemException;
import custos.server.http.ProblemType;
import custos.server.oauth.AccessGrant;
import custos.server.oauth.AccessTokens;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What every partner data request goes through, in this order: the bearer token, the instance's right to decide
 * (its freshness lease), the decision, and, for a denial, the durable audit entry and the problem response.
 * An allowed access is logged by {@link #release} once the handler knows what it will send: the entry is durable
 * before a byte of data is written (invariant 5).
 */
public final class Gate {
    public static final String RECEIPT_HEADER = "Custos-Receipt";
    /** The detail of every 404 the partner API answers after authentication. */
    static final String NOT_FOUND_DETAIL = "No such resource for this token";

    private final AccessTokens tokens;
    private final DecisionEngine engine;
    private final BooleanSupplier mayDecide;
    private final AccessLog log;
    private final BulkGuard bulk;
    private final RateWait rateWait;
    private final Clock clock;

    /** Whole seconds a partner (and token) over its request rate should wait: the rate limiter's answer. */
    @FunctionalInterface
    public interface RateWait {
        long seconds(long partnerId, String rateKey);
    }

    public Gate(AccessTokens tokens, DecisionEngine engine, BooleanSupplier mayDecide, AccessLog log, BulkGuard bulk,
                RateWait rateWait, Clock clock) {
        this.tokens = tokens;
        this.engine = engine;
        this.mayDecide = mayDecide;
        this.log = log;
        this.bulk = bulk;
        this.rateWait = rateWait;
        this.clock = clock;
    }

    /**
     * A 503 unless this instance may decide. Checked before authentication: an instance behind on policy changes
     * cannot vouch for a token either (its revocation may be what it has not applied yet), so it answers nothing
     * about the token and writes no entry; the partner retries, on this or another instance.
     */
    public void requireFreshPolicy() {
        if (!mayDecide.getAsBoolean()) {
            throw new ProblemException(Problem.of(ProblemType.UNAVAILABLE,
                    "this gateway instance is catching up with policy changes; retry shortly"), Map.of("Retry-After", "1"));
        }
    }

    /** An allowed access: the request, its decision and the token it came with. */
    public record Allowed(DecisionRequest request, Decision decision, AccessGrant grant) {}

    /**
     * Decides for an authenticated grant whose request was validated in full, and either returns the allowed access
     * or logs the denial and throws its problem.
     */
    public Allowed admit(ServerResponse res, AccessGrant grant, long subject, Scope scope) {
        requireFreshPolicy(); // again: the lease can lapse between authentication and the decision
        Instant now = clock.instant();
        DecisionRequest request = request(grant, subject, scope, now);
        // A partner's own (client credentials) token carries no purpose and no person: no agreement serves it and
        // nobody consented to it, so it reaches nobody's data.
        // A token revoked with its consent's withdrawal is refused as such, whatever the person consents to later.
        Decision decision = grant.consentWithdrawn()
                ? new Decision(Outcome.DENY, EnumSet.of(Reason.CONSENT_REVOKED), DecisionBasis.NONE, List.of())
                : grant.personal()
                ? engine.decide(request)
                : new Decision(Outcome.DENY, EnumSet.of(Reason.NO_AGREEMENT, Reason.NO_CONSENT), DecisionBasis.NONE, List.of());
        EnumSet<Reason> extra = EnumSet.noneOf(Reason.class);
        boolean insufficientScope = !grant.scopes().contains(scope);
        if (insufficientScope) {
            extra.add(Reason.SCOPE_NOT_CONSENTED); // the token is narrower than the consent: the token wins
        }
        PartnerEntry partner = engine.view().partner(grant.partnerId());
        boolean overVolume = decision.allowed() && extra.isEmpty() && partner != null && !bulk.admit(partner, subject, now);
        if (overVolume) {
            extra.add(Reason.RATE_LIMITED);
        }
        if (!extra.isEmpty()) {
            EnumSet<Reason> all = EnumSet.copyOf(extra);
            all.addAll(decision.reasons());
            decision = new Decision(Outcome.DENY, all, decision.basis(), List.of());
        }
        if (!decision.allowed()) {
            // Over the daily volume, new people are refused until the UTC day ends; over the rate, until a bucket refills.
            long retryAfter = overVolume ? BulkGuard.secondsToNextDay(now)
                    : decision.reasons().contains(Reason.RATE_LIMITED) ? rateWait.seconds(request.partnerId(), request.rateKey())
                    : 1;
            throw deny(res, request, decision, insufficientScope, retryAfter);
        }
        return new Allowed(request, decision, grant);
    }

    private static DecisionRequest request(AccessGrant grant, long subject, Scope scope, Instant at) {
        String purpose = grant.purposeCode().orElse("");
        long actor = grant.personal() ? grant.personId() : 0;
        return new DecisionRequest(grant.partnerId(), grant.clientId(), purpose, actor, subject, scope, at,
                "t" + grant.tokenId());
    }

    /** Logs an allowed access durably with what it releases; the caller sends the data after this returns. */
    public void release(ServerResponse res, Allowed allowed, int records, List<Long> coSubjects) {
        LogReceipt receipt = log.append(event(allowed.request(), allowed.decision(), records, coSubjects));
        res.headers().add(HeaderNames.create(RECEIPT_HEADER), receiptValue(receipt));
    }

    /**
     * Logs a request refused as malformed (a DENY with {@link Reason#INVALID_REQUEST}, nothing decided on the data)
     * and returns the 400 to throw, carrying the entry's receipt.
     */
    public ProblemException invalid(ServerResponse res, AccessGrant grant, long subject, Scope scope, String detail) {
        DecisionRequest request = request(grant, subject, scope, clock.instant());
        String receipts = logDenial(res, request,
                new Decision(Outcome.DENY, EnumSet.of(Reason.INVALID_REQUEST), DecisionBasis.NONE, List.of()));
        return new ProblemException(Problem.of(ProblemType.BAD_REQUEST, detail).with("receipt", receipts),
                Map.of(RECEIPT_HEADER, receipts));
    }

    /**
     * Turns an allowed access into a denial after all, for {@code reasons} the engine found on the page's other
     * people (a thread participant's settings forbid a write): logs the DENY on the same basis and returns the
     * problem to throw, answered exactly like {@link #admit}'s own denials.
     */
    public ProblemException refuse(ServerResponse res, Allowed allowed, Set<Reason> reasons) {
        return deny(res, allowed.request(), new Decision(Outcome.DENY, reasons, allowed.decision().basis(), List.of()),
                false, 1);
    }

    /**
     * Turns an allowed access into a denial because what it names is not there for this partner (a thread the person
     * is not in, a message that is not theirs, a recipient who is not a friend or whose settings hide them): logs
     * the DENY with the true {@code reasons} and returns the partner API's one 404, whatever they are.
     */
    public ProblemException notThere(ServerResponse res, Allowed allowed, Set<Reason> reasons) {
        return notFound(logDenial(res, allowed.request(),
                new Decision(Outcome.DENY, reasons, allowed.decision().basis(), List.of())));
    }

    /**
     * Logs the denial, then answers it. What a partner must not be able to tell apart looks the same: on a friend's
     * data the reasons about that one person (not a friend, or a friend whose settings forbid it) are never shown,
     * and a denial with no other reason is the same 404 as for nobody at all, as is any denial for something that is
     * not there. The entry keeps every true reason.
     */
    private ProblemException deny(ServerResponse res, DecisionRequest request, Decision decision,
                                  boolean insufficientScope, long retryAfterSeconds) {
        String receipts = logDenial(res, request, decision);
        EnumSet<Reason> shown = EnumSet.copyOf(decision.reasons());
        if (request.friendsData()) {
            shown.remove(Reason.NOT_FRIENDS);
            shown.remove(Reason.FRIEND_SETTINGS_FORBID);
        }
        if (shown.isEmpty() || shown.contains(Reason.NO_SUCH_RESOURCE)) {
            return notFound(receipts);
        }
        List<String> codes = shown.stream().map(Enum::name).toList();
        if (shown.contains(Reason.RATE_LIMITED)) {
            return new ProblemException(Problem.of(ProblemType.RATE_LIMITED, "over the request rate or daily volume")
                    .with("reasons", codes).with("receipt", receipts),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds), RECEIPT_HEADER, receipts));
        }
        Map<String, String> headers = insufficientScope
                // RFC 6750 section 3.1: the token lacks the scope the resource needs.
                ? Map.of(RECEIPT_HEADER, receipts, "WWW-Authenticate",
                        "Bearer realm=\"custos\", error=\"insufficient_scope\", scope=\"" + request.scope() + "\"")
                : Map.of(RECEIPT_HEADER, receipts);
        return new ProblemException(Problem.of(ProblemType.ACCESS_DENIED, "Custos denied " + request.scope() + ": "
                + String.join(", ", codes)).with("reasons", codes).with("receipt", receipts), headers);
    }

    /** The one 404 of the partner API: a person this token may not see, a stranger and nothing at all look alike. */
    private static ProblemException notFound(String receipts) {
        return new ProblemException(Problem.of(ProblemType.NOT_FOUND, NOT_FOUND_DETAIL).with("receipt", receipts),
                Map.of(RECEIPT_HEADER, receipts));
    }

    /** Appends the denial's entry and answers every receipt of this request so far, this one last. */
    private String logDenial(ServerResponse res, DecisionRequest request, Decision decision) {
        LogReceipt receipt = log.append(event(request, decision, 0, List.of()));
        // Earlier receipts of this request (a profile's second scope) ride along: the error handler starts afresh.
        List<String> receipts = new java.util.ArrayList<>(res.headers().all(HeaderNames.create(RECEIPT_HEADER), List::of));
        receipts.add(receiptValue(receipt));
        res.headers().add(HeaderNames.create(RECEIPT_HEADER), receiptValue(receipt)); // kept if the handler carries on
        return String.join(", ", receipts);
    }

    /**
     * The entry cites the inputs it was decided on (issue 15): the policy sequence the view has applied, and subject by
     * subject the newest change applied (partner, actor, subject, every co-subject released), read after the decision:
     * a change applied in between is one the call that made it had not yet returned from.
     */
    private AccessEvent event(DecisionRequest request, Decision decision, int records, List<Long> coSubjects) {
        PolicyView view = engine.view();
        long seq = view.watermark();
        InputCitations cites = InputCitations.of(view, request.partnerId(), request.actor(), request.subject(), coSubjects);
        return new AccessEvent(EventIds.next(), request.at(), request.partnerId(), request.clientId(), request.purpose(),
                request.scope().toString(), request.actor(), request.subject(), coSubjects, decision.outcome(),
                decision.reasonCodes(), decision.basis(), records, decision.fields(), seq, cites);
    }

    private static String receiptValue(LogReceipt receipt) {
        return "index=" + receipt.index() + "; proof=/v1/log/receipt/" + receipt.index();
    }

    /** The grant of the request's bearer token; a 401 problem when there is none or it is not live. */
    public AccessGrant authenticate(ServerRequest req) {
        List<String> headers = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        if (headers.isEmpty()) {
            // RFC 6750 §3.1: no error code when the request carried no credentials at all.
            throw new ProblemException(Problem.of(ProblemType.INVALID_TOKEN, "an access token is required: Authorization: Bearer <token>"),
                    Map.of("WWW-Authenticate", "Bearer realm=\"custos\""));
        }
        if (headers.size() > 1) {
            throw unauthorized("invalid_request", "send one Authorization header, not several");
        }
        String header = headers.get(0);
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("invalid_request", "the Authorization header must use the Bearer scheme");
        }
        String token = header.substring(7).strip();
        return tokens.lookupForRequest(token)
                .orElseThrow(() -> unauthorized("invalid_token", "the access token is invalid, expired or revoked"));
    }

    private static ProblemException unauthorized(String error, String detail) {
        return new ProblemException(Problem.of(ProblemType.INVALID_TOKEN, detail),
                Map.of("WWW-Authenticate", "Bearer realm=\"custos\", error=\"" + error + "\""));
    }
}
