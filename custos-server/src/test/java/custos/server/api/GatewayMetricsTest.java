package custos.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import custos.server.CustosApp;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What /metrics tells an operator after real partner requests: decisions by partner, outcome and reason; request
 * latency by registered route (never a person's id in a label); audit append latency and batch sizes; the log, policy,
 * pool, JVM and process families; HELP text on every Custos family.
 */
@Timeout(120)
class GatewayMetricsTest {
    static ApiFixture api;
    static String metrics;
    static long person;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(CustosApp.Options.on("127.0.0.1", 0));
        person = api.freshPerson();
        String token = api.token(person, "seekfar", "social-search", List.of("profile:read"), false);
        assertThat(api.get(token, "/v1/people/" + person + "/profile").statusCode()).isEqualTo(200);
        assertThat(api.get(token, "/v1/people/" + person + "/friends").statusCode()).isEqualTo(403);
        assertThat(api.get(null, "/no/such/path/" + person).statusCode()).isEqualTo(404);
        metrics = api.get(null, "/metrics").body();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static long partner(String name) {
        return api.db.jdbi().withHandle(h -> h.createQuery("select id from partners where slug = :n")
                .bind("n", name).mapTo(Long.class).one());
    }

    @Test
    void decisionsAreCountedByPartnerOutcomeAndReason() {
        long seekfar = partner("seekfar");
        assertThat(metrics).contains("custos_decisions_total{outcome=\"ALLOW\",partner=\"" + seekfar + "\",reason=\"none\"} 1.0");
        assertThat(metrics).containsPattern("custos_decisions_total\\{outcome=\"DENY\",partner=\"" + seekfar + "\",reason=\"[A-Z_]+\"} 1.0");
    }

    @Test
    void requestLatencyIsAHistogramByRegisteredRouteAndNoLabelCarriesAPersonsId() {
        assertThat(metrics).contains("custos_http_requests_seconds_bucket{method=\"GET\",route=\"/v1/people/{id}/profile\",status=\"200\",le=\"0.005\"}");
        assertThat(metrics).contains("route=\"none\",status=\"404\"");
        Matcher labels = Pattern.compile("\\{([^}]*)}").matcher(metrics);
        while (labels.find()) {
            assertThat(labels.group(1)).as("a label set").doesNotContain("/" + person);
        }
    }

    @Test
    void theAuditLogsAppendLatencyBatchSizesAndStateAreExported() {
        assertThat(metrics).containsPattern("custos_audit_append_seconds_count [1-9]");
        assertThat(metrics).containsPattern("custos_audit_batch_entries_count [1-9]");
        assertThat(metrics).containsPattern("(?m)^custos_log_entries [1-9]");
        assertThat(metrics).contains("custos_log_healthy 1.0").contains("custos_log_checkpoint_age_seconds ")
                .contains("custos_log_unsigned_entries ");
    }

    @Test
    void policyPoolJvmAndProcessFamiliesAreThere() {
        assertThat(metrics).contains("custos_policy_may_decide 1.0").contains("custos_policy_changes_behind 0.0")
                .contains("custos_policy_applied_change ");
        assertThat(metrics).contains("hikaricp_connections_active").contains("jvm_memory_used_bytes")
                .contains("jvm_gc_live_data_size_bytes").contains("process_cpu_usage").contains("process_files_open_files");
    }

    @Test
    void everySeriesTheAlertRulesAndTheDashboardNameIsExported() throws Exception {
        java.nio.file.Path deploy = java.nio.file.Path.of(System.getProperty("user.dir")).getParent().resolve("deploy");
        String rules = java.nio.file.Files.readString(deploy.resolve("prometheus/custos-alerts.yml"));
        String dashboard = java.nio.file.Files.readString(deploy.resolve("grafana/custos-dashboard.json"));
        Matcher names = Pattern.compile("\\b((?:custos|hikaricp|jvm|process)_[a-z_]+)").matcher(rules + dashboard);
        Set<String> named = new java.util.TreeSet<>();
        while (names.find()) named.add(names.group(1));
        assertThat(named).contains("custos_log_healthy", "custos_policy_changes_behind", "custos_decisions_total");
        // Exported once it first happens (a counter per flagged partner); PartnerApiTest sees it after a flag.
        named.remove("custos_bulk_extraction_flags_total");
        for (String name : named) {
            assertThat(metrics).as(name + " named by the rules or the dashboard").containsPattern("(?m)^" + name + "[{ ]");
        }
    }

    @Test
    void everyCustosFamilyHasHelpText() {
        Set<String> families = Arrays.stream(metrics.split("\n")).filter(l -> l.startsWith("# TYPE custos_"))
                .map(l -> l.split(" ")[2]).collect(Collectors.toSet());
        assertThat(families).hasSizeGreaterThan(8);
        for (String family : families) {
            assertThat(metrics).as(family).containsPattern("# HELP " + Pattern.quote(family) + " \\S.{10,}");
        }
    }
}
