package custos.data;

import java.util.Arrays;
import java.util.List;

/** A kind of personal data a partner can ask for; the left half of a {@link Scope}. */
public enum DataCategory {
    PROFILE("profile", List.of("id", "name", "city")),
    PROFILE_CONTACT("profile.contact", List.of("id", "email", "phone")),
    FRIENDS("friends", List.of("id", "name")),
    MESSAGES("messages", List.of("id", "threadId", "senderId", "body", "sentAt")),
    CONTACTS("contacts", List.of("id", "name", "email", "phone")),
    CALENDAR("calendar", List.of("id", "title", "location", "startsAt", "endsAt"));

    private final String code;
    private final List<String> fields;

    DataCategory(String code, List<String> fields) {
        this.code = code;
        this.fields = fields;
    }

    /** The stable name used in scopes, settings and the API, e.g. {@code profile.contact}. */
    public String code() {
        return code;
    }

    /** The record fields this category exposes; data returned to a partner is cut to these. */
    public List<String> fields() {
        return fields;
    }

    public static DataCategory fromCode(String code) {
        return Arrays.stream(values())
                .filter(c -> c.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown data category: " + code));
    }
}
