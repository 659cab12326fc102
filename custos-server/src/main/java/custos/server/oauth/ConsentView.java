package custos.server.oauth;

import java.util.List;

/**
 * What the consent screen shows: who asks (partner name and the domain its answer goes to), why (purpose), for which
 * data (each scope in plain words, with a checkbox unless the person's own settings block it), whether friends' data
 * is offered, until when, and on a renewal what the person chose last time. {@code error} is shown above the form.
 */
public record ConsentView(String partnerName, String partnerDomain, String purposeDescription, String purposeCode,
                          List<ScopeLine> scopes, boolean friendsData, long lifetimeDays, String validUntil,
                          LastChoice lastChoice, String error, String csrfToken, String query) {
    public ConsentView {
        scopes = List.copyOf(scopes);
    }

    /** Whether the person consented before to this partner and purpose (the screen renews that consent). */
    public boolean renewal() {
        return lastChoice != null;
    }

    /**
     * One scope on the screen: its code (the form value), what it means, whether it starts ticked (only if the
     * person chose it last time), and, when the person's settings block it, why in words (then it has no checkbox).
     */
    public record ScopeLine(String code, String words, boolean ticked, String blockedBecause) {
        public boolean blocked() {
            return blockedBecause != null;
        }
    }

    /** What the person chose on their earlier consent: each scope in words, friends' data or not, and since when. */
    public record LastChoice(List<String> scopes, boolean friendsData, String givenOn) {
        public LastChoice {
            scopes = List.copyOf(scopes);
        }
    }
}
