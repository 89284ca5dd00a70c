package io.tierflow.streams.domain.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The global pass's objective with the one-off cost of a move in it, on cases small enough to work out by hand: a move
 * is made only if what it saves over the horizon pays for it and, by the hysteresis, for a share of staying.
 */
class MoveCostObjectiveTest {
    private static final long UNLIMITED = Long.MAX_VALUE;
    private static final List<String> SITES = List.of("a", "b");

    /** A PUT at S3 Standard's list price: what copying a small object costs once. */
    private static final double PUT_USD = 0.005 / 1000;

    @Test
    void shouldKeepATinyDatasetWhoseSavingDoesNotPayForItsMoveAndMoveABigOne() {
        // Both are cheaper on b by the same price per GB ($0.023 against $0.004 a GB-month); one move costs a PUT.
        long tinyBytes = 1_000;
        long bigBytes = 100_000_000_000L;
        EstateProblem problem = EstateProblem.builder(SITES, new long[] {UNLIMITED, UNLIMITED}, UNLIMITED)
                .add("tiny", tinyBytes, 0, monthly(tinyBytes), new double[] {PUT_USD, PUT_USD}, 1.0, 0.25)
                .add("big", bigBytes, 0, monthly(bigBytes), new double[] {PUT_USD, PUT_USD}, 1.0, 0.25)
                .build();

        // tiny: staying 2.3e-8 a month; on b 4e-9 + 5e-6 (the PUT over one month) + 0.25 * 2.3e-8. It stays.
        assertEquals(2.3e-8, problem.cost(0, 0), 1e-20);
        assertEquals(4e-9 + 5e-6 + 5.75e-9, problem.cost(0, 1), 1e-20);
        // big: staying $2.30 a month; on b $0.40 + 5e-6 + 0.25 * $2.30. It moves.
        assertEquals(0.4 + 5e-6 + 0.575, problem.cost(1, 1), 1e-12);
        assertEquals(0.4, problem.monthlyCost(1, 1), 1e-12);
        assertEquals(PUT_USD, problem.moveUsd(1, 1), 0.0);
        assertEquals(0.0, problem.moveUsd(1, 0), 0.0, "staying moves nothing");
        assertEquals(0.0, problem.moveChargeUsd(1, 0), 0.0);

        GlobalPlacement placement = new GlobalPlacementSolver().solve(problem);

        assertArrayEquals(new int[] {0, 1}, placement.sites());
        assertEquals(2.3e-8 + 0.4 + 5e-6 + 0.575, placement.objectiveUsd(), 1e-9);
        assertTrue(placement.boundUsd() <= placement.objectiveUsd() * (1 + 1e-12));
    }

    @Test
    void shouldMoveNoneOfTwoThousandTinyDatasetsThatWouldSaveATenthOfACentAMonthInAll() {
        // The demo estate's case: 2000 objects of 50 kB, $0.014 a GB-month cheaper on b ($0.0014 a month in all), a
        // move costing a PUT and a GET ($0.0108 in all). Free moves would take every one; priced, none goes.
        EstateProblem.Builder free = EstateProblem.builder(SITES, new long[] {UNLIMITED, UNLIMITED}, UNLIMITED);
        EstateProblem.Builder priced = EstateProblem.builder(SITES, new long[] {UNLIMITED, UNLIMITED}, UNLIMITED);
        double getUsd = 0.0004 / 1000;
        for (int i = 0; i < 2000; i++) {
            double[] monthly = {50e3 / 1e9 * 0.023, 50e3 / 1e9 * 0.009};
            free.add("d" + i, 50_000, 0, monthly);
            priced.add("d" + i, 50_000, 0, monthly, new double[] {0.0, PUT_USD + getUsd}, 1.0, 0.25);
        }
        EstateProblem freeProblem = free.build();
        EstateProblem pricedProblem = priced.build();

        GlobalPlacement freely = new GlobalPlacementSolver().solve(freeProblem);
        GlobalPlacement paying = new GlobalPlacementSolver().solve(pricedProblem);

        assertEquals(2000, freely.moves(freeProblem));
        assertEquals(0, paying.moves(pricedProblem));
        assertEquals(2000 * 50e3 / 1e9 * 0.023, paying.objectiveUsd(), 1e-12, "the cost of staying");
    }

    @Test
    void shouldMoveOnlyWhenTheSavingOverTheHorizonPaysForTheMove() {
        // $1 a month saved, $3 to move: not within two months, within six.
        double[] monthly = {2.0, 1.0};
        double[] move = {0.0, 3.0};

        assertEquals(0, placeAlone(monthly, move, 2.0, 0.0), "two months save $2 of the $3");
        assertEquals(1, placeAlone(monthly, move, 6.0, 0.0), "six months save $6");
    }

    @Test
    void shouldMoveOnlyWhenTheSavingExceedsTheHysteresisShareOfStaying() {
        // A free move saving a fifth of what staying costs: held back by a hysteresis of a quarter, not of a tenth.
        double[] monthly = {1.0, 0.8};
        double[] free = {0.0, 0.0};

        assertEquals(0, placeAlone(monthly, free, 1.0, 0.25));
        assertEquals(1, placeAlone(monthly, free, 1.0, 0.10));
    }

    @Test
    void shouldChargeAnEvacuationItsMoveButNoHysteresis() {
        // a may no longer hold it: it must move, and the cheaper move wins even where the monthly cost is higher.
        EstateProblem problem = EstateProblem.builder(List.of("a", "b", "c"),
                new long[] {UNLIMITED, UNLIMITED, UNLIMITED}, 0)
                .add("x", 1_000_000_000L, 0, new double[] {Double.POSITIVE_INFINITY, 1.0, 1.5},
                        new double[] {0.0, 2.0, 0.5}, 1.0, 0.25)
                .build();

        assertEquals(1.0 + 2.0, problem.cost(0, 1), 1e-12, "no share of staying where it may not stay");
        assertArrayEquals(new int[] {2}, new GlobalPlacementSolver().solve(problem).sites(),
                "c: $2.00 with its move, b: $3.00; a budget of zero never holds back an evacuation");
    }

    @Test
    void shouldMakeRoomWithTheMoveThatCostsLeastWhenASiteOverflows() {
        // a holds 1.5 GB usable and both 1 GB datasets are on it: one must go. Moving p costs $0.30, q $0.05.
        EstateProblem problem = EstateProblem.builder(SITES, new long[] {1_500_000_000L, UNLIMITED}, UNLIMITED)
                .add("p", 1_000_000_000L, 0, new double[] {1.0, 1.1}, new double[] {0.0, 0.30}, 1.0, 0.0)
                .add("q", 1_000_000_000L, 0, new double[] {1.0, 1.1}, new double[] {0.0, 0.05}, 1.0, 0.0)
                .build();

        assertArrayEquals(new int[] {0, 1}, new GlobalPlacementSolver().solve(problem).sites());
    }

    @Test
    void shouldRefuseAMoveCostThatIsNoCostAndAHorizonThatIsNone() {
        EstateProblem.Builder builder = EstateProblem.builder(SITES, new long[] {UNLIMITED, UNLIMITED}, UNLIMITED);

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> builder.add("x",
                1, 0, new double[] {1.0, 1.0}, new double[] {0.0, -1.0}, 1.0, 0.0));
        IllegalArgumentException horizon = assertThrows(IllegalArgumentException.class, () -> builder.add("y",
                1, 0, new double[] {1.0, 1.0}, new double[] {0.0, 1.0}, 0.0, 0.0));
        IllegalArgumentException hysteresis = assertThrows(IllegalArgumentException.class, () -> builder.add("z",
                1, 0, new double[] {1.0, 1.0}, new double[] {0.0, 1.0}, 1.0, 1.0));

        assertEquals("dataset x has move cost -1.0 to site b; move costs are finite and >= 0", negative.getMessage());
        assertTrue(horizon.getMessage().startsWith("dataset y has horizon 0.0 months"), horizon.getMessage());
        assertEquals("dataset z has hysteresis 1.0; it is in [0, 1)", hysteresis.getMessage());
    }

    @Test
    void shouldChargeNothingToDatasetsAddedBeforeTheFirstWithMoveCosts() {
        EstateProblem problem = EstateProblem.builder(SITES, new long[] {UNLIMITED, UNLIMITED}, UNLIMITED)
                .add("free", 1_000_000_000L, 0, new double[] {1.0, 0.9})
                .add("priced", 1_000_000_000L, 0, new double[] {1.0, 0.9}, new double[] {0.0, 0.2}, 1.0, 0.0)
                .build();

        assertEquals(0.9, problem.cost(0, 1), 1e-12);
        assertEquals(0.0, problem.moveUsd(0, 1), 0.0);
        assertEquals(1.1, problem.cost(1, 1), 1e-12);
        assertArrayEquals(new int[] {1, 0}, new GlobalPlacementSolver().solve(problem).sites());
    }

    /** Monthly cost on a ($0.023 a GB-month) and b ($0.004). */
    private static double[] monthly(long bytes) {
        return new double[] {bytes / 1e9 * 0.023, bytes / 1e9 * 0.004};
    }

    /** Where one dataset on a goes, alone on unlimited sites. */
    private static int placeAlone(double[] monthly, double[] move, double horizonMonths, double hysteresis) {
        EstateProblem problem = EstateProblem.builder(SITES, new long[] {UNLIMITED, UNLIMITED}, UNLIMITED)
                .add("x", 1_000_000_000L, 0, monthly, move, horizonMonths, hysteresis).build();
        return new GlobalPlacementSolver().solve(problem).sites()[0];
    }
}
