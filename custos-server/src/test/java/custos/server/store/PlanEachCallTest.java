package custos.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * A query with {@link PlanEachCall} is never prepared on the server, so PostgreSQL keeps no generic plan for it:
 * each call is planned for the table as it is then. Without it, the same query on the same connection is prepared
 * after a few calls and runs a kept generic plan (the control, which shows the check can fail).
 */
class PlanEachCallTest {
    private static final String POLL = "select leaf_hash from access_events where idx >= :from and idx < :to order by idx";

    @Test
    void aQueryPlannedOnEachCallLeavesNoKeptPlanOnTheConnection() {
        TestStores.Target target = TestStores.server();
        try (Database db = Database.open(target.config())) {
            db.jdbi().useHandle(h -> {
                for (int i = 0; i < 10; i++) {
                    h.createQuery(POLL).addCustomizer(PlanEachCall.INSTANCE).bind("from", i).bind("to", i + 10)
                            .mapTo(byte[].class).list();
                }
                assertThat(keptPlans(h)).as("planned on each call").isEmpty();

                for (int i = 0; i < 10; i++) {
                    h.createQuery(POLL).bind("from", i).bind("to", i + 10).mapTo(byte[].class).list();
                }
                assertThat(keptPlans(h)).as("the same query without it").isNotEmpty()
                        .allSatisfy(row -> assertThat((Long) row.get("generic_plans")).isPositive());
            });
        } finally {
            target.cleanup().run();
        }
    }

    private static List<Map<String, Object>> keptPlans(Handle h) {
        return h.createQuery("select generic_plans from pg_prepared_statements where statement like '%from access_events where idx >=%'")
                .mapToMap().list();
    }
}
