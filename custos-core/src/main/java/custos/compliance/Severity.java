package custos.compliance;

/** How urgently a finding needs an operator: HIGH means people's data is or was reached against the rules. */
public enum Severity { HIGH, MEDIUM, LOW }
