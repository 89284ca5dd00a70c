package io.tierflow.cli.rebalance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierflow.streams.domain.placement.EstateProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The estate read from the API as a global placement problem, with what could not go into it: datasets not
 * evaluated yet (no decision to take costs from) and datasets no site may hold; and, by the problem's dataset index,
 * the primary each dataset's own decision chose (without any pin of an earlier pass; null if none).
 */
record Estate(EstateProblem problem, int notEvaluated, int nowhere, List<String> ownPrimaries) {

    static Builder builder(JsonNode sites, double headroom, long budgetBytes) {
        return new Builder(sites, headroom, budgetBytes);
    }

    /** The cost of leaving every dataset where it is, or NaN if some may not stay (a site is down for it). */
    double currentCostUsd() {
        double total = 0.0;
        for (int i = 0; i < problem.datasets(); i++) {
            int here = problem.currentSite(i);
            if (here < 0 || !problem.feasible(i, here)) {
                return Double.NaN;
            }
            total += problem.cost(i, here);
        }
        return total;
    }

    /** The per-dataset placement's reason for refusing a site that has no room left in the task's share. */
    static final String CAPACITY = "capacity";

    /** Collects the API's answers. */
    static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final Map<String, Integer> indexByName = new HashMap<>();
        private final EstateProblem.Builder problem;
        private final List<String> ownPrimaries = new ArrayList<>();
        private int notEvaluated;
        private int nowhere;

        private Builder(JsonNode sites, double headroom, long budgetBytes) {
            if (!(headroom >= 0 && headroom < 1)) {
                throw new IllegalArgumentException("headroom must be in [0, 1): " + headroom);
            }
            List<Long> usable = new ArrayList<>();
            for (JsonNode site : sites) {
                String name = site.path("name").asText();
                long capacity = site.path("capacityBytes").asLong(Long.MAX_VALUE);
                indexByName.put(name, names.size());
                names.add(name);
                // An unlimited site (Long.MAX_VALUE) stays unlimited; headroom applies to real capacities.
                usable.add(capacity >= Long.MAX_VALUE / 2 ? capacity : (long) Math.floor(capacity * (1 - headroom)));
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("the API lists no sites");
            }
            this.problem = EstateProblem.builder(names, usable.stream().mapToLong(Long::longValue).toArray(),
                    budgetBytes);
        }

        /**
         * Adds one dataset from its {@code /datasets} summary and its {@code /explain} answer.
         *
         * @return whether it went into the problem
         */
        boolean add(JsonNode summary, JsonNode explain) {
            String key = summary.path("key").asText();
            JsonNode scores = explain.path("decision").path("explanation").path("siteScores");
            long size = summary.path("sizeBytes").asLong(0);
            if (!scores.isArray() || scores.isEmpty() || size <= 0) {
                notEvaluated++;
                return false;
            }
            double[] cost = new double[names.size()];
            Arrays.fill(cost, Double.POSITIVE_INFINITY);
            boolean anywhere = false;
            for (JsonNode score : scores) {
                Integer j = indexByName.get(score.path("site").asText());
                double total = score.path("storageUsdPerMonth").asDouble(Double.NaN)
                        + score.path("egressUsdPerMonth").asDouble(Double.NaN) + score.path("moveUsd").asDouble(Double.NaN);
                // A site refused for want of room in the task's share is a candidate here: the pass weighs the
                // sites' capacities itself, over the whole estate, and may make room there by moving others off.
                boolean allowed = score.path("feasible").asBoolean(false)
                        || CAPACITY.equals(score.path("rejectedBecause").asText(null));
                if (j != null && allowed && Double.isFinite(total)) {
                    cost[j] = total;
                    anywhere = true;
                }
            }
            if (!anywhere) {
                nowhere++;
                return false;
            }
            JsonNode primary = summary.path("primarySite");
            Integer current = primary.isTextual() ? indexByName.get(primary.asText()) : null;
            problem.add(key, size, current == null ? -1 : current, cost);
            JsonNode decision = explain.path("decision");
            JsonNode pinned = decision.path("explanation").path("globalPass");
            JsonNode own = pinned.isObject() ? pinned.path("ownPrimary") : decision.path("primarySite");
            ownPrimaries.add(own.isTextual() ? own.asText() : null);
            return true;
        }

        Estate build() {
            return new Estate(problem.build(), notEvaluated, nowhere,
                    Collections.unmodifiableList(new ArrayList<>(ownPrimaries))); // nulls: not List.copyOf
        }
    }
}
