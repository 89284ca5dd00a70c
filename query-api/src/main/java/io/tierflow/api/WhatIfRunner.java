package io.tierflow.api;

import io.tierflow.schemas.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs what-if comparisons for the console ({@code POST /whatif/runs}): policies replayed over the recorded
 * {@code access-events} of a time range, on a background thread, one run at a time. The API only asks; the engine is
 * the CLI's ({@code tierflow whatif}), which implements this over the recorded topics, so query-api does not depend on
 * it. An implementation must never write to a live topic, store or object.
 */
public interface WhatIfRunner extends AutoCloseable {
    /**
     * Starts a run in the background.
     *
     * @return the run's id, for {@link #status}
     * @throws Busy when a run is still going on this node
     */
    String start(Request request);

    /** A run's status, with its result once it has succeeded; empty for an id this runner does not know (any more). */
    Optional<Status> status(String id);

    /** The id of the run started last, if any (so a page opened later finds it). */
    Optional<String> latest();

    /** The most access events one run replays: a longer range is narrowed to its latest events. */
    long maxEvents();

    /** Stops a run still going; the node calls it when it stops. */
    @Override
    void close();

    /** A policy to replay and the name of its row. */
    record Candidate(String name, Policy policy) {
    }

    /** What to compare: the policies, over the events recorded in {@code [from, to]}. */
    record Request(List<Candidate> candidates, Instant from, Instant to) {
        public Request {
            candidates = List.copyOf(candidates);
        }
    }

    enum State { RUNNING, SUCCEEDED, FAILED }

    /**
     * How far a run is.
     *
     * @param phase what it is doing, in words
     * @param inputsRead inventory records and events handed to the replays so far
     * @param inputsExpected how many the range holds, as far as known (0 until counted)
     */
    record Progress(String phase, long inputsRead, long inputsExpected) {
    }

    /**
     * @param error why a FAILED run failed; null otherwise
     * @param result the comparison once SUCCEEDED; null otherwise
     */
    record Status(String id, State state, Instant startedAt, Instant finishedAt, Progress progress, String error,
            Result result) {
    }

    /**
     * The comparison: one row per policy, then the baselines, then the offline optimum (every cost in USD over the
     * period).
     *
     * @param source what was replayed
     * @param from the start of the period priced
     * @param to its end
     * @param note what the reader should know about the range (e.g. narrowed to the last events), or null
     * @param optimumUsd the offline optimum's cost, or null when it could not be priced
     */
    record Result(String source, Instant from, Instant to, String note, Double optimumUsd, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }
    }

    enum RowKind { POLICY, BASELINE, OPTIMUM }

    /**
     * One row. The reads, misses and moves are known only for replayed policies (null for the baselines and the
     * optimum, which are priced per object).
     *
     * @param cumulative the cumulative cost over event time (empty for the baselines and the optimum)
     */
    record Row(String name, RowKind kind, double totalUsd, double storageUsd, double requestsUsd, double retrievalUsd,
            double egressUsd, double migrationUsd, double earlyDeletionUsd, double monitoringUsd,
            Map<String, Long> getsByTier, Long slaMisses, Long moves, Long bytesMoved, Double costVsOptimum,
            List<Sample> cumulative) {
    }

    /** The cumulative cost at an event time. */
    record Sample(long timeMs, double totalUsd) {
    }

    /** A run is going: one at a time per node. */
    final class Busy extends RuntimeException {
        private final String runningId;

        public Busy(String runningId) {
            super("a what-if (run " + runningId + ") is still running on this node: one at a time", null, false,
                    false);
            this.runningId = runningId;
        }

        public String runningId() {
            return runningId;
        }
    }
}
