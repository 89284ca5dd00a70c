package io.tierflow.cli.trace;

import io.tierflow.schemas.AccessOp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CSV trace with a column mapping: which column holds the time, the object, its size, the op, the byte range.
 * Columns are named by header name or by 1-based position. Serves both libCacheSim's {@code csv} reader (columns
 * by position) and any CSV with a header (e.g. CacheLib's CDN traces). Fields may be double-quoted.
 *
 * <p>When the object's size is unknown (empty or negative), it is taken as the larger of the response body
 * ({@code response-size - response-header-size}) and {@code range-end + 1}, the least the object can be.
 */
public final class CsvTraceFormat extends LineTraceFormat {

    /** The fields a column can be mapped to, by the names {@code --columns} uses. */
    public enum Field {
        TIME("time"), KEY("key"), SIZE("size"), BYTES("bytes"), OP("op"), RANGE_START("range-start"),
        RANGE_END("range-end"), RESPONSE_SIZE("response-size"), RESPONSE_HEADER_SIZE("response-header-size"),
        LATENCY_MS("latency-ms");

        final String option;

        Field(String option) {
            this.option = option;
        }

        static Field of(String option) {
            for (Field f : values()) {
                if (f.option.equals(option.strip().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown column field '" + option + "' (known: "
                    + String.join(", ", java.util.Arrays.stream(values()).map(v -> v.option).toList()) + ")");
        }
    }

    /** Whether the first line is a header: yes, no, or yes exactly when its time column is not a number. */
    public enum Header { YES, NO, AUTO }

    private final Map<Field, String> columns;
    private final Header header;
    private final double secondsPerTimeUnit;
    private final char delimiter;

    // Resolved per file, from its header when columns are named.
    private final Map<Field, Integer> positions = new EnumMap<>(Field.class);

    /**
     * @param columns field to column, a header name or a 1-based position; time and key are required
     * @param secondsPerTimeUnit what one unit of the time column is in seconds (1 for seconds, 0.001 for ms)
     */
    public CsvTraceFormat(Map<Field, String> columns, Header header, double secondsPerTimeUnit, char delimiter) {
        if (!columns.containsKey(Field.TIME) || !columns.containsKey(Field.KEY)) {
            throw new IllegalArgumentException("the column mapping needs at least time and key");
        }
        boolean named = columns.values().stream().anyMatch(c -> !isPosition(c));
        if (named && header == Header.NO) {
            throw new IllegalArgumentException("columns named by header need a header line");
        }
        this.columns = new EnumMap<>(columns);
        this.header = named ? Header.YES : header;
        this.secondsPerTimeUnit = secondsPerTimeUnit;
        this.delimiter = delimiter;
    }

    /** libCacheSim's csv reader: columns by position, header detected. */
    public static CsvTraceFormat libCacheSim(int timeCol, int objCol, int sizeCol, int opCol, Header header,
            double secondsPerTimeUnit) {
        Map<Field, String> columns = new EnumMap<>(Field.class);
        columns.put(Field.TIME, Integer.toString(timeCol));
        columns.put(Field.KEY, Integer.toString(objCol));
        if (sizeCol > 0) {
            columns.put(Field.SIZE, Integer.toString(sizeCol));
        }
        if (opCol > 0) {
            columns.put(Field.OP, Integer.toString(opCol));
        }
        return new CsvTraceFormat(columns, header, secondsPerTimeUnit, ',');
    }

    /** Parses {@code time=timestamp,key=cacheKey,size=3} into a mapping. */
    public static Map<Field, String> parseColumns(String spec) {
        Map<Field, String> columns = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("'" + pair + "' is not field=column");
            }
            columns.put(Field.of(pair.substring(0, eq)), pair.substring(eq + 1).strip());
        }
        return columns;
    }

    @Override
    void parse(String line, long number, TraceSink sink) throws BadLineException {
        List<String> fields = split(line, delimiter);
        if (number == 1 || positions.isEmpty()) {
            if (number == 1 && isHeader(fields)) {
                resolve(fields);
                return;
            }
            if (positions.isEmpty()) {
                resolve(null);
            }
        }
        String key = field(fields, Field.KEY);
        if (key == null || key.isEmpty()) {
            throw new BadLineException("no key");
        }
        double time = parseDouble(field(fields, Field.TIME), "time") * secondsPerTimeUnit;
        String opText = field(fields, Field.OP);
        AccessOp op = opText == null ? AccessOp.GET : OpNames.parse(opText);
        long size = optional(fields, Field.SIZE);
        long rangeStart = optional(fields, Field.RANGE_START);
        long rangeEnd = optional(fields, Field.RANGE_END);
        long responseSize = optional(fields, Field.RESPONSE_SIZE);
        long responseHeader = Math.max(optional(fields, Field.RESPONSE_HEADER_SIZE), 0);
        long body = responseSize < 0 ? -1 : Math.max(responseSize - responseHeader, 0);
        if (size < 0) {
            size = Math.max(body, rangeEnd < 0 ? -1 : rangeEnd + 1);
        }
        long bytes = optional(fields, Field.BYTES);
        if (bytes < 0) {
            bytes = transferred(op, size, rangeStart, rangeEnd, body);
        }
        String latency = field(fields, Field.LATENCY_MS);
        double latencyMs = latency == null || latency.isEmpty() ? Double.NaN : parseDouble(latency, "latency");
        sink.request(new TraceRequest(time, key, op, size, bytes, latencyMs, number));
    }

    private static long transferred(AccessOp op, long size, long rangeStart, long rangeEnd, long body) {
        if (op != AccessOp.GET && op != AccessOp.PUT) {
            return 0;
        }
        if (rangeStart >= 0 && rangeEnd >= rangeStart) {
            return rangeEnd - rangeStart + 1;
        }
        if (rangeStart >= 0 && size >= 0) {
            return Math.max(size - rangeStart, 0); // open-ended range: to the end of the object
        }
        return body >= 0 ? body : size;
    }

    private boolean isHeader(List<String> fields) {
        return switch (header) {
            case YES -> true;
            case NO -> false;
            case AUTO -> {
                try {
                    int time = Integer.parseInt(columns.get(Field.TIME)) - 1;
                    Double.parseDouble(time < fields.size() ? fields.get(time) : "");
                    yield false;
                } catch (NumberFormatException e) {
                    yield true;
                }
            }
        };
    }

    private void resolve(List<String> headerFields) throws BadLineException {
        positions.clear();
        for (Map.Entry<Field, String> column : columns.entrySet()) {
            String name = column.getValue();
            if (isPosition(name)) {
                positions.put(column.getKey(), Integer.parseInt(name) - 1);
            } else {
                int index = headerFields == null ? -1 : headerFields.indexOf(name);
                if (index < 0) {
                    throw new BadLineException("the header has no column '" + name + "' for "
                            + column.getKey().option + (headerFields == null ? "" : " (it has " + headerFields + ")"));
                }
                positions.put(column.getKey(), index);
            }
        }
    }

    private String field(List<String> fields, Field field) throws BadLineException {
        Integer index = positions.get(field);
        if (index == null) {
            return null;
        }
        if (index >= fields.size()) {
            throw new BadLineException("no column " + (index + 1) + " (" + field.option + "): the line has "
                    + fields.size());
        }
        return fields.get(index).strip();
    }

    /** A numeric field, or -1 when it is unmapped, empty or negative. */
    private long optional(List<String> fields, Field field) throws BadLineException {
        String text = field(fields, field);
        if (text == null || text.isEmpty()) {
            return -1;
        }
        double value = parseDouble(text, field.option);
        return value < 0 ? -1 : (long) value;
    }

    private static boolean isPosition(String column) {
        return !column.isEmpty() && column.chars().allMatch(Character::isDigit) && Integer.parseInt(column) > 0;
    }

    /** Splits one CSV line; a field in double quotes may hold the delimiter and {@code ""} for a quote. */
    static List<String> split(String line, char delimiter) throws BadLineException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new BadLineException("unclosed quote");
        }
        fields.add(field.toString());
        return fields;
    }
}
