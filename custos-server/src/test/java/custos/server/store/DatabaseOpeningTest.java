package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import custos.world.WorldSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseOpeningTest {

    @Test
    void a_malformed_url_is_refused_in_one_line() {
        assertThatThrownBy(() -> DbConfig.external("postgres://127.0.0.1/x", "postgres", null))
                .isInstanceOf(StoreException.class)
                .hasMessage("CUSTOS_DB_URL is not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database): postgres://127.0.0.1/x");
        assertThatThrownBy(() -> DbConfig.fromEnvironment(Map.of("CUSTOS_DB_URL", "jdbc:mysql://h/db"), Path.of("data")))
                .hasMessageStartingWith("CUSTOS_DB_URL is not a PostgreSQL JDBC URL");
    }

    @Test
    void without_a_url_the_environment_means_the_embedded_store_in_the_default_folder() {
        assertThat(DbConfig.fromEnvironment(Map.of(), Path.of("data"))).isEqualTo(new DbConfig.Embedded(Path.of("data")));
        assertThat(DbConfig.fromEnvironment(Map.of("CUSTOS_DB_URL", "jdbc:postgresql://db:5432/custos", "CUSTOS_DB_USER", "app"),
                Path.of("data"))).isEqualTo(new DbConfig.External("jdbc:postgresql://db:5432/custos", "app", null));
    }

    @Test
    void an_unreachable_server_fails_fast_with_one_line() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> Database.open(DbConfig.external("jdbc:postgresql://127.0.0.1:1/custos", "postgres", null)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot reach the database at jdbc:postgresql://127.0.0.1:1/custos: ")
                .hasMessageNotContaining("\n");
        assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(15);
    }

    @Test
    void a_store_created_by_a_newer_custos_is_refused() {
        TestStores.Target server = TestStores.server();
        try {
            try (Database db = Database.open(server.config())) {
                db.jdbi().useHandle(h -> h.execute("update custos_meta set value = '99' where key = 'schema_version'"));
                db.jdbi().useHandle(h -> h.execute("update custos_meta set value = '9.0.0' where key = 'app_version'"));
            }
            assertThatThrownBy(() -> Database.open(server.config()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("this store was created by a newer Custos (9.0.0, schema 99)")
                    .hasMessageContaining("upgrade Custos");
        } finally {
            server.cleanup().run();
        }
    }

    @Test
    void a_failing_seed_leaves_nothing_written() {
        TestStores.Target server = TestStores.server();
        try (Database db = Database.open(server.config())) {
            // Every generated message is longer than this: the load fails half-way, after people and friendships.
            db.jdbi().useHandle(h -> h.execute("alter table messages add constraint tiny_messages check (length(body) < 3)"));
            assertThatThrownBy(() -> Seeder.seed(db, new WorldSpec(100, 1), false))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("seeding failed, nothing was written");
            long rows = db.jdbi().withHandle(h -> h.createQuery(
                    "select (select count(*) from partners) + (select count(*) from people) + (select count(*) from friendships)")
                    .mapTo(Long.class).one());
            assertThat(rows).isZero();
            assertThat(Seeder.isEmpty(db)).isTrue();
        } finally {
            server.cleanup().run();
        }
    }

    @Test
    void a_data_folder_of_another_postgresql_major_version_is_refused_untouched() throws Exception {
        TestStores.Target embedded = TestStores.embedded();
        try {
            Path dir = ((DbConfig.Embedded) embedded.config()).dataDir();
            java.nio.file.Files.createDirectories(dir.resolve("postgres"));
            java.nio.file.Files.writeString(dir.resolve("postgres/PG_VERSION"), "9\n");
            assertThatThrownBy(() -> Database.open(embedded.config()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("holds a PostgreSQL 9 store; this Custos runs PostgreSQL 17");
            assertThat(java.nio.file.Files.readString(dir.resolve("postgres/PG_VERSION"))).isEqualTo("9\n");
        } finally {
            embedded.cleanup().run();
        }
    }

    @Test
    void the_embedded_store_keeps_its_data_across_restarts() {
        TestStores.Target embedded = TestStores.embedded();
        try {
            try (Database db = Database.open(embedded.config())) {
                assertThat(db.description()).startsWith("embedded PostgreSQL in ");
                assertThat(Seeder.seedIfEmpty(db, 50, 9).seeded()).isTrue();
            }
            try (Database db = Database.open(embedded.config())) {
                assertThat(Seeder.seedIfEmpty(db, 50, 9).seeded()).isFalse();
                assertThat(new JdbiPeopleStore(db.jdbi()).count()).isEqualTo(50);
            }
        } finally {
            embedded.cleanup().run();
        }
    }
}
