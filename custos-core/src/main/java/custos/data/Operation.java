package custos.data;

import java.util.Locale;

/** What a partner does with a data category; the right half of a {@link Scope}. */
public enum Operation {
    READ, WRITE, DELETE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Operation fromCode(String code) {
        for (Operation op : values()) {
            if (op.code().equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation: " + code);
    }
}
