package io.tierflow.cli.whatif;

import io.tierflow.cli.trace.ImportSettingsOptions;
import io.tierflow.cli.trace.KafkaConnectionOptions;
import io.tierflow.cli.trace.TraceFiles;
import io.tierflow.cli.trace.TraceFormat;
import io.tierflow.cli.trace.TraceFormatOptions;
import io.tierflow.cli.trace.TraceImportException;
import io.tierflow.cli.trace.TraceSite;
import io.tierflow.localstack.LocalSiteCatalogue;
import io.tierflow.localstack.SiteEndpoint;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.streams.TieringSettings;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow whatif}: what other policies would have cost on recorded topics or a trace, each replayed through
 * the tiering topology itself ({@link PolicyReplay}) with a simulated migrator, never touching live topics, stores or
 * objects. This class holds the options and the order of the steps: choose the inputs and the catalogue, run
 * ({@link WhatIfRun}), report ({@link WhatIfReport}, {@link CostChart}).
 */
@Command(name = "whatif", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replays recorded topics (--from-topics) or a trace file (--trace) through the tiering "
                + "topology under each policy given, with a simulated migrator, and reports what each would have "
                + "cost: storage, requests, retrieval, egress, migration and early deletion; reads per tier and SLA "
                + "misses; moves. Prints a table and writes whatif.json, whatif.csv and whatif.png into --out.",
                "Reads Kafka (with --from-topics or --live-policy) and writes nothing to it."},
        footer = {"", "Examples:",
                "  # a bucket's S3 access logs, the live policy against two others",
                "  tierflow whatif --trace logs/ --format s3-log --live-policy --policy eager.json --policy lazy.json",
                "  # what the live run recorded, under another policy, for one week",
                "  tierflow whatif --from-topics --from 2026-11-01T00:00:00Z --to 2026-11-08T00:00:00Z "
                        + "--policy lazy.json"})
public final class WhatIfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "PATH", arity = "1..*",
            description = "Trace files or directories to replay (gzip is detected); needs --format.")
    List<Path> tracePaths = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", converter = TraceFormatOptions.FormatConverter.class,
            description = "Trace format, as import-trace takes: s3-log, libcachesim-csv, oracle-general, "
                    + "object-store or csv.")
    TraceFormatOptions.Format format;

    @Option(names = "--name", paramLabel = "NAME",
            description = "With --trace: the import's name, prefix of its keys (default: the first PATH's name).")
    String name;

    @Option(names = "--from-topics", arity = "0..1", paramLabel = "NAME", fallbackValue = "",
            description = "Replay recorded topics: the live datasets + access-events, or with NAME the "
                    + "whatif-NAME-datasets + whatif-NAME-access-events pair import-trace made.")
    String fromTopics;

    @Option(names = "--recorded-migrations",
            description = "With --from-topics: replay the live run's migration-status instead of simulating the "
                    + "migrator (reproduces the live placements under the live policy).")
    boolean recordedMigrations;

    @Option(names = "--from", paramLabel = "INSTANT", description = "With --from-topics: first event time replayed.")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT",
            description = "Last event time replayed, and the end of the period priced (default: the last input's).")
    Instant to;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "A policy to replay, as JSON in the form PUT /policies/{name} takes; repeatable.")
    List<Path> policyFiles = new ArrayList<>();

    @Option(names = "--live-policy", description = "Also replay the live policy (key default of the policies topic).")
    boolean livePolicy;

    @Option(names = "--sites", paramLabel = "SITE", split = ",",
            description = "Only these sites of the catalogue: where the policies may place copies and the baselines "
                    + "are priced, e.g. aws to compare with one provider's own rules (default: every site).")
    List<String> onlySites = new ArrayList<>();

    @Option(names = "--link-mbps", paramLabel = "MBPS",
            description = "Bandwidth of the simulated migrator between two sites, Mbit/s (default: ${DEFAULT-VALUE}).")
    double linkMbps = 1000;

    @Option(names = "--link", paramLabel = "SITE:SITE=MBPS", description = "Bandwidth of one site pair; repeatable.")
    Map<String, Double> links = new LinkedHashMap<>();

    @Option(names = "--step-ms", paramLabel = "MS",
            description = "Time each migration step takes on top of its bytes, e.g. a switch (default: "
                    + "${DEFAULT-VALUE}).")
    long stepMs = 2_000;

    @Option(names = "--fail-rate", paramLabel = "P",
            description = "Share of migration steps that fail, 0 to 1 (default: ${DEFAULT-VALUE}).")
    double failRate;

    @Option(names = "--seed", description = "Seed of the injected failures (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("whatif-out");

    @Option(names = "--config", paramLabel = "FILE",
            description = "The streams node's properties file, for the topology settings it sets (the stores).")
    Path configFile;

    @Option(names = "--sample-minutes", paramLabel = "N",
            description = "Event-time minutes between two points of the chart (default: ${DEFAULT-VALUE}).")
    long sampleMinutes = 60;

    @Mixin
    ImportSettingsOptions importSettings = new ImportSettingsOptions();

    @Mixin
    TraceFormatOptions formatOptions = new TraceFormatOptions();

    @Mixin
    KafkaConnectionOptions kafka = new KafkaConnectionOptions();

    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        PrintWriter stdout = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        checkUsage(commandLine);
        Path stateDir = null;
        try {
            boolean broker = fromTopics != null || livePolicy;
            Topics topics = Topics.using(kafka.serdeConfig());
            Map<String, Site> sites = broker ? CatalogueReader.latest(kafka.bootstrapServers(), topics.sites,
                    kafka.connectTimeout()) : localSites();
            sites = only(sites, onlySites);
            if (sites.isEmpty()) {
                throw new WhatIfException("the sites catalogue is empty: run tierflow init (or tierflow local) first");
            }
            Model model = broker ? CatalogueReader.latest(kafka.bootstrapServers(), topics.models,
                    kafka.connectTimeout()).get("current") : null;
            List<WhatIfRun.Candidate> candidates = candidates(topics);
            SimulatedMigrator migrator = recordedMigrations ? null
                    : new SimulatedMigrator(new LinkModel(linkMbps, links, stepMs), failRate, seed);
            stateDir = Files.createTempDirectory("tierflow-whatif-");
            WhatIfSetup setup = new WhatIfSetup(sites, null, model, settings(), migrator, stateDir,
                    Duration.ofMinutes(sampleMinutes));
            ReplaySource source = source(commandLine, topics, sites, err);
            long started = System.nanoTime();
            WhatIfRun.Outcome outcome = WhatIfRun.run(source, setup, candidates, to);
            double seconds = (System.nanoTime() - started) / 1e9;
            outcome.report().print(stdout);
            List<Path> written = new ArrayList<>(outcome.report().write(out));
            Path png = out.resolve("whatif.png");
            CostChart.write(outcome.report(), png);
            written.add(png);
            stdout.printf(Locale.ROOT, "%,d inputs under %d policies in %.1f s (%,.0f inputs/s, each through every policy)%s%n",
                    outcome.inputs(), candidates.size(), seconds, outcome.inputs() / Math.max(seconds, 1e-9),
                    outcome.deadLetters() == 0 ? "" : "; the topology refused " + outcome.deadLetters()
                            + " records (dead letters: e.g. events dated past the clock)");
            stdout.println("wrote " + written);
            return 0;
        } catch (WhatIfException | TraceImportException e) {
            err.println("tierflow whatif: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tierflow whatif: " + e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            err.flush();
            deleteQuietly(stateDir);
        }
    }

    private void checkUsage(CommandLine commandLine) {
        if (tracePaths.isEmpty() == (fromTopics == null)) {
            throw new ParameterException(commandLine, "give either --trace PATH... or --from-topics");
        }
        if (!tracePaths.isEmpty() && format == null) {
            throw new ParameterException(commandLine, "--trace needs --format");
        }
        if (recordedMigrations && fromTopics == null) {
            throw new ParameterException(commandLine, "--recorded-migrations is for --from-topics");
        }
        if (policyFiles.isEmpty() && !livePolicy) {
            throw new ParameterException(commandLine, "give --policy FILE (one or more) and/or --live-policy");
        }
        if (sampleMinutes < 1) {
            throw new ParameterException(commandLine, "--sample-minutes must be at least 1");
        }
        importSettings.check(commandLine);
    }

    private List<WhatIfRun.Candidate> candidates(Topics topics) {
        List<WhatIfRun.Candidate> candidates = new ArrayList<>();
        if (livePolicy) {
            Policy live = CatalogueReader.latest(kafka.bootstrapServers(), topics.policies, kafka.connectTimeout())
                    .get("default");
            if (live == null) {
                throw new WhatIfException("the policies topic has no default policy to replay (--live-policy)");
            }
            candidates.add(new WhatIfRun.Candidate("live", live));
        }
        for (Path file : policyFiles) {
            Policy policy = PolicyFiles.read(file);
            candidates.add(new WhatIfRun.Candidate(policy.getName(), policy));
        }
        return candidates;
    }

    private ReplaySource source(CommandLine commandLine, Topics topics, Map<String, Site> sites, PrintWriter err)
            throws IOException {
        if (fromTopics != null) {
            String datasets = fromTopics.isEmpty() ? Topics.DATASETS : "whatif-" + fromTopics + "-datasets";
            String events = fromTopics.isEmpty() ? Topics.ACCESS_EVENTS : "whatif-" + fromTopics + "-access-events";
            return new TopicReplaySource(kafka.bootstrapServers(), topics, datasets, events,
                    recordedMigrations ? Topics.MIGRATION_STATUS : null, from, to, kafka.connectTimeout(), err,
                    "tierflow whatif");
        }
        TraceFormat traceFormat = formatOptions.traceFormat(format, commandLine);
        List<Path> files = TraceFiles.list(tracePaths);
        if (files.isEmpty()) {
            throw new ParameterException(commandLine, "no files in " + tracePaths);
        }
        TraceSite site = importSettings.chooseSite(new ArrayList<>(sites.values()));
        // The topology refuses events dated more than its tolerance past the wall clock: say so before replaying.
        Instant latest = Instant.now().plus(TieringSettings.DEFAULT_FUTURE_TOLERANCE).minusSeconds(60);
        // Ctrl-C ends the run: half a replay prices nothing
        return new TraceReplaySource(traceFormat, files, importSettings.settings(importName(), site,
                traceFormat.idsArePaths(), latest), err, () -> false, "tierflow whatif");
    }

    private String importName() {
        if (name != null) {
            return name;
        }
        Path file = tracePaths.get(0).toAbsolutePath().normalize().getFileName();
        String stem = file == null ? "trace" : file.toString();
        int dot = stem.indexOf('.');
        return (dot > 0 ? stem.substring(0, dot) : stem).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    }

    private TieringSettings settings() throws IOException {
        if (configFile == null) {
            return TieringSettings.DEFAULTS;
        }
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(configFile)) {
            config.load(in);
        }
        try {
            return TieringSettings.from(config);
        } catch (IllegalArgumentException e) {
            throw new WhatIfException(configFile + ": " + e.getMessage());
        }
    }

    /** The sites named in {@code names} (all when none is named); an unknown name is a usage error. */
    static Map<String, Site> only(Map<String, Site> sites, List<String> names) {
        if (names.isEmpty()) {
            return sites;
        }
        Map<String, Site> chosen = new LinkedHashMap<>();
        for (String name : names) {
            Site site = sites.get(name);
            if (site == null) {
                throw new WhatIfException("--sites: no site " + name + " in the catalogue (it has " + sites.keySet()
                        + ")");
            }
            chosen.put(name, site);
        }
        return chosen;
    }

    /** Without a broker: the local stack's four sites, priced like the clouds they stand for. */
    public static Map<String, Site> localSites() {
        Map<String, Site> sites = new LinkedHashMap<>();
        for (String site : List.of("aws", "azure", "gcp", "onprem")) {
            sites.put(site, LocalSiteCatalogue.site(new SiteEndpoint(site, URI.create("http://127.0.0.1:1"),
                    "tierflow")));
        }
        return sites;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch state of the replays: left behind if it cannot be removed
        }
    }
}
