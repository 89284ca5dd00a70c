package io.tierflow.cli.dashboards;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. Hand-rolled because no Java PromQL parser is published, and what
 * the check needs is small: drop strings, label matchers, range and subquery brackets and grouping clauses, then
 * every remaining identifier that is not a function, keyword or number is a metric name.
 */
final class PromQl {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2", "start", "end");

    private PromQl() {
    }

    /** Metric names selected by {@code expr}, in order of appearance. */
    static Set<String> metricNames(String expr) {
        String stripped = STRING.matcher(expr).replaceAll("\"\"");
        stripped = MATCHERS.matcher(stripped).replaceAll(" ");
        stripped = BRACKETS.matcher(stripped).replaceAll(" ");
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(stripped);
        while (m.find()) {
            String word = m.group();
            int end = m.end();
            while (end < stripped.length() && Character.isWhitespace(stripped.charAt(end))) {
                end++;
            }
            boolean function = end < stripped.length() && stripped.charAt(end) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(stripped.charAt(m.start() - 1))
                    || stripped.charAt(m.start() - 1) == '.');
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /** Replaces Grafana's interval variables by fixed durations, so the expression runs on Prometheus as is. */
    static String withGrafanaVariables(String expr, String rateInterval) {
        return expr.replace("$__rate_interval", rateInterval).replace("${__rate_interval}", rateInterval)
                .replace("$__interval", "15s").replace("$__range", "5m");
    }
}
