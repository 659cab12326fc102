package custos.server.oauth;

import java.util.List;

/**
 * What the consent screen shows: who asks (partner), why (purpose), for which data (each scope in plain words, with
 * a checkbox), whether friends' data is included, and until when. {@code renewal} says the person consented before.
 */
public record ConsentView(String partnerName, String purposeDescription, String purposeCode, List<ScopeLine> scopes,
                          boolean friendsData, long lifetimeDays, String validUntil, boolean renewal, String csrfToken,
                          String query) {
    public ConsentView {
        scopes = List.copyOf(scopes);
    }

    /** One scope on the screen: its code (the form value) and what it means. */
    public record ScopeLine(String code, String words) {}
}
