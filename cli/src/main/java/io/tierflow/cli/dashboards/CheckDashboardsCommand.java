package io.tierflow.cli.dashboards;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tierflow check-dashboards}: the dashboards' queries against a Prometheus that scrapes a running system. */
@Command(name = "check-dashboards", mixinStandardHelpOptions = true,
        description = {"Evaluates every PromQL expression of every Grafana dashboard in a directory through "
                + "Prometheus' HTTP API, and checks that every metric it names is exported by the given /metrics "
                + "endpoints. Exits 1 if an expression returns no series or names a metric nobody exports.",
                "The last line is 'dashboards: expressions=<n> with_data=<n> missing_metrics=<n>'. "
                        + "scripts/check-dashboards starts the system and Prometheus for it."})
public final class CheckDashboardsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dashboards", paramLabel = "DIR", description = "Dashboard JSON files (default: ${DEFAULT-VALUE}).")
    Path dashboards = Path.of("grafana/dashboards");

    @Option(names = "--prometheus", paramLabel = "URL", required = true, description = "Prometheus base URL.")
    URI prometheus;

    @Option(names = "--metrics", paramLabel = "URL", required = true, split = ",",
            description = "The /metrics endpoints Prometheus scrapes, comma-separated or repeated.")
    List<URI> metrics;

    @Option(names = "--rate-interval", description = "What $__rate_interval stands for (default: ${DEFAULT-VALUE}).")
    String rateInterval = "1m";

    @Option(names = "--patience", paramLabel = "SECONDS",
            description = "How long expressions without data are asked again (default: ${DEFAULT-VALUE}).")
    long patienceSeconds = 90;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DashboardCheck check = new DashboardCheck(prometheus, metrics, rateInterval, out);
        DashboardCheck.Result result = check.run(DashboardCheck.expressions(dashboards),
                Duration.ofSeconds(patienceSeconds), Duration.ofSeconds(3));
        out.println(result.summary());
        out.flush();
        return result.passed() ? 0 : 1;
    }
}
