package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every pooled connection carries the timeouts that keep one stuck transaction from hanging everything behind it. */
class SessionTimeoutsTest {
    @Test
    void pooledConnectionsEndIdleTransactionsAndLongLockWaits() {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            String idle = db.jdbi().withHandle(h -> h.createQuery("show idle_in_transaction_session_timeout").mapTo(String.class).one());
            String lock = db.jdbi().withHandle(h -> h.createQuery("show lock_timeout").mapTo(String.class).one());
            assertThat(idle).isEqualTo("1min");
            assertThat(lock).isEqualTo("10s");
        } finally {
            target.cleanup().run();
        }
    }
}
