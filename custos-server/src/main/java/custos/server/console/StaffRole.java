package custos.server.console;

/** What a member of the console's staff may do: an operator acts, an auditor reads (counts, ids, reasons; never data bodies). */
public enum StaffRole {
    OPERATOR, AUDITOR;

    /** The role named on a command line or in a form, case-insensitive; anything else is refused in one line. */
    public static StaffRole parse(String text) {
        for (StaffRole r : values()) {
            if (r.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return r;
            }
        }
        throw new ActionRefused(ActionRefused.Why.INVALID, "role must be operator or auditor, got: " + text);
    }
}
