package custos.server.account;

import org.jdbi.v3.core.Jdbi;

/** The name a signed-in person is greeted by. */
public final class PersonNames {
    private final Jdbi jdbi;

    public PersonNames(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    String of(long personId) {
        return jdbi.withHandle(h -> h.createQuery("select name from people where id = :id").bind("id", personId)
                .mapTo(String.class).findOne()).orElse("person " + personId);
    }
}
