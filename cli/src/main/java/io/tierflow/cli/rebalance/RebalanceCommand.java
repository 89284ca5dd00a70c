package io.tierflow.cli.rebalance;

import io.tierflow.cli.Converters;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.streams.domain.placement.InfeasibleEstateException;
import io.tierflow.topics.Topic;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow rebalance}: the global placement pass over the whole estate, read through the query API; reports
 * the objective, the LP lower bound, the gap and the moves, and with {@code --apply} hands them to the topology as
 * pinned placements on the control topic, once or {@code --every} interval from the one elected instance (issue 21).
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads every dataset through the query API (sizes and primaries from /datasets, the costs the "
                + "per-dataset placement weighed at each site from /datasets/{key}/explain, capacities from /sites), "
                + "places all primaries at once under the sites' capacities (less headroom) and a migration budget, "
                + "and reports the total monthly cost, the LP lower bound, the gap between them and the moves.",
                "A move costs once (the copy's requests and retrieval, egress between regions, the early deletion of "
                        + "the copy left, priced from /sites as the topology prices a move) and is made only if its "
                        + "saving over the dataset's policy horizon pays for that, by the policy's hysteresis; the "
                        + "report counts the datasets left because their move would not pay, and the pins of earlier "
                        + "passes the topology refused (by reason, from /explain).",
                "--dry-run only reports. --apply also publishes one REOPTIMIZE per dataset the pass moves (or keeps "
                        + "where its own decision would not) to the control topic, pinning its primary until "
                        + "--pin-for has passed; each dataset's task moves it through its own planner, within the "
                        + "migration budget and its share of the site's capacity, and falls back to its own decision "
                        + "(saying why in /explain) where the pin is not feasible. --every runs the applied pass in a "
                        + "loop, in the one instance of the --group the election chooses.",
                "The last line of each pass is 'rebalance: datasets=<n> objective_usd=<x> bound_usd=<x> gap=<x> "
                        + "...'."})
public final class RebalanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Mode {
        @Option(names = "--dry-run", required = true, description = "Report what the pass would do.")
        boolean dryRun;

        @Option(names = "--apply", required = true, description = "Publish the pass's pins to the control topic.")
        boolean apply;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    private final LocalStackConfig local = LocalStackConfig.defaults();

    @Option(names = "--api", paramLabel = "URL", description = "Query API base URL (default: ${DEFAULT-VALUE}).")
    URI api = URI.create("http://localhost:18080");

    @Option(names = "--headroom", paramLabel = "F",
            description = "Share of each site's capacity kept free (default: ${DEFAULT-VALUE}).")
    double headroom = 0.1;

    @Option(names = "--budget-bytes", paramLabel = "N",
            description = "Most bytes the pass may plan to move (evacuations not counted); default: no budget of its "
                    + "own (the topology holds every move to the policy's migration budget anyway).")
    Long budgetBytes;

    @Option(names = "--every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "With --apply: run the pass every DURATION (e.g. 1h) until stopped, in the elected "
                    + "instance only.")
    Duration every;

    @Option(names = "--pin-for", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long the pins hold (default: twice --every, else 2h).")
    Duration pinFor;

    @Option(names = "--group", paramLabel = "ID", description = "Election group of the instances running --every "
            + "(default: ${DEFAULT-VALUE}).")
    String group = "tierflow-rebalance";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, for --apply (default: the local stack's, ${DEFAULT-VALUE}).")
    String bootstrapServers = LocalStackConfig.HOST + ":" + local.kafkaPort();

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry, for --apply (default: the local stack's, "
                    + "${DEFAULT-VALUE}).")
    String schemaRegistryUrl = "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7";

    @Option(names = "--show", paramLabel = "N", description = "Moves listed (default: ${DEFAULT-VALUE}).")
    int show = 20;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = problem();
        if (problem != null) {
            err.println("rebalance: " + problem);
            return 2;
        }
        if (every != null) {
            return loop(out);
        }
        Duration holdFor = pinFor != null ? pinFor : Duration.ofHours(2);
        RebalancePass.Settings settings = new RebalancePass.Settings(api, headroom, budgetBytes, holdFor, show);
        try (PinPublisher publisher = mode.apply ? new PinPublisher(bootstrapServers, controlTopic(schemaRegistryUrl))
                : null) {
            if (new RebalancePass(settings, publisher, Clock.systemUTC()).run(out) == null) {
                err.println("rebalance: no dataset has been evaluated yet; nothing to place");
                return 1;
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("rebalance: could not read the estate from " + api + ": " + e.getMessage());
            return 1;
        } catch (InfeasibleEstateException e) {
            err.println("rebalance: " + e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            err.println("rebalance: could not publish the pins to " + bootstrapServers + ": " + e.getCause());
            return 1;
        }
    }

    /** What is wrong with the options, or null. */
    private String problem() {
        if (budgetBytes != null && budgetBytes < 0) {
            return "--budget-bytes must be >= 0";
        }
        if (every != null && !mode.apply) {
            return "--every runs the applied pass: use it with --apply";
        }
        if (every != null && (every.isNegative() || every.isZero())) {
            return "--every must be positive, got " + every;
        }
        if (pinFor != null && (pinFor.isNegative() || pinFor.isZero())) {
            return "--pin-for must be positive, got " + pinFor;
        }
        return null;
    }

    /** The applied pass every {@code every}, the first at once, until the process is stopped. */
    private int loop(PrintWriter out) throws Exception {
        Duration holdFor = pinFor != null ? pinFor : every.multipliedBy(2);
        CountDownLatch stopped = new CountDownLatch(1);
        PassElection election = new PassElection(bootstrapServers, group);
        PinPublisher publisher = new PinPublisher(bootstrapServers, controlTopic(schemaRegistryUrl));
        RebalancePass pass = new RebalancePass(new RebalancePass.Settings(api, headroom, budgetBytes, holdFor, show),
                publisher, Clock.systemUTC());
        RebalanceLoop loop = new RebalanceLoop(pass, election::elected, out, publisher, election);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loop.close();
            stopped.countDown();
        }, "tierflow-rebalance-stop"));
        out.printf("rebalance: a pass every %s in the elected instance of group %s; Ctrl-C stops%n", every, group);
        out.flush();
        // The group takes a few seconds to assign the partition: the first turn waits that long, not a whole period.
        loop.every(Duration.ofSeconds(10).compareTo(every) < 0 ? Duration.ofSeconds(10) : every, every);
        stopped.await();
        return 0;
    }

    /** The control topic's name and serdes, against the registry at {@code schemaRegistryUrl}. */
    static Topic<String, ControlCommand> controlTopic(String schemaRegistryUrl) {
        return Topics.using(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl)).control;
    }
}
