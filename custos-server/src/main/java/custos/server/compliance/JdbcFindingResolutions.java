package custos.server.compliance;

import custos.compliance.FindingResolutions;
import custos.compliance.Resolution;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Operators' resolutions of findings in PostgreSQL (V70), the latest per finding id winning. */
public final class JdbcFindingResolutions implements FindingResolutions {
    private final Jdbi jdbi;

    public JdbcFindingResolutions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void resolve(Resolution r) {
        jdbi.useHandle(h -> record(h, r));
    }

    /** Records a resolution inside the caller's transaction (the console's operator action, with its log entry). */
    public static void record(org.jdbi.v3.core.Handle h, Resolution r) {
        h.createUpdate("""
                        insert into finding_resolutions (finding_id, resolved_at, actor, note)
                        values (:id, :at, :actor, :note)""")
                .bind("id", r.findingId()).bind("at", JdbcRecertificationStore.utc(r.at())).bind("actor", r.actor())
                .bind("note", r.note()).execute();
    }

    @Override
    public Map<String, Resolution> latest() {
        Map<String, Resolution> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        select distinct on (finding_id) finding_id, resolved_at, actor, note from finding_resolutions
                        order by finding_id, resolved_at desc, id desc""")
                .map((rs, ctx) -> new Resolution(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4)))
                .forEach(r -> out.put(r.findingId(), r)));
        return out;
    }
}
