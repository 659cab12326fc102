package custos.policy;

/** The verdict of a decision. There is no third value: what is not allowed is denied. */
public enum Outcome { ALLOW, DENY }
