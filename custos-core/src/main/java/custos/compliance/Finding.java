package custos.compliance;

/**
 * One finding: a stable {@code id} (kind, partner and what it concerns, so a resolution finds it again), its severity,
 * the partner (slug) and agreement it concerns (0 when none), a title, the evidence, the fix in words, and the
 * operator's resolution (null while open).
 */
public record Finding(String id, FindingKind kind, Severity severity, String partner, long agreementId, String title,
                      Evidence evidence, String fix, Resolution resolution) {

    public boolean open() {
        return resolution == null;
    }

    public Finding resolved(Resolution by) {
        return new Finding(id, kind, severity, partner, agreementId, title, evidence, fix, by);
    }
}
