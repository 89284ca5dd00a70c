package io.tierflow.cli.trace;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of {@code tierflow import-trace} that say how to read a csv trace (its columns, header and time unit),
 * and the {@link TraceFormat} they make with the --format chosen. A picocli mixin of {@link ImportTraceCommand}, so
 * the options stay where they were in its help.
 */
public final class TraceFormatOptions {
    /** The formats, by the names --format takes. */
    public enum Format { S3_LOG, LIBCACHESIM_CSV, ORACLE_GENERAL, OBJECT_STORE, CSV }

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

    /**
     * The reader of {@code format} with these options.
     *
     * @throws ParameterException (a usage error of {@code commandLine}) for options that do not fit the format
     */
    public TraceFormat traceFormat(Format format, CommandLine commandLine) {
        double unit = switch (timeUnit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            default -> throw new ParameterException(commandLine, "--time-unit must be s, ms or us");
        };
        CsvTraceFormat.Header headerMode = header == null ? CsvTraceFormat.Header.AUTO
                : header ? CsvTraceFormat.Header.YES : CsvTraceFormat.Header.NO;
        if (columns != null && format != Format.CSV) {
            throw new ParameterException(commandLine, "--columns is for --format csv");
        }
        try {
            return switch (format) {
                case S3_LOG -> new S3AccessLogFormat();
                case ORACLE_GENERAL -> new OracleGeneralFormat();
                case OBJECT_STORE -> new ObjectStoreTraceFormat();
                case LIBCACHESIM_CSV -> CsvTraceFormat.libCacheSim(timeCol, objCol, sizeCol, opCol, headerMode, unit);
                case CSV -> {
                    if (columns == null) {
                        throw new ParameterException(commandLine, "--format csv needs --columns, e.g. "
                                + "time=timestamp,key=cacheKey,size=objectSize");
                    }
                    yield new CsvTraceFormat(CsvTraceFormat.parseColumns(columns), headerMode, unit, ',');
                }
            };
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage());
        }
    }

    /** Accepts the format names as written in the help: {@code s3-log}, {@code libcachesim-csv}, ... */
    public static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a format: use s3-log, "
                        + "libcachesim-csv, oracle-general, object-store or csv");
            }
        }
    }
}
