package io.tierflow.cli.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import io.tierflow.streams.domain.placement.GlobalPlacementSolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which datasets a pass pins: those it moves, and those it keeps where their own decision would move them away (a
 * decision that a pin of an earlier pass made counts by its own choice, which the explanation keeps).
 */
class PassPinsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldPinTheMovesAndTheHoldsAndNothingElse() throws Exception {
        // a has room for 1.05 GB: big or small, not both; each dataset is cheaper on a by itself.
        Estate.Builder estate = estate(1_050_000_000L);
        // big saves the most on a but is on b; small sits on a, held there until now by an earlier pass's pin
        // (its own decision: b); calm agrees with the pass on b.
        estate.add(summary("big", "b"), explain("big", "b", null, 1.0, 5.0));
        estate.add(summary("small", "a"), explain("small", "a", "b", 0.1, 0.2));
        estate.add(summary("calm", "b"), explain("calm", "b", null, 1.0, 1.05));
        Estate built = estate.build();
        // Here, the pass moves big to a and small off it: both pinned as moves.
        GlobalPlacement placement = new GlobalPlacementSolver().solve(built.problem());

        List<PassPins.Pin> pins = PassPins.of(built, placement);

        assertEquals(List.of(new PassPins.Pin("big", "a", true), new PassPins.Pin("small", "b", true)), pins);

        // The pass that keeps small on a (room for both) pins it there: its own decision would take it to b.
        Estate.Builder roomy = estate(100_000_000_000L);
        roomy.add(summary("small", "a"), explain("small", "a", "b", 0.1, 0.2));
        roomy.add(summary("calm", "a"), explain("calm", "a", null, 1.0, 1.05));
        Estate both = roomy.build();
        assertEquals(List.of(new PassPins.Pin("small", "a", false)),
                PassPins.of(both, new GlobalPlacementSolver().solve(both.problem())));
    }

    /** Sites a (of {@code capacityA} bytes) and b, whose classes cost nothing to move into; no hysteresis. */
    private static Estate.Builder estate(long capacityA) throws Exception {
        String coldClass = "{\"name\": \"COLD\", \"tier\": \"COLD\", \"storagePricePerGbMonth\": 0.004}";
        return Estate.builder(JSON.readTree("[{\"name\": \"a\", \"capacityBytes\": " + capacityA + ", "
                + "\"storageClasses\": [" + coldClass + "]}, {\"name\": \"b\", \"capacityBytes\": 100000000000, "
                + "\"storageClasses\": [" + coldClass + "]}]"), JSON.readTree("[{\"name\": \"default\", "
                + "\"horizonDays\": 30.0, \"hysteresis\": 0.0}]"), 0.0, Long.MAX_VALUE, 0L);
    }

    private static JsonNode summary(String key, String primary) throws Exception {
        long size = key.equals("big") ? 1_000_000_000L : 100_000_000L;
        return JSON.readTree("{\"key\": \"" + key + "\", \"sizeBytes\": " + size + ", \"primarySite\": \"" + primary
                + "\"}");
    }

    /** The explanation of a decision for {@code primary}; with {@code own}, one a pin made against that choice. */
    private static JsonNode explain(String key, String primary, String own, double costA, double costB)
            throws Exception {
        String pinned = own == null ? "null" : "{\"pass\": \"pass-0\", \"site\": \"" + primary + "\", "
                + "\"expiresAtMs\": 1, \"ownPrimary\": \"" + own + "\", \"refusedBecause\": null}";
        return JSON.readTree("{\"key\": \"" + key + "\", \"decision\": {\"tier\": \"COLD\", \"primarySite\": \"" + primary + "\", "
                + "\"explanation\": {\"globalPass\": " + pinned + ", \"siteScores\": ["
                + "{\"site\": \"a\", \"storageUsdPerMonth\": " + costA + ", \"egressUsdPerMonth\": 0.0, "
                + "\"moveUsd\": 0.0, \"feasible\": true},"
                + "{\"site\": \"b\", \"storageUsdPerMonth\": " + costB + ", \"egressUsdPerMonth\": 0.0, "
                + "\"moveUsd\": 0.0, \"feasible\": true}]}}}");
    }
}
