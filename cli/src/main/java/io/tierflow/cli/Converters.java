package io.tierflow.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters for the forms people type: {@code 30s}, {@code 1h30m}, {@code 16MiB}, {@code now}. */
public final class Converters {
    private Converters() {
    }

    /** A duration as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}, or ISO-8601 ({@code PT30S}). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
        private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            if (text.startsWith("p")) {
                try {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration");
                }
            }
            if (!WHOLE.matcher(text).matches()) {
                throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 30s, 5m, 1h30m, 2d "
                        + "or ISO-8601 such as PT30S");
            }
            Duration total = Duration.ZERO;
            Matcher part = PART.matcher(text);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            }
            return total;
        }
    }

    /** A byte count as {@code 1048576}, {@code 512KiB}, {@code 16MiB} or {@code 1GiB}. */
    public static final class ByteSizeConverter implements ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?");

        @Override
        public Long convert(String value) {
            Matcher matcher = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size: use e.g. 65536, 512KiB, 16MiB, 1GiB");
            }
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "b" : matcher.group(2);
            int shift = switch (unit) {
                case "kib" -> 10;
                case "mib" -> 20;
                case "gib" -> 30;
                default -> 0;
            };
            if (amount > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            return amount << shift;
        }
    }

    /** An instant in ISO-8601 ({@code 2026-03-02T00:00:00Z}) or {@code now}. */
    static final class StartConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            if (value.strip().equalsIgnoreCase("now")) {
                return Instant.now();
            }
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an instant: use e.g. 2026-03-02T00:00:00Z "
                        + "or now");
            }
        }
    }

    /** An integer from the environment, or the default when the variable is unset or blank. */
    static int intEnv(String name, int dflt) {
        String value = System.getenv(name);
        try {
            return value == null || value.isBlank() ? dflt : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, not '" + value + "'");
        }
    }
}
