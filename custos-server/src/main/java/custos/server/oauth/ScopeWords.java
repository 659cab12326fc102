package custos.server.oauth;

import custos.data.DataCategory;
import custos.data.Scope;

/** Each scope said in plain words, as the consent screen shows it to the person. */
public final class ScopeWords {
    private ScopeWords() {}

    public static String of(Scope scope) {
        DataCategory c = scope.category();
        return switch (scope.operation()) {
            case READ -> switch (c) {
                case PROFILE -> "See your name and the city you live in";
                case PROFILE_CONTACT -> "See your email address and phone number";
                case FRIENDS -> "See who your friends are (their names)";
                case MESSAGES -> "Read your private messages";
                case CONTACTS -> "See your address book: names, email addresses and phone numbers of people you know";
                case CALENDAR -> "See your calendar: event titles, places and times";
            };
            case WRITE -> switch (c) {
                case MESSAGES -> "Send private messages in your name";
                default -> "Change your " + noun(c);
            };
            case DELETE -> switch (c) {
                case MESSAGES -> "Delete your private messages";
                default -> "Delete your " + noun(c);
            };
        };
    }

    /** The category as a noun phrase, e.g. "address book", for sentences about the person's settings. */
    public static String noun(DataCategory c) {
        return switch (c) {
            case PROFILE -> "profile";
            case PROFILE_CONTACT -> "email address and phone number";
            case FRIENDS -> "friend list";
            case MESSAGES -> "private messages";
            case CONTACTS -> "address book";
            case CALENDAR -> "calendar";
        };
    }
}
