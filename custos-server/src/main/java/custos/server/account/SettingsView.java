package custos.server.account;

import java.time.Instant;
import java.util.List;

/**
 * The privacy settings page: the form for the version in force ({@code version}, 0 when the person never saved any)
 * and every earlier version with what it changed, newest first; {@code notice} and {@code error} are null if none.
 */
public record SettingsView(String csrfToken, String notice, String error, int version, List<Category> categories,
                           List<Choice> visibilities, List<Version> history) {

    /** One data category's row of the form. */
    public record Category(String code, String noun, String visibility, boolean partners, boolean friendsPartners) {}

    /** One option of "who may see it". */
    public record Choice(String value, String words) {}

    /** One stored version and what it changed against the one before. */
    public record Version(int version, Instant from, List<String> changes) {}
}
