package custos.server.keys;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The master key a store's readers unwrap person keys with, carried by its Jdbi (so every reader of
 * {@code person_keys.wrapped_key} finds it without being handed it); {@link PersonKeyWrapping#install} sets it.
 * Until then it is the process's own key ({@link MasterKey#forThisProcess()}), which only a throw-away store uses.
 */
public final class WrappedKeys implements JdbiConfig<WrappedKeys> {
    private volatile MasterKey master = MasterKey.forThisProcess();

    public WrappedKeys() {}

    private WrappedKeys(WrappedKeys other) {
        this.master = other.master;
    }

    public MasterKey master() {
        return master;
    }

    void use(MasterKey key) {
        this.master = key;
    }

    /** The person's key from its stored wrapped form; null stays null (erased, or no key yet). */
    public static byte[] unwrap(StatementContext ctx, long personId, byte[] wrapped) {
        return wrapped == null ? null : ctx.getConfig(WrappedKeys.class).master().unwrap(personId, wrapped);
    }

    public static byte[] unwrap(Handle h, long personId, byte[] wrapped) {
        return wrapped == null ? null : h.getConfig(WrappedKeys.class).master().unwrap(personId, wrapped);
    }

    @Override
    public WrappedKeys createCopy() {
        return new WrappedKeys(this);
    }
}
