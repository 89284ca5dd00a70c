package io.tierflow.cli.rebalance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierflow.streams.domain.CandidateCosts;
import io.tierflow.streams.domain.DatasetEvaluator;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.placement.EstateProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The estate read from the API as a global placement problem, with what could not go into it: datasets not
 * evaluated yet (no decision to take costs from) and datasets no site may hold; by the problem's dataset index, the
 * primary each dataset's own decision chose (without any pin of an earlier pass; null if none); and the pins of
 * earlier passes the topology refused, as each dataset's decision reports them.
 */
record Estate(EstateProblem problem, int notEvaluated, int nowhere, List<String> ownPrimaries,
        SortedMap<String, Integer> refusedPinsByReason, List<RefusedPin> refusedPins) {

    /** How many refused pins the estate keeps by name (the count by reason covers them all). */
    static final int REFUSED_PINS_KEPT = 20;

    /** A pin of an earlier pass that the dataset's task refused, and why ({@code refusedBecause}). */
    record RefusedPin(String key, String site, String pass, String reason) {
    }

    static Builder builder(JsonNode sites, JsonNode policies, double headroom, long budgetBytes, long nowMs) {
        return new Builder(sites, policies, headroom, budgetBytes, nowMs);
    }

    /** The monthly cost of leaving every dataset where it is, or NaN if some may not stay (a site is down for it). */
    double currentCostUsd() {
        double total = 0.0;
        for (int i = 0; i < problem.datasets(); i++) {
            int here = problem.currentSite(i);
            if (here < 0 || !problem.feasible(i, here)) {
                return Double.NaN;
            }
            total += problem.monthlyCost(i, here);
        }
        return total;
    }

    /** How many refused pins in all. */
    int refusedPinCount() {
        return refusedPinsByReason.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The per-dataset placement's reason for refusing a site that has no room left in the task's share. */
    static final String CAPACITY = "capacity";

    /** Collects the API's answers. */
    static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final Map<String, Integer> indexByName = new HashMap<>();
        private final EstateProblem.Builder problem;
        private final Catalogue catalogue;
        private final long nowMs;
        private final List<String> ownPrimaries = new ArrayList<>();
        private final SortedMap<String, Integer> refusedByReason = new TreeMap<>();
        private final List<RefusedPin> refused = new ArrayList<>();
        private int notEvaluated;
        private int nowhere;

        private Builder(JsonNode sites, JsonNode policies, double headroom, long budgetBytes, long nowMs) {
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
            this.catalogue = new Catalogue(sites, policies);
            this.nowMs = nowMs;
            this.problem = EstateProblem.builder(names, usable.stream().mapToLong(Long::longValue).toArray(),
                    budgetBytes);
        }

        /**
         * Adds one dataset from its {@code /datasets} summary and its {@code /explain} answer: per site, the monthly
         * cost its own decision weighed (storage and expected egress) and the one-off cost of moving its primary
         * there, priced as the topology prices a move ({@link CandidateCosts#primaryMoveUsd}), under its policy's
         * horizon and hysteresis.
         *
         * @return whether it went into the problem
         */
        boolean add(JsonNode summary, JsonNode explain) {
            String key = summary.path("key").asText();
            JsonNode decision = explain.path("decision");
            JsonNode explanation = decision.path("explanation");
            JsonNode pinned = explanation.path("globalPass");
            if (pinned.isObject() && pinned.path("refusedBecause").isTextual()) {
                noteRefused(key, pinned);
            }
            JsonNode scores = explanation.path("siteScores");
            long size = summary.path("sizeBytes").asLong(0);
            Tier tier = tier(decision.path("tier"));
            if (!scores.isArray() || scores.isEmpty() || size <= 0 || tier == null) {
                notEvaluated++;
                return false;
            }
            JsonNode primary = summary.path("primarySite");
            Integer current = primary.isTextual() ? indexByName.get(primary.asText()) : null;
            DatasetEvaluator.Facts facts = facts(key, size, summary, explain);
            Map<String, SiteOffer> sites = catalogue.sitesByName();
            double[] monthly = new double[names.size()];
            double[] move = new double[names.size()];
            Arrays.fill(monthly, Double.POSITIVE_INFINITY);
            boolean anywhere = false;
            for (JsonNode score : scores) {
                Integer j = indexByName.get(score.path("site").asText());
                // The decision's moveUsd (the transfer alone, spread over the horizon) is left out: the move's whole
                // one-off cost is priced below, and the problem spreads it.
                double total = score.path("storageUsdPerMonth").asDouble(Double.NaN)
                        + score.path("egressUsdPerMonth").asDouble(Double.NaN);
                // A site refused for want of room in the task's share is a candidate here: the pass weighs the
                // sites' capacities itself, over the whole estate, and may make room there by moving others off.
                boolean allowed = score.path("feasible").asBoolean(false)
                        || CAPACITY.equals(score.path("rejectedBecause").asText(null));
                SiteOffer site = j == null ? null : sites.get(names.get(j));
                SiteOffer.StorageClassOffer storageClass = site == null ? null : site.classFor(tier).orElse(null);
                if (j != null && allowed && Double.isFinite(total) && storageClass != null) {
                    monthly[j] = total;
                    move[j] = current != null && current.equals(j) ? 0.0
                            : CandidateCosts.primaryMoveUsd(facts, site, storageClass, sites, nowMs);
                    anywhere = true;
                }
            }
            if (!anywhere) {
                nowhere++;
                return false;
            }
            Catalogue.MoveTerms terms = catalogue.termsOf(explanation.path("policyName").asText(null));
            problem.add(key, size, current == null ? -1 : current, monthly, move, terms.horizonMonths(),
                    terms.hysteresis());
            JsonNode own = pinned.isObject() ? pinned.path("ownPrimary") : decision.path("primarySite");
            ownPrimaries.add(own.isTextual() ? own.asText() : null);
            return true;
        }

        private void noteRefused(String key, JsonNode pinned) {
            String reason = pinned.path("refusedBecause").asText();
            refusedByReason.merge(reason, 1, Integer::sum);
            if (refused.size() < REFUSED_PINS_KEPT) {
                refused.add(new RefusedPin(key, pinned.path("site").asText(null), pinned.path("pass").asText(null),
                        reason));
            }
        }

        /** What the topology knows of the dataset that prices a move: where its copies are, in which class, since. */
        private static DatasetEvaluator.Facts facts(String key, long size, JsonNode summary, JsonNode explain) {
            JsonNode actual = explain.path("actual");
            List<String> replicas = new ArrayList<>();
            actual.path("replicaSites").forEach(site -> replicas.add(site.asText()));
            JsonNode primary = summary.path("primarySite");
            JsonNode storageClass = actual.path("storageClass");
            return new DatasetEvaluator.Facts(key, size, null, tier(summary.path("tier")),
                    primary.isTextual() ? primary.asText() : null, List.copyOf(replicas),
                    storageClass.isTextual() ? storageClass.asText() : null, epochMillis(explain.path("lastMoveAt")),
                    false, 0L);
        }

        private static Tier tier(JsonNode tier) {
            try {
                return tier.isTextual() ? Tier.valueOf(tier.asText()) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** An ISO-8601 instant, or 0 ("never", as the API writes null) if absent or not one. */
        private static long epochMillis(JsonNode instant) {
            try {
                return instant.isTextual() ? Instant.parse(instant.asText()).toEpochMilli() : 0L;
            } catch (DateTimeParseException e) {
                return 0L;
            }
        }

        Estate build() {
            return new Estate(problem.build(), notEvaluated, nowhere,
                    Collections.unmodifiableList(new ArrayList<>(ownPrimaries)), // nulls: not List.copyOf
                    Collections.unmodifiableSortedMap(new TreeMap<>(refusedByReason)), List.copyOf(refused));
        }
    }
}
