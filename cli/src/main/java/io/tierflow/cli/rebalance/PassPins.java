package io.tierflow.cli.rebalance;

import io.tierflow.streams.domain.placement.EstateProblem;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pins a pass publishes: one per dataset whose primary the pass places elsewhere than the dataset is (a move), or
 * elsewhere than the dataset's own decision would put it (a hold: without the pin, the dataset would move off the
 * site the pass keeps it on). Datasets on which the pass and their own decision agree get none, so a pass publishes
 * only what it changes.
 */
final class PassPins {
    private PassPins() {
    }

    /** One pin: {@code key}'s primary on {@code site}; {@code move} if the dataset is not there now. */
    record Pin(String key, String site, boolean move) {
    }

    /** The pins of {@code placement}, moves first (in the report's order: evacuations, then by saving), then holds. */
    static List<Pin> of(Estate estate, GlobalPlacement placement) {
        EstateProblem problem = estate.problem();
        List<Pin> pins = new ArrayList<>();
        for (RebalanceReport.Move move : RebalanceReport.moves(problem, placement)) {
            pins.add(new Pin(move.key(), move.to(), true));
        }
        for (int i = 0; i < problem.datasets(); i++) {
            int site = placement.sites()[i];
            String name = problem.siteName(site);
            if (problem.currentSite(i) == site && !Objects.equals(name, estate.ownPrimaries().get(i))) {
                pins.add(new Pin(problem.key(i), name, false));
            }
        }
        return pins;
    }
}
