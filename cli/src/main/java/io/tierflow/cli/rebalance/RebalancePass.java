package io.tierflow.cli.rebalance;

import io.tierflow.streams.domain.placement.GlobalPlacement;
import io.tierflow.streams.domain.placement.GlobalPlacementSolver;
import io.tierflow.streams.domain.placement.InfeasibleEstateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * One global placement pass: reads the estate through the query API, places every primary at once
 * ({@link GlobalPlacementSolver}), prints the report and, when applying, publishes its pins ({@link PinPublisher}).
 */
final class RebalancePass {
    /**
     * What a pass is asked to do.
     *
     * @param budgetBytes most bytes the pass may plan to move (evacuations not counted); null for no budget of its own
     *     (the topology holds every move to the policy's migration budget anyway)
     * @param pinFor how long the published pins hold
     */
    record Settings(URI api, double headroom, Long budgetBytes, Duration pinFor, int show) {
    }

    /**
     * What a pass did: {@code notWorthMoving} datasets it left where they are because their move would not pay,
     * {@code pinsRefused} pins of earlier passes the topology refused; {@code pinsPublished} is 0 on a dry run.
     */
    record Outcome(String pass, int datasets, double objectiveUsd, double boundUsd, double gap, int moves,
            int notWorthMoving, int pinsRefused, int pinsPublished) {
    }

    private final Settings settings;
    private final PinPublisher publisher;
    private final Clock clock;

    /** @param publisher where the pins go; null for a dry run */
    RebalancePass(Settings settings, PinPublisher publisher, Clock clock) {
        this.settings = settings;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Runs the pass, printing its report to {@code out}.
     *
     * @return what it did; null if no dataset has been evaluated yet (nothing to place)
     * @throws IOException if the API could not be read
     * @throws InfeasibleEstateException if the estate cannot fit in the sites' capacities
     * @throws ExecutionException if a pin could not be published
     */
    Outcome run(PrintWriter out) throws IOException, InterruptedException, ExecutionException {
        Instant started = clock.instant();
        String pass = "pass-" + started.toEpochMilli();
        Estate estate = new EstateReader(settings.api()).read(settings.headroom(),
                settings.budgetBytes() == null ? Long.MAX_VALUE : settings.budgetBytes(), started.toEpochMilli());
        if (estate.problem().datasets() == 0) {
            return null;
        }
        long solving = System.nanoTime();
        GlobalPlacement placement = new GlobalPlacementSolver().solve(estate.problem());
        double solveSeconds = (System.nanoTime() - solving) / 1e9;
        List<PassPins.Pin> pins = PassPins.of(estate, placement);
        int moves = (int) pins.stream().filter(PassPins.Pin::move).count();
        int published = 0;
        if (publisher != null) {
            published = publisher.publish(pass, pins, started.plus(settings.pinFor()), started);
        }
        RebalanceReport.print(out, estate, placement, solveSeconds, settings.show(), publisher == null ? null
                : new RebalanceReport.Applied(pass, published, pins.size() - moves, started.plus(settings.pinFor())));
        return new Outcome(pass, estate.problem().datasets(), placement.objectiveUsd(), placement.boundUsd(),
                placement.gap(), moves, RebalanceReport.notWorthMoving(estate.problem(), placement).datasets(),
                estate.refusedPinCount(), published);
    }
}
