package custos.server.keys;

import java.util.List;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Puts the master key to use on a store, before anything reads or writes a person key: refuses a master key that is
 * not the one the store's keys were wrapped with (its check value, {@code master_key_check}), records the check value
 * of the first one, and wraps the keys a store from before issue 15 kept in the clear ({@code person_keys.aes_key}),
 * dropping that column in the same transaction, so no clear key is left and none is ever lost on the way.
 */
public final class PersonKeyWrapping {
    private static final Logger LOG = Logger.getLogger(PersonKeyWrapping.class.getName());

    private PersonKeyWrapping() {}

    public static void install(Jdbi jdbi, MasterKey master) {
        jdbi.useTransaction(h -> {
            h.execute("lock table master_key_check in exclusive mode");
            var stored = h.createQuery("select check_value from master_key_check").mapTo(byte[].class).findOne();
            if (stored.isPresent() && !master.matches(stored.get())) {
                throw new KeyFileException("the master key (setting " + KeySource.MASTER_SETTING
                        + ") is not the one this store's person keys were wrapped with; start with that key");
            }
            if (stored.isEmpty()) {
                h.createUpdate("insert into master_key_check (check_value) values (:c)").bind("c", master.checkValue()).execute();
            }
            boolean clearColumn = h.createQuery("""
                    select exists (select 1 from information_schema.columns
                                   where table_name = 'person_keys' and column_name = 'aes_key' and table_schema = current_schema())""")
                    .mapTo(Boolean.class).one();
            if (!clearColumn) {
                return;
            }
            h.execute("lock table person_keys in exclusive mode");
            List<Object[]> clear = h.createQuery("select person_id, aes_key from person_keys where aes_key is not null")
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).list();
            PreparedBatch batch = h.prepareBatch("update person_keys set wrapped_key = :w, aes_key = null where person_id = :p");
            for (Object[] row : clear) {
                long person = (Long) row[0];
                batch.bind("w", master.wrap(person, (byte[]) row[1])).bind("p", person).add();
            }
            if (!clear.isEmpty()) {
                batch.execute();
            }
            h.execute("alter table person_keys drop column aes_key");
            LOG.warning("wrapped " + clear.size() + " person keys kept in the clear with the master key and dropped"
                    + " person_keys.aes_key: the store holds no clear person key any more");
        });
        jdbi.getConfig(WrappedKeys.class).use(master);
    }
}
