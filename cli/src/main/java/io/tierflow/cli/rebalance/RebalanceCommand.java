package io.tierflow.cli.rebalance;

import io.tierflow.streams.domain.placement.GlobalPlacement;
import io.tierflow.streams.domain.placement.GlobalPlacementSolver;
import io.tierflow.streams.domain.placement.InfeasibleEstateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tierflow rebalance --dry-run}: the global placement pass over the whole estate, read through the query API;
 * reports the objective, the LP lower bound, the gap and the moves it would make (issue 21).
 */
@Command(name = "rebalance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads every dataset through the query API (sizes and primaries from /datasets, the costs the "
                + "per-dataset placement weighed at each site from /datasets/{key}/explain, capacities from /sites), "
                + "places all primaries at once under the sites' capacities (less headroom) and a migration budget, "
                + "and reports the total monthly cost, the LP lower bound, the gap between them and the moves.",
                "Only --dry-run is built: applying the moves (as pinned placements through the control topic) is "
                        + "planned. The last line is 'rebalance: datasets=<n> objective_usd=<x> bound_usd=<x> "
                        + "gap=<x> ...'."})
public final class RebalanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "URL", description = "Query API base URL (default: ${DEFAULT-VALUE}).")
    URI api = URI.create("http://localhost:18080");

    @Option(names = "--dry-run", description = "Report what the pass would do; required (applying is not built).")
    boolean dryRun;

    @Option(names = "--headroom", paramLabel = "F",
            description = "Share of each site's capacity kept free (default: ${DEFAULT-VALUE}).")
    double headroom = 0.1;

    @Option(names = "--budget-bytes", paramLabel = "N",
            description = "Most bytes the pass may move (evacuations not counted); default: no budget.")
    Long budgetBytes;

    @Option(names = "--show", paramLabel = "N", description = "Moves listed (default: ${DEFAULT-VALUE}).")
    int show = 20;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (!dryRun) {
            err.println("rebalance: only --dry-run is built; applying the moves is planned (see DESIGN.md)");
            return 2;
        }
        if (budgetBytes != null && budgetBytes < 0) {
            err.println("rebalance: --budget-bytes must be >= 0");
            return 2;
        }
        Estate estate;
        try {
            estate = new EstateReader(api).read(headroom, budgetBytes == null ? Long.MAX_VALUE : budgetBytes);
        } catch (IOException | IllegalArgumentException e) {
            err.println("rebalance: could not read the estate from " + api + ": " + e.getMessage());
            return 1;
        }
        if (estate.problem().datasets() == 0) {
            err.println("rebalance: no dataset has been evaluated yet; nothing to place");
            return 1;
        }
        long started = System.nanoTime();
        GlobalPlacement placement;
        try {
            placement = new GlobalPlacementSolver().solve(estate.problem());
        } catch (InfeasibleEstateException e) {
            err.println("rebalance: " + e.getMessage());
            return 1;
        }
        RebalanceReport.print(spec.commandLine().getOut(), estate, placement, (System.nanoTime() - started) / 1e9,
                show);
        return 0;
    }
}
