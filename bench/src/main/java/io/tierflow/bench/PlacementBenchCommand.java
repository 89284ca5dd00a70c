package io.tierflow.bench;

import io.tierflow.streams.domain.PlacementOptimizer;
import io.tierflow.streams.domain.PlacementRequest;
import io.tierflow.streams.domain.placement.EstateProblem;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import io.tierflow.streams.domain.placement.GlobalPlacementSolver;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/bench placement}: the global placement pass (issue 21) over a generated estate, against one pass of
 * the per-dataset placement over the same datasets (what pricing every dataset at every site costs today). Needs no
 * local stack: the estate is generated in memory, priced from the local catalogue's list prices.
 */
@Command(name = "placement", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates an estate (seeded; log-normal sizes, reads from three regions, costs from the local "
                + "catalogue's list prices, two sites' capacities binding, a migration budget), prices every dataset "
                + "with the per-dataset placement (the reference), then solves the global placement and checks that "
                + "the answer fits every capacity and the budget.",
                "Last line on stdout: placement: datasets=N solve_s=S gap=G reference_s=S ratio=R ..."})
final class PlacementBenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--datasets", paramLabel = "N", description = "Datasets (default: ${DEFAULT-VALUE}).")
    int datasets = 1_000_000;

    @Option(names = "--seed", description = "Seed of the estate (default: ${DEFAULT-VALUE}).")
    long seed = 21;

    @Option(names = "--budget-share", paramLabel = "F",
            description = "Migration budget as a share of the bytes the unconstrained choice would move, on top of "
                    + "what relieving the full sites needs; negative for no budget (default: ${DEFAULT-VALUE}).")
    double budgetShare = 0.5;

    @Override
    public Integer call() {
        if (datasets < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--datasets must be at least 1");
        }
        Progress progress = new Progress(System.err, "placement");
        PlacementEstate estate = PlacementEstate.generate(datasets, seed);
        progress.say("generated %s datasets over %d sites", Progress.count(datasets), estate.sites().size());

        // The reference: one pass of the per-dataset placement over every dataset.
        long started = System.nanoTime();
        int placed = 0;
        for (PlacementRequest request : estate.requests()) {
            placed += PlacementOptimizer.optimize(request, estate.sites()).isPlaced() ? 1 : 0;
        }
        double referenceSeconds = (System.nanoTime() - started) / 1e9;
        progress.say("per-dataset placement of %s datasets: %.2f s (%s placed)", Progress.count(datasets),
                referenceSeconds, Progress.count(placed));

        EstateProblem problem = estate.problem(budgetShare);
        progress.say("estate: %s datasets placeable, capacities %s GB, budget %s GB", Progress.count(problem
                .datasets()), capacities(problem), problem.hasBudget() ? String.format(Locale.ROOT, "%.0f",
                problem.budgetGb()) : "none");

        GlobalPlacementSolver solver = new GlobalPlacementSolver();
        started = System.nanoTime();
        GlobalPlacement placement = solver.solve(problem);
        double solveSeconds = (System.nanoTime() - started) / 1e9;

        String unfit = PlacementEstate.violations(problem, placement);
        if (!unfit.isEmpty()) {
            progress.say("the placement does not fit: %s", unfit);
            return 1;
        }
        progress.say("objective $%.2f/month, LP bound $%.2f, %d dual iterations, %s moves, %.0f GB of budget used",
                placement.objectiveUsd(), placement.boundUsd(), placement.dualIterations(),
                Progress.count(placement.moves(problem)), placement.budgetUseGb(problem));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "placement: datasets=%d solve_s=%.2f gap=%.3g reference_s=%.2f ratio=%.3f "
                        + "objective_usd=%.2f bound_usd=%.2f iterations=%d moves=%d%n",
                problem.datasets(), solveSeconds, placement.gap(), referenceSeconds, solveSeconds / referenceSeconds,
                placement.objectiveUsd(), placement.boundUsd(), placement.dualIterations(), placement.moves(problem));
        stdout.flush();
        return 0;
    }

    private static String capacities(EstateProblem problem) {
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < problem.sites(); j++) {
            text.append(j == 0 ? "" : ", ").append(problem.siteName(j)).append('=')
                    .append(String.format(Locale.ROOT, "%.0f", problem.capacityGb(j)));
        }
        return text.toString();
    }
}
