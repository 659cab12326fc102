package custos.compliance;

import custos.partner.Purpose;
import custos.data.DataCategory;
import custos.data.Operation;
import custos.data.Scope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which scopes fit which purpose: the yardstick of the over-broad-grant finding. A purpose states a job; a scope fits
 * when that job cannot be done without it. Two rules, in this order (docs/operations.md, "Scope and purpose fit"):
 * <ol>
 *   <li>A purpose this table knows by its code fits exactly the scopes listed for it. The table covers the purposes
 *       of the reference world; each entry is the least the stated job needs (e.g. paying a friend from a
 *       conversation needs to write the payment message and to know the friend, not to read or delete messages).</li>
 *   <li>Any other purpose fits every scope except deleting or writing data that is not the partner's own kind of
 *       output: {@code messages:delete} never fits an unlisted purpose, since deleting a person's messages is no
 *       feature's side effect, and no {@code :delete} or {@code :write} of contacts, calendar or profile fits either.</li>
 * </ol>
 */
public final class ScopeFit {
    private static final Map<String, Set<String>> FITS = Map.ofEntries(
            // Sharing songs in messages: sending them, showing the thread they sit in, and tidying up what it sent.
            Map.entry("share-in-messages", Set.of("messages:read", "messages:write", "messages:delete")),
            Map.entry("listening-profile", Set.of("profile:read", "friends:read")),
            // Paying a friend from a conversation: the payment message and the friend; nothing read, nothing deleted.
            Map.entry("pay-friends-in-messages", Set.of("messages:write", "friends:read", "profile:read")),
            // Recommending a show to friends: knowing the friends and sending them the recommendation.
            Map.entry("recommend-to-friends", Set.of("friends:read", "messages:write", "profile:read")),
            Map.entry("sign-in", Set.of("profile:read")),
            Map.entry("device-integration",
                    Set.of("contacts:read", "calendar:read", "profile:read", "profile.contact:read", "friends:read")),
            Map.entry("friend-contact-sync", Set.of("profile:read", "profile.contact:read", "friends:read")),
            Map.entry("social-search", Set.of("profile:read", "friends:read")),
            Map.entry("find-friends", Set.of("profile:read", "friends:read")),
            Map.entry("invite-by-message", Set.of("messages:write", "friends:read")),
            Map.entry("event-sync", Set.of("calendar:read")),
            Map.entry("invite-friends", Set.of("friends:read", "messages:write")),
            Map.entry("leaderboard", Set.of("profile:read", "friends:read")),
            Map.entry("social-reading", Set.of("profile:read", "friends:read")),
            Map.entry("share-articles", Set.of("messages:write")),
            Map.entry("personalised-offers", Set.of("profile:read", "profile.contact:read")),
            Map.entry("gift-reminders", Set.of("friends:read", "calendar:read")),
            Map.entry("account-linking", Set.of("profile:read", "profile.contact:read")),
            Map.entry("pay-friends", Set.of("friends:read", "messages:write")),
            Map.entry("device-sync", Set.of("contacts:read", "calendar:read", "profile:read")),
            Map.entry("contact-photos", Set.of("friends:read", "profile:read")),
            Map.entry("listening-activity", Set.of("profile:read", "friends:read")),
            Map.entry("share-songs", Set.of("messages:write", "friends:read")),
            Map.entry("watch-together", Set.of("friends:read", "messages:write")),
            Map.entry("social-results", Set.of("profile:read", "friends:read")),
            Map.entry("people-search", Set.of("profile:read")),
            Map.entry("in-car-calendar", Set.of("calendar:read", "contacts:read")),
            Map.entry("driver-profile", Set.of("profile:read")));

    private ScopeFit() {}

    /** Whether {@code scope} fits the job of the purpose with this code. */
    public static boolean fits(String purposeCode, Scope scope) {
        Set<String> listed = FITS.get(purposeCode);
        if (listed != null) {
            return listed.contains(scope.toString());
        }
        if (scope.operation() == Operation.READ) {
            return true;
        }
        return scope.category() == DataCategory.MESSAGES && scope.operation() == Operation.WRITE;
    }

    /** The scopes of the purpose that do not fit its job, sorted by name. */
    public static List<String> outOfLine(Purpose purpose) {
        TreeSet<String> out = new TreeSet<>();
        for (Scope s : purpose.scopes()) {
            if (!fits(purpose.code(), s)) {
                out.add(s.toString());
            }
        }
        return List.copyOf(out);
    }
}
