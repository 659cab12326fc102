package custos.server.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of policy change the store's feed carries (the {@code kind} column of {@code policy_changes}, written by
 * the store's triggers and by the gateway). A kind this code does not know is never skipped: the follower stops
 * deciding until a Custos that knows it runs ({@link #of}), so a new trigger cannot go unapplied.
 */
enum ChangeKind {
    PARTNER("partner"),
    AGREEMENT("agreement"),
    PURPOSE("purpose"),
    CONSENT("consent"),
    SETTINGS("settings"),
    /** A friendship made or ended: {@code personId}'s friend list changed ({@code refId} the other person). */
    FRIENDS("friends"),
    WORLD_SEEDED("world_seeded"),
    OAUTH_TOKEN("oauth_token"),
    PERSON_KEY_ERASED("person_key_erased");

    private static final Map<String, ChangeKind> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(k -> k.code, Function.identity()));

    final String code;

    ChangeKind(String code) {
        this.code = code;
    }

    /** The kind of {@code code}; {@link Unknown} when this Custos does not know it. */
    static ChangeKind of(String code) {
        ChangeKind kind = BY_CODE.get(code);
        if (kind == null) {
            throw new Unknown(code);
        }
        return kind;
    }

    /** A change of a kind this Custos does not know: a newer store, or a trigger added without its reader. */
    static final class Unknown extends IllegalStateException {
        Unknown(String code) {
            super("a policy change of kind '" + code + "', which this Custos does not know; this instance stops deciding"
                    + " until one that knows it runs");
        }
    }
}
