package io.tierflow.cli.rebalance;

import io.tierflow.streams.domain.placement.EstateProblem;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** What the global pass would do, as text: the figures, each site's load, and the moves (largest saving first). */
final class RebalanceReport {
    private RebalanceReport() {
    }

    /** What an applied pass published: {@code pins} pins (of which {@code holds} keep a dataset where it is). */
    record Applied(String pass, int pins, int holds, java.time.Instant expiresAt) {
    }

    /** One move the pass would make. */
    record Move(String key, String from, String to, double sizeGb, double savingUsd) {
    }

    static List<Move> moves(EstateProblem problem, GlobalPlacement placement) {
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < problem.datasets(); i++) {
            int from = problem.currentSite(i);
            int to = placement.sites()[i];
            if (from != to) {
                double before = from < 0 ? Double.NaN : problem.cost(i, from);
                moves.add(new Move(problem.key(i), from < 0 ? "-" : problem.siteName(from), problem.siteName(to),
                        problem.sizeGb(i), before - problem.cost(i, to)));
            }
        }
        // Evacuations (no finite cost where they are) first, then by saving.
        moves.sort(Comparator.comparingDouble((Move m) -> Double.isFinite(m.savingUsd()) ? -m.savingUsd()
                : Double.NEGATIVE_INFINITY).thenComparing(Move::key));
        return moves;
    }

    /** The report; {@code applied} is null on a dry run. */
    static void print(PrintWriter out, Estate estate, GlobalPlacement placement, double solveSeconds, int shown,
            Applied applied) {
        EstateProblem problem = estate.problem();
        out.printf(Locale.ROOT, "estate: %d datasets on %d sites (%d not evaluated yet, %d with no site that may "
                + "hold them: left out)%n", problem.datasets(), problem.sites(), estate.notEvaluated(),
                estate.nowhere());
        double[] load = placement.loadGb(problem);
        for (int j = 0; j < problem.sites(); j++) {
            out.printf(Locale.ROOT, "  %-12s %12.3f GB of %s usable, room worth $%.4f per GB-month%n",
                    problem.siteName(j), load[j], problem.capacityGb(j) > 1e9 ? "unlimited"
                            : String.format(Locale.ROOT, "%.3f GB", problem.capacityGb(j)),
                    placement.sitePricesUsdPerGb()[j]);
        }
        List<Move> moves = moves(problem, placement);
        out.printf(Locale.ROOT, "moves: %d, %.3f GB against the budget (%s)%n", moves.size(),
                placement.budgetUseGb(problem), problem.hasBudget()
                        ? String.format(Locale.ROOT, "%.3f GB", problem.budgetGb()) : "no budget");
        for (Move move : moves.subList(0, Math.min(shown, moves.size()))) {
            out.printf(Locale.ROOT, "  %s: %s -> %s, %.3f GB, saves $%.4f/month%n", move.key(), move.from(),
                    move.to(), move.sizeGb(), move.savingUsd());
        }
        if (moves.size() > shown) {
            out.printf(Locale.ROOT, "  ... and %d more%n", moves.size() - shown);
        }
        if (applied != null) {
            out.printf(Locale.ROOT, "pass %s: %d pins published on control (%d moves, %d holds), held until %s; "
                    + "each dataset's task moves it within the migration budget and its capacity share%n",
                    applied.pass(), applied.pins(), applied.pins() - applied.holds(), applied.holds(),
                    applied.expiresAt());
        }
        double now = estate.currentCostUsd();
        out.printf(Locale.ROOT, "rebalance: datasets=%d objective_usd=%.4f bound_usd=%.4f gap=%.6f current_usd=%s "
                        + "moves=%d solve_s=%.2f %s%n", problem.datasets(), placement.objectiveUsd(),
                placement.boundUsd(), placement.gap(), Double.isNaN(now) ? "n/a"
                        : String.format(Locale.ROOT, "%.4f", now), moves.size(), solveSeconds,
                applied == null ? "dry_run=true" : "pins_published=" + applied.pins() + " pass=" + applied.pass());
        out.flush();
    }
}
