package io.tierflow.cli.rebalance;

import io.tierflow.streams.domain.placement.EstateProblem;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What the global pass would do, as text: the figures, each site's load, the moves (largest saving first), the moves
 * left undone because they would not pay, and the pins of earlier passes the topology refused.
 */
final class RebalanceReport {
    private RebalanceReport() {
    }

    /** What an applied pass published: {@code pins} pins (of which {@code holds} keep a dataset where it is). */
    record Applied(String pass, int pins, int holds, java.time.Instant expiresAt) {
    }

    /** One move the pass would make: what it saves a month, and what it costs once. */
    record Move(String key, String from, String to, double sizeGb, double savingUsd, double moveUsd) {
    }

    /**
     * The datasets the pass leaves where they are although another site would cost less a month, because the move's
     * one-off cost over the horizon (and the hysteresis) outweighs that: how many, what they would have saved a month
     * at the cheapest such site, and what those moves would have cost once.
     */
    record NotWorthMoving(int datasets, double savingUsdPerMonth, double moveUsd) {
    }

    static List<Move> moves(EstateProblem problem, GlobalPlacement placement) {
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < problem.datasets(); i++) {
            int from = problem.currentSite(i);
            int to = placement.sites()[i];
            if (from != to) {
                double before = from < 0 ? Double.NaN : problem.monthlyCost(i, from);
                moves.add(new Move(problem.key(i), from < 0 ? "-" : problem.siteName(from), problem.siteName(to),
                        problem.sizeGb(i), before - problem.monthlyCost(i, to), problem.moveUsd(i, to)));
            }
        }
        // Evacuations (no finite cost where they are) first, then by saving.
        moves.sort(Comparator.comparingDouble((Move m) -> Double.isFinite(m.savingUsd()) ? -m.savingUsd()
                : Double.NEGATIVE_INFINITY).thenComparing(Move::key));
        return moves;
    }

    static NotWorthMoving notWorthMoving(EstateProblem problem, GlobalPlacement placement) {
        int datasets = 0;
        double saving = 0.0;
        double moving = 0.0;
        for (int i = 0; i < problem.datasets(); i++) {
            int here = problem.currentSite(i);
            if (here < 0 || placement.sites()[i] != here || !problem.feasible(i, here)) {
                continue;
            }
            int cheapest = here;
            for (int j = 0; j < problem.sites(); j++) {
                if (problem.feasible(i, j) && problem.monthlyCost(i, j) < problem.monthlyCost(i, cheapest)) {
                    cheapest = j;
                }
            }
            // Cheaper a month, but not once its move is charged: it stays because the move does not pay (a dataset
            // that would pay its move but stays for want of room or budget is not counted).
            if (cheapest != here && problem.cost(i, cheapest) >= problem.cost(i, here)) {
                datasets++;
                saving += problem.monthlyCost(i, here) - problem.monthlyCost(i, cheapest);
                moving += problem.moveUsd(i, cheapest);
            }
        }
        return new NotWorthMoving(datasets, saving, moving);
    }

    /** The monthly cost of the placement, its moves' charges left out. */
    static double monthlyUsd(EstateProblem problem, GlobalPlacement placement) {
        double total = 0.0;
        for (int i = 0; i < problem.datasets(); i++) {
            total += problem.monthlyCost(i, placement.sites()[i]);
        }
        return total;
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
        double movesOnce = 0.0;
        for (Move move : moves) {
            movesOnce += move.moveUsd();
        }
        for (Move move : moves.subList(0, Math.min(shown, moves.size()))) {
            out.printf(Locale.ROOT, "  %s: %s -> %s, %.3f GB, saves $%.4f/month, costs $%.6f once%n", move.key(),
                    move.from(), move.to(), move.sizeGb(), move.savingUsd(), move.moveUsd());
        }
        if (moves.size() > shown) {
            out.printf(Locale.ROOT, "  ... and %d more%n", moves.size() - shown);
        }
        NotWorthMoving unpaid = notWorthMoving(problem, placement);
        out.printf(Locale.ROOT, "not worth moving: %d datasets would save $%.6f/month elsewhere, but their moves "
                + "($%.6f once) do not pay within their policies' horizons by the hysteresis; they stay%n",
                unpaid.datasets(), unpaid.savingUsdPerMonth(), unpaid.moveUsd());
        double monthly = monthlyUsd(problem, placement);
        out.printf(Locale.ROOT, "placement: $%.4f/month, moves $%.6f once; objective $%.4f/month (each move's cost "
                + "spread over its horizon, plus the hysteresis share of staying), LP bound $%.4f%n", monthly,
                movesOnce, placement.objectiveUsd(), placement.boundUsd());
        int refused = estate.refusedPinCount();
        if (refused > 0) {
            StringBuilder reasons = new StringBuilder();
            estate.refusedPinsByReason().forEach((reason, count) -> reasons.append(reasons.isEmpty() ? "" : ", ")
                    .append(reason).append(": ").append(count));
            out.printf(Locale.ROOT, "pins refused by the topology: %d (%s); each dataset follows its own decision "
                    + "until its pin passes or expires%n", refused, reasons);
            List<Estate.RefusedPin> named = estate.refusedPins();
            named = named.subList(0, Math.min(shown, named.size()));
            for (Estate.RefusedPin pin : named) {
                out.printf(Locale.ROOT, "  %s: pinned to %s by %s, refused: %s%n", pin.key(), pin.site(), pin.pass(),
                        pin.reason());
            }
            if (refused > named.size()) {
                out.printf(Locale.ROOT, "  ... and %d more%n", refused - named.size());
            }
        }
        if (applied != null) {
            out.printf(Locale.ROOT, "pass %s: %d pins published on control (%d moves, %d holds), held until %s; "
                    + "each dataset's task moves it within the migration budget and its capacity share%n",
                    applied.pass(), applied.pins(), applied.pins() - applied.holds(), applied.holds(),
                    applied.expiresAt());
        }
        double now = estate.currentCostUsd();
        out.printf(Locale.ROOT, "rebalance: datasets=%d objective_usd=%.4f bound_usd=%.4f gap=%.6f current_usd=%s "
                        + "moves=%d monthly_usd=%.4f moves_once_usd=%.6f not_worth_moving=%d pins_refused=%d "
                        + "solve_s=%.2f %s%n", problem.datasets(), placement.objectiveUsd(),
                placement.boundUsd(), placement.gap(), Double.isNaN(now) ? "n/a"
                        : String.format(Locale.ROOT, "%.4f", now), moves.size(), monthly, movesOnce,
                unpaid.datasets(), refused, solveSeconds,
                applied == null ? "dry_run=true" : "pins_published=" + applied.pins() + " pass=" + applied.pass());
        out.flush();
    }
}
