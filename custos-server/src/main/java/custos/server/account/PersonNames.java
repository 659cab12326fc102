package custos.server.account;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** People's names as the account pages show them: the signed-in person's, and the friends a page mentions. */
public final class PersonNames {
    private final Jdbi jdbi;

    public PersonNames(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    String of(long personId) {
        return jdbi.withHandle(h -> h.createQuery("select name from people where id = :id").bind("id", personId)
                .mapTo(String.class).findOne()).orElse("person " + personId);
    }

    /** The names of these people, in one query; a person with no row is left out. */
    public Map<Long, String> of(Collection<Long> people) {
        if (people.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> out = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select id, name from people where id = any(:ids)")
                .bind("ids", people.toArray(Long[]::new))
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }
}
