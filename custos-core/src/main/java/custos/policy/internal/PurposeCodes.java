package custos.policy.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A small int per purpose code string, so a consent's purposes fit in one {@code long} of bits. Codes are handed
 * out by the view's single writer and never change or go away; readers look up without locking.
 */
public final class PurposeCodes {
    /** What {@link #codeOf} answers for a purpose no consent has ever named. */
    public static final int UNKNOWN = -1;

    private final ConcurrentHashMap<String, Integer> codes = new ConcurrentHashMap<>();

    public int codeOf(String purpose) {
        Integer code = codes.get(purpose);
        return code == null ? UNKNOWN : code;
    }

    /** The code of {@code purpose}, given a new one if it had none. Writers only, one at a time. */
    public int register(String purpose) {
        Integer code = codes.get(purpose);
        if (code == null) {
            code = codes.size();
            codes.put(purpose, code);
        }
        return code;
    }
}
