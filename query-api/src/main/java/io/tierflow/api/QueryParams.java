package io.tierflow.api;

import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The read endpoints' query parameters, checked: a bad one is a 400 that says what is expected. */
final class QueryParams {
    private QueryParams() {
    }

    /** The partitions a {@code scope=local} request asks this instance to answer for. */
    static Set<Integer> partitions(Context ctx) {
        String raw = ctx.queryParam("partitions");
        if (raw == null) {
            throw ApiException.badRequest("scope=local needs partitions=<p,...>");
        }
        try {
            return raw.isEmpty() ? Set.of() : Arrays.stream(raw.split(",")).map(Integer::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("partitions must be comma-separated partition numbers, not '" + raw + "'");
        }
    }

    /** Whether the request asks for this instance's own share of a list ({@code scope=local}), not the whole. */
    static boolean isLocal(Context ctx) {
        return ReadHandlers.SCOPE_LOCAL.equals(ctx.queryParam("scope"));
    }

    /** An integer parameter within [min, max], {@code dflt} when absent. */
    static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return dflt;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max + ", not '" + raw + "'");
    }

    /** An enum parameter by name, case-insensitive; null when absent. */
    static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + raw + "'");
        }
    }
}
