package custos.server.account;

import custos.people.CategorySetting;
import custos.people.PrivacySettings;
import custos.people.SettingsStore;
import custos.people.Visibility;
import custos.data.DataCategory;
import custos.server.http.WebFeature;
import custos.server.oauth.ScopeWords;
import custos.server.oauth.Session;
import custos.server.oauth.Sessions;
import custos.server.pages.Form;
import custos.server.pages.Pages;
import custos.server.policy.SettingsChanges;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * "Privacy settings" ({@code GET/POST /account/settings}): per data category who may see it, whether partners may
 * reach it and whether friends' partners may; one form saves them all as a new version through the change barrier,
 * so every gateway instance decides on it when the page answers. The page lists every version with what it changed.
 * The form carries the version it was drawn from: a form older than the settings in force changes nothing.
 */
public final class SettingsPage implements WebFeature {
    public static final String PATH = "/account/settings";
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,9}");
    private static final String YES = "yes";

    private final Pages pages;
    private final SignedIn signedIn;
    private final SettingsStore settings;
    private final SettingsChanges changes;
    private final Clock clock;

    public SettingsPage(Pages pages, Sessions sessions, SettingsStore settings, SettingsChanges changes, Clock clock) {
        this.pages = pages;
        this.signedIn = new SignedIn(sessions);
        this.settings = settings;
        this.changes = changes;
        this.clock = clock;
    }

    @Override
    public void register(HttpRouting.Builder routing) {
        routing.get(PATH, this::show).post(PATH, this::save);
    }

    private void show(ServerRequest req, ServerResponse res) {
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        String notice = switch (req.query().first("done").orElse("")) {
            case "saved" -> "Your settings are saved and in force everywhere from now on.";
            case "unchanged" -> "Nothing to save: your settings were already these.";
            default -> null;
        };
        pages.send(res, "account/settings.jte", view(session.get(), notice, null));
    }

    private void save(ServerRequest req, ServerResponse res) {
        Form form = Form.of(req);
        Optional<Session> session = signedIn.require(req, res);
        if (session.isEmpty()) {
            return;
        }
        if (!session.get().csrfMatches(form.first("csrf"))) {
            refuse(res, session.get(), Status.FORBIDDEN_403, "This form did not come from your settings page, or it has"
                    + " expired. Nothing was changed; please try again.");
            return;
        }
        long person = session.get().personId();
        PrivacySettings current = settings.current(person);
        String version = form.first("version");
        if (version == null || !VERSION.matcher(version).matches()) {
            refuse(res, session.get(), Status.BAD_REQUEST_400, "That form is not one of this page's. Nothing was changed.");
            return;
        }
        if (Integer.parseInt(version) != current.version()) {
            refuse(res, session.get(), Status.CONFLICT_409, "Your settings changed after you opened this page (perhaps in"
                    + " another window), so nothing was saved. Here they are as they stand now; please choose again.");
            return;
        }
        Map<DataCategory, CategorySetting> next = new EnumMap<>(DataCategory.class);
        for (DataCategory c : DataCategory.values()) {
            Optional<Visibility> visibility = visibility(form.first("visibility." + c.code()));
            Optional<Boolean> partners = box(form, "partners." + c.code());
            Optional<Boolean> friendsPartners = box(form, "friends-partners." + c.code());
            if (visibility.isEmpty() || partners.isEmpty() || friendsPartners.isEmpty()) {
                refuse(res, session.get(), Status.BAD_REQUEST_400, "The answer for your " + ScopeWords.noun(c)
                        + " is not one this page offers. Nothing was changed.");
                return;
            }
            next.put(c, new CategorySetting(visibility.get(), partners.get(), friendsPartners.get()));
        }
        boolean same = Arrays.stream(DataCategory.values()).allMatch(c -> current.of(c).equals(next.get(c)));
        if (!same) {
            changes.change(person, next, clock.instant());
        }
        SignedIn.redirect(res, PATH + "?done=" + (same ? "unchanged" : "saved"));
    }

    private static Optional<Visibility> visibility(String value) {
        return Arrays.stream(Visibility.values()).filter(v -> v.name().equals(value)).findFirst();
    }

    /** A checkbox: absent is no, "yes" is yes, anything else (or more than one value) is not this page's form. */
    private static Optional<Boolean> box(Form form, String name) {
        List<String> values = form.all(name);
        if (values.isEmpty()) {
            return Optional.of(false);
        }
        return values.size() == 1 && YES.equals(values.get(0)) ? Optional.of(true) : Optional.empty();
    }

    private void refuse(ServerResponse res, Session session, Status status, String message) {
        res.status(status);
        pages.send(res, "account/settings.jte", view(session, null, message));
    }

    private SettingsView view(Session session, String notice, String error) {
        long person = session.personId();
        List<PrivacySettings> versions = settings.history(person);
        PrivacySettings current = versions.isEmpty() ? settings.current(person) : versions.get(versions.size() - 1);
        List<SettingsView.Category> rows = new ArrayList<>();
        for (DataCategory c : DataCategory.values()) {
            CategorySetting s = current.of(c);
            rows.add(new SettingsView.Category(c.code(), ScopeWords.noun(c), s.visibility().name(), s.partnersMayReach(),
                    s.friendsPartnersMayReach()));
        }
        List<SettingsView.Choice> choices = Arrays.stream(Visibility.values())
                .map(v -> new SettingsView.Choice(v.name(), words(v))).toList();
        List<SettingsView.Version> history = new ArrayList<>();
        PrivacySettings before = new PrivacySettings(person, 0, java.time.Instant.EPOCH, Map.of());
        for (PrivacySettings v : versions) {
            history.add(0, new SettingsView.Version(v.version(), v.effectiveFrom(), changes(before, v)));
            before = v;
        }
        return new SettingsView(session.csrfToken(), notice, error, current.version(), rows, choices, history);
    }

    /** What {@code after} changed against {@code before}, one sentence per category that changed. */
    static List<String> changes(PrivacySettings before, PrivacySettings after) {
        List<String> out = new ArrayList<>();
        for (DataCategory c : DataCategory.values()) {
            CategorySetting a = before.of(c);
            CategorySetting b = after.of(c);
            List<String> parts = new ArrayList<>();
            if (a.visibility() != b.visibility()) {
                parts.add("who may see it: " + words(a.visibility()) + " → " + words(b.visibility()));
            }
            if (a.partnersMayReach() != b.partnersMayReach()) {
                parts.add(b.partnersMayReach() ? "partners may now reach it" : "partners may no longer reach it");
            }
            if (a.friendsPartnersMayReach() != b.friendsPartnersMayReach()) {
                parts.add(b.friendsPartnersMayReach() ? "friends' partners may now reach it"
                        : "friends' partners may no longer reach it");
            }
            if (!parts.isEmpty()) {
                out.add("Your " + ScopeWords.noun(c) + ": " + String.join("; ", parts) + ".");
            }
        }
        if (out.isEmpty()) {
            out.add("Saved with no change.");
        }
        return out;
    }

    static String words(Visibility v) {
        return switch (v) {
            case ONLY_ME -> "only you";
            case FRIENDS -> "your friends";
            case PUBLIC -> "everyone";
        };
    }
}
