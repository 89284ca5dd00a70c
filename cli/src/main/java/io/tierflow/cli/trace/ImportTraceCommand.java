package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow import-trace}: a real access trace into inventory records and access events, on topics of their
 * own (a what-if pair by default), for a replay through the same topology (tierflow whatif, planned). This class
 * holds the order of the steps; its mixins hold the options and their rules ({@link TopicNamingOptions}, {@link ImportSettingsOptions},
 * {@link TraceFormatOptions}, {@link KafkaConnectionOptions}), {@link TraceTopics} creates and writes the topics,
 * {@link TraceFileReader} reads the files into the {@link TraceImporter}, and {@link ImportReport} says what happened.
 */
@Command(name = "import-trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Imports a real access trace as Dataset inventory records and AccessEvents into a pair of "
                + "topics: by default a fresh whatif-<name>-datasets / whatif-<name>-access-events, created like the "
                + "live ones; never the live topics unless named with --into-live-topics.",
                "Formats: s3-log (Amazon S3 server access logs, plain or gzip, a file or a directory), "
                        + "libcachesim-csv (--time-col/--obj-col/--size-col/--op-col), oracle-general (libCacheSim "
                        + "binary), object-store (IBM/SNIA: <ms> <REST.op> <objId> [size] [start end]), csv (any "
                        + "CSV with --columns).",
                "Bad lines are counted and the first ones shown with their line numbers; they stop the import only "
                        + "with --strict. Importing the same trace under the same name again gives the same event "
                        + "ids, which the topology counts once."},
        footer = {"", "Examples:",
                "  # the CacheLib CDN sample, two minutes stretched to ten days",
                "  tierflow import-trace --format csv --name cdn --time-scale 7200 \\",
                "    --columns time=timestamp,key=cacheKey,size=objectSize,range-start=rangeStart,range-end=rangeEnd,"
                        + "op=OpType,response-size=responseSize,response-header-size=responseHeaderSize \\",
                "    ../shared/traces/cachelib_cdn_first_half.csv",
                "  # CloudPhysics block I/O grouped into 1 MiB objects",
                "  tierflow import-trace --format libcachesim-csv --extent-bytes 1MiB --time-scale 720 \\",
                "    ../shared/traces/libcachesim_cloudPhysicsIO.csv",
                "  # a bucket's access logs, as they are",
                "  tierflow import-trace --format s3-log --name mybucket logs/"})
public final class ImportTraceCommand implements Callable<Integer> {
    /** How far ahead of the clock the broker accepts timestamps by default (log.message.timestamp.after.max.ms). */
    private static final Duration BROKER_FUTURE_LIMIT = Duration.ofHours(1);

    /** Where a dry run's records go: nowhere. */
    private static final ImportOutput DISCARD = new ImportOutput() {
        @Override
        public void dataset(Dataset dataset, long timestampMs) {
        }

        @Override
        public void event(AccessEvent event) {
        }
    };

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Trace files or directories (gzip is detected).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            converter = TraceFormatOptions.FormatConverter.class,
            description = "s3-log, libcachesim-csv, oracle-general, object-store or csv.")
    TraceFormatOptions.Format format;

    // The mixins sit where their options stood in the help, which lists options in declaration order.
    @Mixin
    TopicNamingOptions naming = new TopicNamingOptions();

    @Mixin
    ImportSettingsOptions importSettings = new ImportSettingsOptions();

    @Option(names = "--dry-run", description = "Read and count only; write nothing (needs no Kafka).")
    boolean dryRun;

    @Mixin
    TraceFormatOptions formatOptions = new TraceFormatOptions();

    @Mixin
    KafkaConnectionOptions kafka = new KafkaConnectionOptions();

    /** Set by Ctrl-C: the read stops, what was sent is flushed and the summary printed. */
    private volatile boolean stopRequested;

    @Override
    public Integer call() {
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            stopRequested = true;
            try {
                finished.await(30, TimeUnit.SECONDS); // let the import flush and report before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tierflow-import-trace-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            return importTrace();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and waits for us
            }
        }
    }

    private int importTrace() {
        CommandLine commandLine = spec.commandLine();
        PrintWriter out = commandLine.getOut();
        PrintWriter err = commandLine.getErr();
        // usage errors first: exit 2 with the usage message
        importSettings.check(commandLine);
        TraceFormat traceFormat = formatOptions.traceFormat(format, commandLine);
        List<Path> files;
        try {
            files = TraceFiles.list(paths);
        } catch (IOException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
        if (files.isEmpty()) {
            throw new ParameterException(commandLine, "no files in " + paths);
        }
        TopicNamingOptions.Names names = naming.names(paths.get(0), commandLine);
        try (TraceTopics topics = dryRun ? null : kafka.open(names.datasetsTopic(), names.eventsTopic())) {
            TraceSite traceSite;
            if (topics == null) {
                traceSite = importSettings.unreadSite();
            } else {
                for (String created : topics.created()) {
                    err.println("tierflow import-trace: created topic " + created);
                }
                traceSite = importSettings.chooseSite(topics.readSites());
            }
            TraceImporter.Settings settings = importSettings.settings(names.importName(), traceSite,
                    traceFormat.idsArePaths(),
                    dryRun ? null : Instant.now().plus(BROKER_FUTURE_LIMIT).minusSeconds(60));
            TraceImporter importer = new TraceImporter(settings, topics == null ? DISCARD : topics);
            long started = System.nanoTime();
            String failure = null;
            try {
                TraceFileReader.read(traceFormat, files, importer, err, () -> stopRequested);
            } catch (TraceImportException e) {
                failure = e.getMessage();
            }
            if (topics != null) {
                topics.flush();
                String sendFailure = topics.failure();
                failure = failure != null ? failure : sendFailure;
            }
            new ImportReport(importer.summary(), files.size(), System.nanoTime() - started, names.datasetsTopic(),
                    names.eventsTopic(), topics == null ? null : topics.acknowledged(), traceSite,
                    settings.timeScale()).printTo(out);
            if (failure != null) {
                err.println("tierflow import-trace: " + failure);
                return 1;
            }
            return 0;
        } catch (TraceImportException e) {
            err.println("tierflow import-trace: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tierflow import-trace: could not read the trace: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
