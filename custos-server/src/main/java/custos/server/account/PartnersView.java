package custos.server.account;

import custos.server.account.PartnerAccess.Reach;
import java.time.Instant;
import java.util.List;

/**
 * The partners page: the consents in force, the partners that reached the person through a friend, and the consents
 * that ended; {@code notice} confirms the last change and {@code error} says why a form was refused (each null if none).
 */
public record PartnersView(String csrfToken, String notice, String error, List<Grant> live, List<FriendLine> friends,
                           boolean friendsWindowFull, int friendsWindow, List<Grant> ended) {

    /** One consent as the page shows it; {@code endedHow} is null for a live one. */
    public record Grant(long consentId, int version, String partnerName, String domain, List<Line> purposes,
                        List<Line> scopes, boolean friendsData, Instant since, Instant until, Instant ended,
                        String endedHow, boolean renewable, String notRenewable, Reach reach) {}

    /** A code and what it means in plain words (a purpose and its description, a scope and what it lets a partner do). */
    public record Line(String code, String words) {}

    /** A partner that reached the person's data through one friend's consent. */
    public record FriendLine(String partnerName, String friendName, String what, String category, long times,
                             Instant last) {}
}
