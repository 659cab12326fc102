package custos.audit;

/**
 * What a log entry's canonical bytes are, told by their first byte. Access events keep their version bytes (1 and 2,
 * {@link EventCodec}) so every entry and receipt written before stays as it is; other kinds take codes of their own
 * from 16 up. Decision inputs committed as entries of their own (consent given or withdrawn, settings versions,
 * agreement and purpose changes: issue 15) take the free codes 17 to 31, each with its own codec, and a reader that
 * meets a code it does not know says so rather than guessing.
 */
public enum LogEntryKind {
    /** A partner's access, allowed or denied ({@link EventCodec}, versions 1 and 2). */
    ACCESS_EVENT,
    /** An operator's change to partners, clients, agreements or purposes ({@link OperatorActionCodec}). */
    OPERATOR_ACTION,
    /** A decision input: a person's consents, settings and friends, or a partner's agreements ({@code custos.audit.inputs}). */
    DECISION_INPUT;

    /** The first byte of an operator action's canonical bytes. */
    public static final int OPERATOR_ACTION_V1 = 16;
    /** The first byte of a person's decision inputs (sealed under the person's key). */
    public static final int PERSON_INPUTS_V1 = 17;
    /** The first byte of a partner's decision inputs (public). */
    public static final int PARTNER_INPUTS_V1 = 18;

    /** The kind of an entry from its canonical bytes; an unknown code is an {@link IllegalArgumentException}. */
    public static LogEntryKind of(byte[] canonical) {
        if (canonical.length == 0) {
            throw new IllegalArgumentException("empty entry bytes");
        }
        int code = canonical[0] & 0xFF;
        if (code == EventCodec.VERSION || code == EventCodec.VERSION_1 || code == EventCodec.VERSION_3
                || code == EventCodec.VERSION_4) {
            return ACCESS_EVENT;
        }
        if (code == OPERATOR_ACTION_V1) {
            return OPERATOR_ACTION;
        }
        if (code == PERSON_INPUTS_V1 || code == PARTNER_INPUTS_V1) {
            return DECISION_INPUT;
        }
        throw new IllegalArgumentException("unknown log entry code " + code);
    }
}
