package io.tierflow.cli.trace;

import io.tierflow.cli.Converters;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.Dataset;
import io.tierflow.serde.AvroSerdeConfig;
import io.tierflow.serde.SchemaRegistryException;
import io.tierflow.streams.domain.TieringPolicy;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow import-trace}: a real access trace into inventory records and access events, on topics of their
 * own (a what-if pair by default), so the same topology can be replayed over it.
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
    /** The formats, by the names --format takes. */
    public enum Format { S3_LOG, LIBCACHESIM_CSV, ORACLE_GENERAL, OBJECT_STORE, CSV }

    /** How far ahead of the clock the broker accepts timestamps by default (log.message.timestamp.after.max.ms). */
    private static final Duration BROKER_FUTURE_LIMIT = Duration.ofHours(1);

    @Spec
    CommandSpec spec;

    private final LocalStackConfig local = LocalStackConfig.defaults();

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Trace files or directories (gzip is detected).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "s3-log, libcachesim-csv, oracle-general, object-store or csv.")
    Format format;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name of the import: the topics' names, the datasets' owner and key prefix, the event ids "
                    + "(default: the first PATH's name up to its first dot).")
    String name;

    @Option(names = "--datasets-topic", paramLabel = "TOPIC",
            description = "Topic for the inventory records (default: whatif-<name>-datasets).")
    String datasetsTopic;

    @Option(names = "--events-topic", paramLabel = "TOPIC",
            description = "Topic for the access events (default: whatif-<name>-access-events).")
    String eventsTopic;

    @Option(names = "--into-live-topics",
            description = "Allow --datasets-topic/--events-topic to be the live datasets and access-events topics.")
    boolean intoLiveTopics;

    @Option(names = "--site", paramLabel = "SITE",
            description = "Site the inventory says the objects are on (default: the catalogue's baseline site, "
                    + "the cheapest meeting the built-in policy's SLA).")
    String site;

    @Option(names = "--time-scale", paramLabel = "X",
            description = "Event seconds per trace second, to stretch a short trace over day-scale rules "
                    + "(default: ${DEFAULT-VALUE}).")
    double timeScale = 1;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Event time of the first request, e.g. 2026-01-05T00:00:00Z (default: the trace's own "
                    + "time when it is a wall clock, else " + "2025-01-01T00:00:00Z).")
    Instant start;

    @Option(names = "--extent-bytes", paramLabel = "SIZE", converter = Converters.ByteSizeConverter.class,
            description = "Group block I/O into objects of SIZE: the object ids are 512-byte block numbers and the "
                    + "key is block*512/SIZE (default: no grouping).")
    long extentBytes;

    @Option(names = "--strict", description = "Stop at the first bad line.")
    boolean strict;

    @Option(names = "--show-bad-lines", paramLabel = "N",
            description = "How many bad lines to show (default: ${DEFAULT-VALUE}).")
    int showBadLines = 10;

    @Option(names = "--dry-run", description = "Read and count only; write nothing (needs no Kafka).")
    boolean dryRun;

    @Option(names = "--time-col", paramLabel = "N", description = "libcachesim-csv: time column (default: 2).")
    int timeCol = 2;

    @Option(names = "--obj-col", paramLabel = "N", description = "libcachesim-csv: object id column (default: 5).")
    int objCol = 5;

    @Option(names = "--size-col", paramLabel = "N",
            description = "libcachesim-csv: size column, 0 for none (default: 4).")
    int sizeCol = 4;

    @Option(names = "--op-col", paramLabel = "N",
            description = "libcachesim-csv: op column, 0 for none (every request a read) (default: 3).")
    int opCol = 3;

    @Option(names = "--header", negatable = true,
            description = "csv formats: the first line is (--header) or is not (--no-header) a header (default: a "
                    + "first line whose time is not a number is a header).")
    Boolean header;

    @Option(names = "--columns", paramLabel = "FIELD=COLUMN,...",
            description = "csv: which column holds each field, by header name or 1-based position. Fields: time, "
                    + "key (both required), size, bytes, op, range-start, range-end, response-size, "
                    + "response-header-size, latency-ms.")
    String columns;

    @Option(names = "--time-unit", paramLabel = "UNIT",
            description = "csv formats: unit of the time column, s, ms or us (default: ${DEFAULT-VALUE}).")
    String timeUnit = "s";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka (default: the local stack's, ${DEFAULT-VALUE}).")
    String bootstrapServers = LocalStackConfig.HOST + ":" + local.kafkaPort();

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Confluent-compatible schema registry (default: the local stack's, ${DEFAULT-VALUE}).")
    String schemaRegistryUrl = "http://" + LocalStackConfig.HOST + ":" + local.registryPort() + "/apis/ccompat/v7";

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "How long to wait for Kafka before giving up, in seconds (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds = 15;

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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TraceFormat traceFormat = traceFormat(); // usage errors first: exit 2 with the usage message
        List<Path> files;
        try {
            files = TraceFiles.list(paths);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (files.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no files in " + paths);
        }
        String importName = importName(paths.get(0));
        String datasets = datasetsTopic != null ? datasetsTopic : "whatif-" + importName + "-datasets";
        String events = eventsTopic != null ? eventsTopic : "whatif-" + importName + "-access-events";
        if (!intoLiveTopics && (List.of(Topics.DATASETS, Topics.ACCESS_EVENTS).contains(datasets)
                || List.of(Topics.DATASETS, Topics.ACCESS_EVENTS).contains(events))) {
            throw new ParameterException(spec.commandLine(), "refusing to write to the live topics "
                    + Topics.DATASETS + "/" + Topics.ACCESS_EVENTS + " without --into-live-topics");
        }
        if (datasets.equals(events)) {
            throw new ParameterException(spec.commandLine(), "the datasets and events topics must differ");
        }
        try (TraceTopics topics = dryRun ? null : TraceTopics.open(bootstrapServers, serdeConfig(),
                Duration.ofSeconds(connectTimeoutSeconds), datasets, events)) {
            TraceSite traceSite;
            ImportOutput output;
            if (topics == null) {
                traceSite = new TraceSite(site == null ? "baseline" : site, "unknown", "STANDARD", 0);
                output = new ImportOutput() {
                    @Override
                    public void dataset(Dataset dataset, long timestampMs) {
                    }

                    @Override
                    public void event(AccessEvent event) {
                    }
                };
            } else {
                for (String created : topics.created()) {
                    err.println("tierflow import-trace: created topic " + created);
                }
                try {
                    traceSite = SiteChoice.choose(topics.readSites(), site, TieringPolicy.BUILT_IN.defaultSlaMs());
                } catch (IllegalArgumentException e) {
                    throw new TraceImportException(e.getMessage());
                }
                output = topics;
            }
            TraceImporter.Settings settings = new TraceImporter.Settings(importName, traceSite, start, timeScale,
                    extentBytes, traceFormat.idsArePaths(),
                    dryRun ? null : Instant.now().plus(BROKER_FUTURE_LIMIT).minusSeconds(60), strict, showBadLines);
            TraceImporter importer = new TraceImporter(settings, output);
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
            new ImportReport(importer.summary(), files.size(), System.nanoTime() - started, datasets, events,
                    topics == null ? null : topics.acknowledged(), traceSite, timeScale).printTo(out);
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

    private TraceFormat traceFormat() {
        double unit = switch (timeUnit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            default -> throw new ParameterException(spec.commandLine(), "--time-unit must be s, ms or us");
        };
        CsvTraceFormat.Header headerMode = header == null ? CsvTraceFormat.Header.AUTO
                : header ? CsvTraceFormat.Header.YES : CsvTraceFormat.Header.NO;
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new ParameterException(spec.commandLine(), "--time-scale must be a positive number");
        }
        if (extentBytes < 0 || extentBytes % 512 != 0) {
            throw new ParameterException(spec.commandLine(), "--extent-bytes must be a multiple of 512");
        }
        if (columns != null && format != Format.CSV) {
            throw new ParameterException(spec.commandLine(), "--columns is for --format csv");
        }
        try {
            return switch (format) {
                case S3_LOG -> new S3AccessLogFormat();
                case ORACLE_GENERAL -> new OracleGeneralFormat();
                case OBJECT_STORE -> new ObjectStoreTraceFormat();
                case LIBCACHESIM_CSV -> CsvTraceFormat.libCacheSim(timeCol, objCol, sizeCol, opCol, headerMode, unit);
                case CSV -> {
                    if (columns == null) {
                        throw new ParameterException(spec.commandLine(), "--format csv needs --columns, e.g. "
                                + "time=timestamp,key=cacheKey,size=objectSize");
                    }
                    yield new CsvTraceFormat(CsvTraceFormat.parseColumns(columns), headerMode, unit, ',');
                }
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private String importName(Path firstPath) {
        String chosen = name;
        if (chosen == null) {
            Path named = firstPath.toAbsolutePath().normalize().getFileName();
            String file = named == null ? "trace" : named.toString();
            int dot = file.indexOf('.');
            chosen = (dot > 0 ? file.substring(0, dot) : file).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        }
        if (!chosen.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}")) {
            throw new ParameterException(spec.commandLine(), "--name '" + chosen + "' must be letters, digits, '.', "
                    + "'_' or '-' (it becomes part of topic names)");
        }
        return chosen;
    }

    private Map<String, Object> serdeConfig() {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    }

    /** Accepts the format names as written in the help: {@code s3-log}, {@code libcachesim-csv}, ... */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format: use s3-log, "
                        + "libcachesim-csv, oracle-general, object-store or csv");
            }
        }
    }

    static String registryMessage(SchemaRegistryException e, String url) {
        return e.isUnreachable() ? "cannot reach the schema registry at " + url
                + " (is the local stack running? --schema-registry-url if it is elsewhere)"
                : "the schema registry at " + url + " refused Tierflow's schemas: " + e.getMessage();
    }
}
