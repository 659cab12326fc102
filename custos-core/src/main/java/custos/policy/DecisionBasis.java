package custos.policy;

/**
 * The exact versions a decision was made on, so it can be replayed: agreement and consent (0 when there was
 * none), and the settings versions of the actor and of the subject (0 means the defaults, never stored).
 */
public record DecisionBasis(long agreementId, int agreementVersion, long consentId, int consentVersion,
                            int actorSettingsVersion, int subjectSettingsVersion) {
    public static final DecisionBasis NONE = new DecisionBasis(0, 0, 0, 0, 0, 0);
}
