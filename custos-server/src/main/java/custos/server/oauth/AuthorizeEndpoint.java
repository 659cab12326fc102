package custos.server.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.Issuer;
import custos.consent.Consent;
import custos.people.PrivacySettings;
import custos.people.SettingsStore;
import custos.data.Scope;
import custos.server.http.WebFeature;
import custos.server.pages.Form;
import custos.server.pages.Pages;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The person-facing half of the code flow: {@code GET /oauth2/authorize} (validate, then log in or show the consent
 * screen), {@code POST /oauth2/login} and {@code POST /oauth2/consent}. Every step re-validates the original request,
 * so nothing the browser carries between steps is trusted; both forms need the session's CSRF token.
 */
final class AuthorizeEndpoint implements WebFeature {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZoneOffset.UTC);

    private final AuthorizationRequests requests;
    private final Sessions sessions;
    private final GuardedLogin login;
    private final ConsentRecorder consents;
    private final RenewalWithdrawal withdrawal;
    private final SettingsStore privacy;
    private final AuthorizationCodes codes;
    private final Pages pages;
    private final OAuthSettings settings;
    private final Clock clock;

    AuthorizeEndpoint(AuthorizationRequests requests, Sessions sessions, GuardedLogin login, ConsentRecorder consents,
                      RenewalWithdrawal withdrawal, SettingsStore privacy, AuthorizationCodes codes, Pages pages,
                      OAuthSettings settings, Clock clock) {
        this.requests = requests;
        this.sessions = sessions;
        this.login = login;
        this.consents = consents;
        this.withdrawal = withdrawal;
        this.privacy = privacy;
        this.codes = codes;
        this.pages = pages;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get("/oauth2/authorize", this::authorize)
                .post("/oauth2/login", this::login)
                .post("/oauth2/consent", this::consent);
    }

    private void authorize(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Optional<ValidAuthorization> valid = validOrRefused(res, req.query().rawValue());
        if (valid.isEmpty()) {
            return;
        }
        Session session = sessions.currentOrNew(req, res);
        if (!session.loggedIn()) {
            showLogin(res, valid.get(), session, null);
            return;
        }
        showConsent(res, valid.get(), session, null);
    }

    private void login(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Optional<PostedForm> posted = postedForm(req, res, session -> true);
        if (posted.isEmpty()) {
            return;
        }
        Form form = posted.get().form();
        ValidAuthorization valid = posted.get().valid();
        GuardedLogin.Attempt attempt = login.attempt(form.first("login"), form.first("password"),
                custos.server.http.ClientAddress.of(req));
        Optional<String> refused = GuardedLogin.refusal(attempt, res);
        if (refused.isPresent()) {
            showLogin(res, valid, posted.get().session(), refused.get());
            return;
        }
        sessions.open(res, ((GuardedLogin.Attempt.SignedIn) attempt).personId(), posted.get().session());
        NimbusHttp.redirect(res, URI.create("/oauth2/authorize?" + valid.query()));
    }

    private void consent(ServerRequest req, ServerResponse res) {
        Pages.personalHeaders(res);
        Optional<PostedForm> posted = postedForm(req, res, Session::loggedIn);
        if (posted.isEmpty()) {
            return;
        }
        Form form = posted.get().form();
        ValidAuthorization valid = posted.get().valid();
        Set<Scope> ticked = new HashSet<>();
        for (String code : form.all("scope")) {
            Scope scope;
            try {
                scope = Scope.parse(code);
            } catch (IllegalArgumentException e) {
                scope = null;
            }
            if (scope == null || !valid.scopes().contains(scope)) {
                // Only what the partner asked for can be granted; anything else means the form was tampered with.
                refuse(res, new AuthorizeError(OAuth2Error.INVALID_SCOPE.setDescription("the consent form named a scope"
                        + " that was not requested: " + code), valid.redirectUri(), valid.state()));
                return;
            }
            ticked.add(scope);
        }
        long personId = posted.get().session().personId();
        PurposeAuthority authority = valid.authority();
        Instant now = clock.instant();
        if (!"allow".equals(form.first("decision"))) {
            // Deny on a renewal screen ends the earlier consent and its tokens (effective everywhere before we answer);
            // otherwise the old consent would go on working after the person said no.
            consents.renewable(personId, authority.partner().id(), authority.purpose().code(), now)
                    .ifPresent(id -> withdrawal.withdraw(id, now));
            refuse(res, new AuthorizeError(OAuth2Error.ACCESS_DENIED.setDescription("the person did not consent"),
                    valid.redirectUri(), valid.state()));
            return;
        }
        // A scope the person's own settings block is not granted even if a stale or tampered form ticks it: opening the
        // setting later must not silently widen this consent.
        PrivacySettings mine = privacy.current(personId);
        ticked.removeIf(s -> !mine.of(s.category()).partnersMayReach());
        if (ticked.isEmpty()) {
            res.status(Status.BAD_REQUEST_400);
            showConsent(res, valid, posted.get().session(),
                    "Nothing is ticked, so there is nothing to allow. Tick what you want to share, or press Deny.");
            return;
        }
        boolean friends = authority.purpose().friendsData() && "yes".equals(form.first("friends"));
        Consent consent = consents.record(personId, authority, ticked, friends, now);
        OpaqueToken code = codes.issue(valid.client().clientId(), authority.partner().id(), personId,
                authority.purpose().code(), ticked, consent.id(), valid.redirectUri(), valid.codeChallenge(), now,
                now.plus(settings.codeTtl()));
        NimbusHttp.redirect(res, new AuthorizationSuccessResponse(valid.redirectUri(), new AuthorizationCode(code.value()),
                null, valid.state(), new Issuer(settings.issuer().get()), ResponseMode.QUERY).toURI());
    }

    /** A login or consent form posted from its own session, whose authorization request still validates. */
    private record PostedForm(Form form, Session session, ValidAuthorization valid) {}

    /**
     * Reads a login or consent form. A form without a session that {@code sessionFits} and whose CSRF token matches
     * is answered as stale, one whose authorization request no longer validates is refused; both come back empty.
     */
    private Optional<PostedForm> postedForm(ServerRequest req, ServerResponse res, Predicate<Session> sessionFits) {
        Form form = Form.of(req);
        Optional<Session> session = sessions.current(req)
                .filter(sessionFits).filter(s -> s.csrfMatches(form.first("csrf")));
        if (session.isEmpty()) {
            staleForm(res);
            return Optional.empty();
        }
        return validOrRefused(res, form.first("query")).map(valid -> new PostedForm(form, session.get(), valid));
    }

    /** The validated authorization request, or empty once its refusal has been sent. */
    private Optional<ValidAuthorization> validOrRefused(ServerResponse res, String query) {
        try {
            return Optional.of(requests.validate(query));
        } catch (AuthorizeError e) {
            refuse(res, e);
            return Optional.empty();
        }
    }

    private void showLogin(ServerResponse res, ValidAuthorization valid, Session session, String error) {
        pages.send(res, "oauth/login.jte", new LoginView(valid.authority().partner().name(),
                valid.authority().purpose().description(), session.csrfToken(), valid.query(), error));
    }

    private void showConsent(ServerResponse res, ValidAuthorization valid, Session session, String error) {
        PurposeAuthority authority = valid.authority();
        Instant now = clock.instant();
        Optional<Consent> earlier = consents.earlier(session.personId(), authority.partner().id(),
                authority.purpose().code(), now);
        // Nothing starts ticked that would widen sharing: on a first consent nothing, on a renewal only what the
        // person chose last time (and friends' data never; ticking it is always the person's own act).
        Set<Scope> chosenBefore = earlier.map(Consent::scopes).orElse(Set.of());
        PrivacySettings mine = privacy.current(session.personId());
        List<ConsentView.ScopeLine> lines = valid.scopes().stream()
                .sorted(Comparator.comparing(Scope::category).thenComparing(Scope::operation))
                .map(s -> {
                    String blocked = mine.of(s.category()).partnersMayReach() ? null
                            : "Your privacy settings keep partners away from your " + ScopeWords.noun(s.category()) + ".";
                    return new ConsentView.ScopeLine(s.toString(), ScopeWords.of(s), blocked == null && chosenBefore.contains(s),
                            blocked);
                }).toList();
        ConsentView.LastChoice last = earlier.map(c -> new ConsentView.LastChoice(
                c.scopes().stream().filter(valid.scopes()::contains)
                        .sorted(Comparator.comparing(Scope::category).thenComparing(Scope::operation))
                        .map(ScopeWords::of).toList(),
                c.friendsData(), DAY.format(c.givenAt()))).orElse(null);
        Instant until = now.plus(authority.consentLifetime());
        // The partner record has no domain of its own: the host of the registered redirect URI this answer goes to
        // is what tells the person where their "yes" ends up.
        String domain = valid.redirectUri().getHost();
        pages.send(res, "oauth/consent.jte", new ConsentView(authority.partner().name(), domain,
                authority.purpose().description(), authority.purpose().code(), lines, authority.purpose().friendsData(),
                authority.consentLifetime().toDays(), DAY.format(until), last, error, session.csrfToken(), valid.query()));
    }

    private void refuse(ServerResponse res, AuthorizeError e) {
        if (e.redirectUri() != null) {
            NimbusHttp.redirect(res, new AuthorizationErrorResponse(e.redirectUri(), e.error(), e.state(),
                    new Issuer(settings.issuer().get()), ResponseMode.QUERY).toURI());
            return;
        }
        res.status(Status.BAD_REQUEST_400);
        pages.send(res, "oauth/error.jte", new AuthorizeErrorView(e.error().getCode(), e.error().getDescription()));
    }

    private void staleForm(ServerResponse res) {
        res.status(Status.FORBIDDEN_403);
        pages.send(res, "oauth/error.jte", new AuthorizeErrorView("invalid_request",
                "this form has expired or did not come from this session; start again from the app"));
    }
}
