package io.tierflow.cli.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {
    @Test
    void shouldFindMetricNamesButNotFunctionsLabelsOrKeywords() {
        assertEquals(Set.of("tierflow_placement_evaluation_seconds_bucket"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(tierflow_placement_evaluation_seconds_bucket[$__rate_interval])))"));
        assertEquals(Set.of("tierflow_baseline_storage_cost_usd_per_month", "tierflow_storage_cost_usd_per_month"),
                PromQl.metricNames("sum(tierflow_baseline_storage_cost_usd_per_month) - sum without (site) "
                        + "(tierflow_storage_cost_usd_per_month{site=~\"aws|gcp\", tier!=\"hot\"})"));
        assertEquals(Set.of("a_total", "b"), PromQl.metricNames(
                "rate(a_total[5m] offset 1h) * on (job) group_left (site) b > bool 1e3 and 2.5"));
        assertEquals(Set.of("kafka_consumer_fetch_manager_records_lag"),
                PromQl.metricNames("sum by (job, topic) (kafka_consumer_fetch_manager_records_lag{topic!~\".*-changelog\"})"));
    }

    @Test
    void shouldReplaceGrafanaIntervalVariables() {
        assertEquals("rate(x[1m])", PromQl.withGrafanaVariables("rate(x[$__rate_interval])", "1m"));
        assertEquals("rate(x[2m])", PromQl.withGrafanaVariables("rate(x[${__rate_interval}])", "2m"));
    }

    @Test
    void shouldReadEveryExpressionOfTheProjectsDashboardsAndEachNamesOnlyTierflowKafkaOrJvmMetrics() throws Exception {
        List<DashboardCheck.Expression> expressions = DashboardCheck.expressions(Path.of("../grafana/dashboards"));
        assertTrue(expressions.size() >= 30, "all three dashboards' queries: " + expressions.size());
        for (DashboardCheck.Expression e : expressions) {
            Set<String> names = PromQl.metricNames(e.expr());
            assertFalse(names.isEmpty(), e.panel() + " names a metric");
            for (String name : names) {
                assertTrue(name.matches("(tierflow|kafka|jvm|process)_[a-z0-9_]+"), e.panel() + ": " + name);
            }
            assertFalse(PromQl.withGrafanaVariables(e.expr(), "1m").contains("$"), e.panel() + " uses an unknown variable");
        }
    }
}
