package io.tierflow.cli.train;

import io.tierflow.cli.Converters;
import io.tierflow.cli.trace.ImportSettingsOptions;
import io.tierflow.cli.trace.KafkaConnectionOptions;
import io.tierflow.cli.trace.ProgressBar;
import io.tierflow.cli.trace.SiteChoice;
import io.tierflow.cli.trace.TraceFiles;
import io.tierflow.cli.trace.TraceFormat;
import io.tierflow.cli.trace.TraceFormatOptions;
import io.tierflow.cli.trace.TraceImportException;
import io.tierflow.cli.trace.TraceSite;
import io.tierflow.cli.whatif.CatalogueReader;
import io.tierflow.cli.whatif.PolicyFiles;
import io.tierflow.cli.whatif.ReplayInput;
import io.tierflow.cli.whatif.ReplaySource;
import io.tierflow.cli.whatif.TopicReplaySource;
import io.tierflow.cli.whatif.TraceReplaySource;
import io.tierflow.cli.whatif.WhatIfCommand;
import io.tierflow.cli.whatif.WhatIfException;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Site;
import io.tierflow.streams.RecordMapping;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TieringPolicy;
import io.tierflow.streams.domain.cost.ClassPrices;
import io.tierflow.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow train}: learns "read again within the horizon" from recorded topics or a trace. This class holds
 * the options and the order of the steps: read the inputs ({@link ReplaySource}, as whatif does) into a
 * {@link LabelledTableBuilder}, split and train ({@link TrainingRun}), report ({@link TrainReport},
 * {@link CurveChart}) and, when asked, publish the chosen model ({@link ModelPublisher}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Builds a labelled table from recorded topics (--from-topics) or a trace (--trace): the "
                + "features the topology has at every access and periodically for every dataset, labelled by "
                + "whether the dataset is read again within the horizon. Trains a logistic regression and "
                + "gradient-boosted trees on the earlier part, measures them and the heuristics (recency, 24 h "
                + "count, heat, reads so far) on the later part, and writes report.json and curves.png into --out.",
                "Reads Kafka only with --from-topics; writes to it only with --publish."},
        footer = {"", "Examples:",
                "  # the CDN sample stretched to 90 days",
                "  tierflow train --trace cdn.csv --format csv --columns time=timestamp,key=cacheKey,size=objectSize "
                        + "--time-scale 64800 --out train-cdn",
                "  # what the live run recorded, published as a candidate to score in shadow",
                "  tierflow train --from-topics --publish candidate"})
public final class TrainCommand implements Callable<Integer> {
    private static final long DAY_MS = 86_400_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--trace", paramLabel = "PATH", arity = "1..*",
            description = "Trace files or directories to learn from (gzip is detected); needs --format.")
    List<Path> tracePaths = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", converter = TraceFormatOptions.FormatConverter.class,
            description = "Trace format, as import-trace takes: s3-log, libcachesim-csv, oracle-general, "
                    + "object-store or csv.")
    TraceFormatOptions.Format format;

    @Option(names = "--name", paramLabel = "NAME",
            description = "With --trace: the import's name, prefix of its keys (default: the first PATH's name).")
    String name;

    @Option(names = "--from-topics", arity = "0..1", paramLabel = "NAME", fallbackValue = "",
            description = "Learn from recorded topics: the live datasets + access-events, or with NAME the "
                    + "whatif-NAME-datasets + whatif-NAME-access-events pair import-trace made.")
    String fromTopics;

    @Option(names = "--from", paramLabel = "INSTANT", description = "With --from-topics: first event time read.")
    Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "With --from-topics: last event time read.")
    Instant to;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The policy whose half-life, op weights and horizon the features and labels use, as JSON "
                    + "in the form PUT /policies/{name} takes (default: the built-in policy).")
    Path policyFile;

    @Option(names = "--horizon", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A point is positive when its dataset is read again within this long (default: the "
                    + "policy's horizonDays).")
    Duration horizon;

    @Option(names = "--every", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Event time between two periodic evaluations of every dataset (default: ${DEFAULT-VALUE}).")
    Duration every = Duration.ofDays(1);

    @Option(names = "--max-points", paramLabel = "N",
            description = "At most about this many points; beyond it they are sampled evenly (default: "
                    + "${DEFAULT-VALUE}).")
    long maxPoints = 2_000_000;

    @Option(names = "--test-fraction", paramLabel = "F",
            description = "Share of the points, the latest, to test on (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.3;

    @Option(names = "--seed", description = "Seed of the training (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--shuffle-labels",
            description = "Shuffle the labels before training: a check that the pipeline cannot see the future "
                    + "(every ROC-AUC should then be about 0.5). Never publishes.")
    boolean shuffleLabels;

    @Option(names = "--table", description = "Also write the labelled table as table.csv.")
    boolean writeTable;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("train-out");

    @Option(names = "--publish", paramLabel = "NAME",
            description = "Publish the chosen model (best test ROC-AUC) to the models topic under NAME: candidate "
                    + "scores in shadow, current decides.")
    String publish;

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
        try {
            Topics topics = Topics.using(kafka.serdeConfig());
            TieringPolicy policy = policyFile == null ? TieringPolicy.BUILT_IN
                    : RecordMapping.policy(PolicyFiles.read(policyFile));
            long horizonMs = horizon != null ? horizon.toMillis() : Math.round(policy.horizonDays() * DAY_MS);
            Map<String, Site> sites = fromTopics != null ? CatalogueReader.latest(kafka.bootstrapServers(),
                    topics.sites, kafka.connectTimeout()) : WhatIfCommand.localSites();
            TraceSite site = importSettings.chooseSite(new ArrayList<>(sites.values()));
            ColdBreakEven breakEven = breakEven(sites.get(site.name()));
            String breakEvenClasses = site.name() + ": " + breakEven.hot().name() + " -> " + breakEven.cold().name()
                    + (breakEven.hot() == breakEven.cold() ? " (no cold class: no break-even label; choose a site "
                    + "with one by --site)" : "");
            LabelledTableBuilder builder = new LabelledTableBuilder(new LabelledTableBuilder.Settings(policy,
                    horizonMs, every.toMillis(), maxPoints, breakEven::breakEvenMs));
            ReplaySource source = source(commandLine, topics, site, err);
            source.replay(input -> {
                if (input instanceof ReplayInput.Inventory inventory && inventory.dataset() != null) {
                    builder.size(inventory.key(), inventory.dataset().getSizeBytes(), inventory.timeMs());
                } else if (input instanceof ReplayInput.Access access) {
                    builder.access(access.key(), access.timeMs(), access.event().getOp().name(),
                            access.event().getBytes(), access.event().getClientRegion(), access.event().getEventId());
                } // tombstones say nothing about reads
            });
            ProgressBar bar = new ProgressBar(err, "tierflow train: labelling", builder.inputs(), 500_000_000L,
                    System.nanoTime());
            LabelledTable table = builder.build((done, total) -> bar.update(done, done, System.nanoTime()));
            bar.finish(builder.inputs(), builder.inputs(), System.nanoTime());
            if (shuffleLabels) {
                table = table.withShuffledLabels(seed);
            }
            stdout.printf(Locale.ROOT, "tierflow train: %,d points over %d features; training on %s%n",
                    table.points().size(), table.featureNames().size(), source.description());
            stdout.flush();
            TrainingRun.Outcome outcome = TrainingRun.run(table, testFraction, seed);
            Instant trainedAt = Instant.now();
            String policyName = policyFile == null ? policy.name() : policyFile.toString();
            TrainReport report = new TrainReport(source.description(), policyName, trainedAt, table, outcome,
                    every.toMillis(), testFraction, seed, shuffleLabels, breakEvenClasses, null);
            String published = null;
            if (publish != null) {
                TrainingRun.Scored chosen = outcome.best();
                Model model = ModelRecords.of(publish, outcome.model(chosen.name()), table.featureNames(), horizonMs,
                        chosen.threshold(), report.modelMetrics(chosen), trainedAt);
                ModelPublisher.publish(kafka.bootstrapServers(), topics, model, kafka.connectTimeout());
                published = publish + " " + model.getVersion();
                report = new TrainReport(source.description(), policyName, trainedAt, table, outcome,
                        every.toMillis(), testFraction, seed, shuffleLabels, breakEvenClasses, published);
            }
            report.print(stdout);
            List<Path> written = new ArrayList<>();
            written.add(report.write(out));
            Path png = out.resolve("curves.png");
            CurveChart.write(outcome, png);
            written.add(png);
            if (writeTable) {
                Path csv = out.resolve("table.csv");
                table.writeCsv(csv);
                written.add(csv);
            }
            if (published != null) {
                stdout.println("published " + published + " to " + Topics.MODELS);
            }
            stdout.println("wrote " + written);
            return 0;
        } catch (WhatIfException | TraceImportException | IllegalArgumentException | IllegalStateException e) {
            err.println("tierflow train: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tierflow train: " + e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            err.flush();
        }
    }

    private void checkUsage(CommandLine commandLine) {
        if (tracePaths.isEmpty() == (fromTopics == null)) {
            throw new ParameterException(commandLine, "give either --trace PATH... or --from-topics");
        }
        if (!tracePaths.isEmpty() && format == null) {
            throw new ParameterException(commandLine, "--trace needs --format");
        }
        if ((from != null || to != null) && fromTopics == null) {
            throw new ParameterException(commandLine, "--from and --to are for --from-topics");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ParameterException(commandLine, "--test-fraction must be between 0 and 1, exclusive");
        }
        if (horizon != null && (horizon.isNegative() || horizon.isZero())) {
            throw new ParameterException(commandLine, "--horizon must be positive");
        }
        if (every.isNegative() || every.isZero()) {
            throw new ParameterException(commandLine, "--every must be positive");
        }
        if (maxPoints < 1) {
            throw new ParameterException(commandLine, "--max-points must be at least 1");
        }
        if (publish != null && shuffleLabels) {
            throw new ParameterException(commandLine, "--shuffle-labels trains a model on noise: it is not published");
        }
        if (publish != null && publish.isBlank()) {
            throw new ParameterException(commandLine, "--publish needs a model name, e.g. candidate or current");
        }
        importSettings.check(commandLine);
    }

    /** The break-even of the site's hot and cold classes (see {@link ColdBreakEven}). */
    private static ColdBreakEven breakEven(Site site) {
        SiteOffer offer = SiteChoice.offer(site);
        SiteOffer.StorageClassOffer hot = offer.classFor(Tier.HOT).orElseThrow(
                () -> new WhatIfException("site " + site.getName() + " has no hot storage class"));
        SiteOffer.StorageClassOffer cold = offer.classFor(Tier.COLD).orElse(hot);
        ClassPrices hotPrices = ClassPrices.of(hot);
        return new ColdBreakEven(hotPrices, cold == hot ? hotPrices : ClassPrices.of(cold));
    }

    private ReplaySource source(CommandLine commandLine, Topics topics, TraceSite site, PrintWriter err)
            throws IOException {
        if (fromTopics != null) {
            String datasets = fromTopics.isEmpty() ? Topics.DATASETS : "whatif-" + fromTopics + "-datasets";
            String events = fromTopics.isEmpty() ? Topics.ACCESS_EVENTS : "whatif-" + fromTopics + "-access-events";
            return new TopicReplaySource(kafka.bootstrapServers(), topics, datasets, events, null, from, to,
                    kafka.connectTimeout(), err, "tierflow train");
        }
        TraceFormat traceFormat = formatOptions.traceFormat(format, commandLine);
        List<Path> files = TraceFiles.list(tracePaths);
        if (files.isEmpty()) {
            throw new ParameterException(commandLine, "no files in " + tracePaths);
        }
        // No latest event time: nothing is replayed through the topology, which would refuse events past its clock.
        return new TraceReplaySource(traceFormat, files, importSettings.settings(importName(), site,
                traceFormat.idsArePaths(), null), err, () -> false, "tierflow train");
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
}
