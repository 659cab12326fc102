package custos.server.account;

import custos.consent.Consent;
import custos.consent.ConsentStore;
import custos.data.Scope;
import custos.server.account.PartnerAccess.PartnerName;
import custos.server.account.PartnerAccess.PurposeInfo;
import custos.server.account.PartnersView.FriendLine;
import custos.server.account.PartnersView.Grant;
import custos.server.account.PartnersView.Line;
import custos.server.http.WebFeature;
import custos.server.oauth.OAuthServer;
import custos.server.oauth.RenewalWithdrawal;
import custos.server.oauth.ScopeWords;
import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Form;
import custos.server.pages.Pages;
import custos.server.policy.Changes;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * "Partners with access" ({@code GET /account/partners}) and its forms: withdraw a consent, remove one permission,
 * take friends' data out, renew. Every form carries the session's CSRF token and the consent's version as shown; a
 * form for a consent that is not the person's, or that changed since the page was shown, changes nothing. Each change
 * returns only once every gateway instance decides on it (the change barrier), then answers 303 to the page.
 *
 * <p>Renewal rule: a consent that was not withdrawn can be renewed from 30 days before it runs out until 90 days
 * after, while the partner is active and every purpose of the consent is still served by an agreement in force. It
 * keeps the consent's own scopes (less any the purposes no longer allow) and runs for the agreement's consent
 * lifetime from now: a renewal never widens what a partner may reach.
 */
public final class PartnersPage implements WebFeature {
    public static final String PATH = "/account/partners";
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    static final Duration RENEW_AFTER = Duration.ofDays(90);
    static final Duration RECENT = Duration.ofDays(30);
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,9}");
    private static final int MAX_SCOPE = 64;

    private final Pages pages;
    private final SignedIn signedIn;
    private final ConsentStore consents;
    private final Changes changes;
    private final RenewalWithdrawal withdrawal;
    private final Runnable awaitEverywhere;
    private final PartnerAccess access;
    private final PersonNames names;
    private final Clock clock;

    public PartnersPage(Pages pages, Sessions sessions, ConsentStore consents, Changes changes, RenewalWithdrawal withdrawal,
                        Runnable awaitEverywhere, PartnerAccess access, PersonNames names, Clock clock) {
        this.pages = pages;
        this.signedIn = new SignedIn(sessions);
        this.consents = consents;
        this.changes = changes;
        this.withdrawal = withdrawal;
        this.awaitEverywhere = awaitEverywhere;
        this.access = access;
        this.names = names;
        this.clock = clock;
    }

    /** The page wired to the app's OAuth server (sessions, token revocation) and change calls. */
    public static PartnersPage of(Pages pages, OAuthServer oauth, ConsentStore consents, Changes changes,
                                  Runnable awaitEverywhere, Jdbi jdbi, Clock clock) {
        return new PartnersPage(pages, oauth.sessions(), consents, changes,
                new RenewalWithdrawal(changes.consents(), oauth.revocations()), awaitEverywhere, new PartnerAccess(jdbi),
                new PersonNames(jdbi), clock);
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::show)
                .post(PATH + "/withdraw", (req, res) -> change(req, res, this::withdraw))
                .post(PATH + "/remove-scope", (req, res) -> change(req, res, this::removeScope))
                .post(PATH + "/remove-friends", (req, res) -> change(req, res, this::removeFriends))
                .post(PATH + "/renew", (req, res) -> change(req, res, this::renew));
    }

    /** Why a form was refused: the status and the sentence the page shows; nothing was changed. */
    private static final class Refused extends RuntimeException {
        final Status status;

        Refused(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** One form's change on a consent the person holds, as shown; returns the confirmation's key for the page. */
    @FunctionalInterface
    private interface Action {
        String apply(Consent consent, Form form, Instant now);
    }

    private void show(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        String done = req.query().first("done").orElse(null);
        String slug = req.query().first("partner").orElse(null);
        pages.send(res, "account/partners.jte", view(session.get(), done, slug, null));
    }

    private void change(ServerRequest req, ServerResponse res, Action action) {
        Form form = Form.of(req);
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        if (!session.get().csrfMatches(form.first("csrf"))) {
            refuse(res, session.get(), new Refused(Status.FORBIDDEN_403,
                    "This form did not come from your partners page, or it has expired. Nothing was changed; please try again."));
            return;
        }
        try {
            Consent consent = ownConsent(session.get().personId(), form);
            String done = action.apply(consent, form, clock.instant());
            String slug = access.partners(List.of(consent.partnerId())).get(consent.partnerId()).slug();
            SignedIn.redirect(res, PATH + "?done=" + done + "&partner=" + slug);
        } catch (Refused refused) {
            refuse(res, session.get(), refused);
        }
    }

    private void refuse(ServerResponse res, Session session, Refused refused) {
        res.status(refused.status);
        pages.send(res, "account/partners.jte", view(session, null, null, refused.getMessage()));
    }

    /** The consent the form names, if it is the person's and still the version the page showed. */
    private Consent ownConsent(long person, Form form) {
        String id = form.first("consent");
        String version = form.first("version");
        if (id == null || !ID.matcher(id).matches() || version == null || !VERSION.matcher(version).matches()) {
            throw new Refused(Status.BAD_REQUEST_400, "That form does not name one of your consents. Nothing was changed.");
        }
        Consent consent = consents.find(Long.parseLong(id)).filter(c -> c.personId() == person)
                .orElseThrow(() -> new Refused(Status.NOT_FOUND_404,
                        "None of your consents has that number. Nothing was changed."));
        if (consent.withdrawnAt() != null || consent.version() != Integer.parseInt(version)) {
            throw stale();
        }
        return consent;
    }

    private static Refused stale() {
        return new Refused(Status.CONFLICT_409, "This consent changed after you opened the page (perhaps in another"
                + " window), so nothing was changed. Here it is as it stands now; please choose again.");
    }

    private Consent live(Consent consent, Instant now) {
        if (!consent.liveAt(now)) {
            throw new Refused(Status.CONFLICT_409, "This consent has already ended. Nothing was changed.");
        }
        return consent;
    }

    private String withdraw(Consent consent, Form form, Instant now) {
        withdrawal.withdraw(live(consent, now).id(), now);
        return "withdrawn";
    }

    private String removeScope(Consent consent, Form form, Instant now) {
        String text = form.first("scope");
        Scope scope;
        try {
            if (text == null || text.length() > MAX_SCOPE) {
                throw new IllegalArgumentException("no scope");
            }
            scope = Scope.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(Status.BAD_REQUEST_400, "That form does not name a permission. Nothing was changed.");
        }
        live(consent, now);
        if (!consent.scopes().contains(scope)) {
            throw new Refused(Status.BAD_REQUEST_400, "This consent does not include that permission. Nothing was changed.");
        }
        Set<Scope> rest = new HashSet<>(consent.scopes());
        rest.remove(scope);
        if (rest.isEmpty()) {
            // Nothing left to share: the last permission goes with the whole consent (and its tokens).
            withdrawal.withdraw(consent.id(), now);
            return "withdrawn";
        }
        changes.consents().narrow(consent.id(), rest, consent.friendsData()).orElseThrow(PartnersPage::stale);
        return "narrowed";
    }

    private String removeFriends(Consent consent, Form form, Instant now) {
        live(consent, now);
        if (!consent.friendsData()) {
            throw stale();
        }
        changes.consents().narrow(consent.id(), consent.scopes(), false).orElseThrow(PartnersPage::stale);
        return "friends-removed";
    }

    private String renew(Consent consent, Form form, Instant now) {
        Map<String, PurposeInfo> purposes = access.purposes(List.of(consent.partnerId()), now)
                .getOrDefault(consent.partnerId(), Map.of());
        PartnerName partner = access.partners(List.of(consent.partnerId())).get(consent.partnerId());
        String why = notRenewable(consent, partner, purposes, now);
        if (why != null) {
            throw new Refused(Status.CONFLICT_409, why + " Nothing was changed.");
        }
        Set<Scope> allowed = new HashSet<>();
        boolean friends = false;
        Duration lifetime = null;
        for (String code : consent.purposes()) {
            PurposeInfo p = purposes.get(code);
            allowed.addAll(p.scopes());
            friends |= p.friendsData();
            lifetime = lifetime == null || p.consentLifetime().compareTo(lifetime) < 0 ? p.consentLifetime() : lifetime;
        }
        Set<Scope> keep = new HashSet<>(consent.scopes());
        keep.retainAll(allowed);
        if (keep.isEmpty() || !access.renew(consent.id(), consent.version(), keep, friends, now.plus(lifetime), now)) {
            throw stale();
        }
        awaitEverywhere.run();
        return "renewed";
    }

    /** Why this consent cannot be renewed now, in a sentence; null when it can. */
    static String notRenewable(Consent consent, PartnerName partner, Map<String, PurposeInfo> purposes, Instant now) {
        if (consent.withdrawnAt() != null) {
            return "You withdrew this consent; the partner has to ask you again.";
        }
        if (consent.validUntil() == null || now.isBefore(consent.validUntil().minus(RENEW_BEFORE))) {
            return "This consent does not run out within 30 days, so there is nothing to renew yet.";
        }
        if (!now.isBefore(consent.validUntil().plus(RENEW_AFTER))) {
            return "This consent ran out more than 90 days ago; the partner has to ask you again.";
        }
        if (partner == null || !"ACTIVE".equals(partner.status())) {
            return "This partner is no longer active.";
        }
        for (String code : consent.purposes()) {
            PurposeInfo p = purposes.get(code);
            if (p == null || !p.inForce()) {
                return "What this consent was for is no longer offered by the partner.";
            }
        }
        return null;
    }

    private PartnersView view(Session session, String done, String slug, String error) {
        long person = session.personId();
        Instant now = clock.instant();
        List<Consent> all = consents.forPerson(person);
        PartnerAccess.FriendReaches reaches = access.throughFriends(person);
        Set<Long> partnerIds = new TreeSet<>();
        all.forEach(c -> partnerIds.add(c.partnerId()));
        reaches.reaches().forEach(r -> partnerIds.add(r.partnerId()));
        Map<Long, PartnerName> partners = access.partners(partnerIds);
        Map<Long, Map<String, PurposeInfo>> purposes = access.purposes(partnerIds, now);
        Map<Long, PartnerAccess.Reach> reach = access.reach(person, now.minus(RECENT));

        List<Grant> live = new ArrayList<>();
        List<Grant> ended = new ArrayList<>();
        for (Consent c : all) {
            Grant g = grant(c, partners.get(c.partnerId()), purposes.getOrDefault(c.partnerId(), Map.of()),
                    reach.getOrDefault(c.partnerId(), PartnerAccess.Reach.NONE), now);
            (c.liveAt(now) ? live : ended).add(g);
        }
        live.sort(Comparator.comparing(Grant::partnerName).thenComparing(Grant::since));
        ended.sort(Comparator.comparing((Grant g) -> g.ended() == null ? Instant.MIN : g.ended()).reversed());

        Set<Long> friendIds = new HashSet<>();
        reaches.reaches().forEach(r -> friendIds.add(r.friendId()));
        Map<Long, String> friendNames = names.of(friendIds);
        List<FriendLine> friends = reaches.reaches().stream().map(r -> {
            Scope scope = Scope.parse(r.scope());
            PartnerName p = partners.get(r.partnerId());
            return new FriendLine(p == null ? "partner " + r.partnerId() : p.name(),
                    friendNames.getOrDefault(r.friendId(), "person " + r.friendId()), ScopeWords.noun(scope.category()),
                    scope.category().code(), r.times(), r.last());
        }).toList();
        return new PartnersView(session.csrfToken(), notice(done, slug, partners.values()), error, live, friends,
                reaches.windowFull(), PartnerAccess.FRIEND_WINDOW, ended);
    }

    private static Grant grant(Consent c, PartnerName partner, Map<String, PurposeInfo> purposes,
                               PartnerAccess.Reach reach, Instant now) {
        List<Line> why = c.purposes().stream().sorted().map(code -> new Line(code,
                Optional.ofNullable(purposes.get(code)).map(PurposeInfo::description).orElse(code))).toList();
        List<Line> scopes = c.scopes().stream().sorted(Comparator.comparing(Scope::category).thenComparing(Scope::operation))
                .map(s -> new Line(s.toString(), ScopeWords.of(s))).toList();
        Instant ended = c.withdrawnAt() != null ? c.withdrawnAt() : c.expiredBy(now) ? c.validUntil() : null;
        String how = c.withdrawnAt() != null ? "Withdrawn" : c.expiredBy(now) ? "Ran out" : null;
        String notRenewable = notRenewable(c, partner, purposes, now);
        return new Grant(c.id(), c.version(), partner == null ? "partner " + c.partnerId() : partner.name(),
                partner == null ? null : partner.domain(), why, scopes, c.friendsData(), c.givenAt(), c.validUntil(),
                ended, how, notRenewable == null, notRenewable, reach);
    }

    /** The confirmation of the change just made; only known keys and the person's own partners are ever shown. */
    private static String notice(String done, String slug, java.util.Collection<PartnerName> partners) {
        if (done == null) {
            return null;
        }
        String name = partners.stream().filter(p -> p.slug().equals(slug)).map(PartnerName::name).findFirst()
                .orElse("The partner");
        return switch (done) {
            case "withdrawn" -> "You withdrew " + name + "'s access. It cannot reach your data any more, on any of our"
                    + " servers, and the tokens it held for it no longer work.";
            case "narrowed" -> "Done: " + name + " has one permission less, in force everywhere from now on.";
            case "friends-removed" -> "Done: " + name + " can no longer reach your friends' data through your consent.";
            case "renewed" -> "You renewed " + name + "'s access, with the same permissions or fewer.";
            default -> null;
        };
    }
}
