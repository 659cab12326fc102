package custos.server.store;

/**
 * Two connection pools on one fresh database on the shared server, as two gateway instances hold them: for tests
 * of what instances count together through the store. Closing drops the database.
 */
public final class TwoPools implements AutoCloseable {
    private final TestStores.Target target = TestStores.server();
    public final Database one = Database.open(target.config());
    public final Database two = Database.open(target.config());

    @Override
    public void close() {
        try {
            one.close();
            two.close();
        } finally {
            target.cleanup().run();
        }
    }
}
