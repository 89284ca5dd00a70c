package io.tierflow.streams.domain.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GlobalPlacementSolverTest {
    private final GlobalPlacementSolver solver = new GlobalPlacementSolver();

    @BeforeAll
    static void loadOrTools() {
        Loader.loadNativeLibraries();
    }

    @Test
    void shouldRespectEveryCapacityAndTheBudgetAndStayAboveTheBound() {
        for (long seed = 1; seed <= 60; seed++) {
            int datasets = 50 + (int) (seed * 97 % 3000);
            int sites = 2 + (int) (seed % 4);
            double budgetShare = seed % 3 == 0 ? -1 : (seed % 3) * 0.2;
            EstateProblem problem = RandomEstates.estate(seed, datasets, sites, budgetShare);

            GlobalPlacement placement = solver.solve(problem);

            String where = "seed " + seed;
            double[] load = placement.loadGb(problem);
            for (int j = 0; j < sites; j++) {
                assertTrue(load[j] <= problem.capacityGb(j) * (1 + 1e-9),
                        where + ": site " + j + " holds " + load[j] + " GB of " + problem.capacityGb(j));
            }
            assertTrue(placement.budgetUseGb(problem) <= problem.budgetGb() * (1 + 1e-9),
                    where + ": moved " + placement.budgetUseGb(problem) + " GB of " + problem.budgetGb());
            for (int i = 0; i < datasets; i++) {
                assertTrue(problem.feasible(i, placement.sites()[i]), where + ": dataset " + i + " where it may not");
            }
            double objective = GlobalPlacementSolver.objectiveOf(problem, placement.sites());
            assertEquals(objective, placement.objectiveUsd(), 1e-9 * objective, where);
            assertTrue(objective >= placement.boundUsd() * (1 - 1e-12), where + ": objective below the bound");
            assertEquals((objective - placement.boundUsd()) / placement.boundUsd(), placement.gap(), 1e-12, where);
            if (datasets >= 2000) {
                // Smaller estates with log-normal sizes may hold one dataset large against a site: their integral
                // optimum itself can lie a few per cent above the LP's.
                assertTrue(placement.gap() < 0.01, where + ": gap " + placement.gap());
            }
        }
    }

    @Test
    void shouldBoundAtTheLpRelaxationsOptimumAsGlopFindsIt() {
        for (long seed = 100; seed < 140; seed++) {
            int datasets = 5 + (int) (seed * 31 % 400);
            int sites = 2 + (int) (seed % 4);
            double budgetShare = seed % 2 == 0 ? -1 : 0.3;
            // Half the datasets' moves priced once, half free: both kinds of cost row in one problem.
            EstateProblem problem = RandomEstates.estate(seed, datasets, sites, budgetShare, 0.5);

            GlobalPlacement placement = solver.solve(problem);

            double lp = glopOptimum(problem);
            String where = "seed " + seed + " (" + datasets + " datasets, " + sites + " sites)";
            assertEquals(lp, placement.boundUsd(), 1e-6 * Math.abs(lp), where);
            // The placement is within its reported gap of the LP relaxation's optimum.
            assertTrue((placement.objectiveUsd() - lp) / lp <= placement.gap() + 1e-6, where);
        }
    }

    @Test
    void shouldFindTheSameOptimumAsExhaustiveSearchOnSmallEstates() {
        for (long seed = 200; seed < 500; seed++) {
            int datasets = 1 + (int) (seed % 7);
            int sites = 2 + (int) (seed % 3);
            double budgetShare = seed % 3 == 0 ? -1 : (seed % 3) * 0.35;
            EstateProblem problem = RandomEstates.estate(seed, datasets, sites, budgetShare, 0.5);

            GlobalPlacement placement = solver.solve(problem);

            double optimum = bruteForceOptimum(problem);
            String where = "seed " + seed;
            assertEquals(optimum, placement.objectiveUsd(), 1e-9 * optimum, where);
            assertTrue(placement.provenOptimal(), where);
        }
    }

    @Test
    void shouldLeaveEveryDatasetWhereItIsUnderABudgetOfZeroButEvacuateASiteItMayNoLongerUse() {
        double inf = Double.POSITIVE_INFINITY;
        EstateProblem problem = EstateProblem.builder(List.of("a", "b"), new long[] {10_000_000_000L,
                10_000_000_000L}, 0)
                .add("stays", 1_000_000_000L, 0, new double[] {5.0, 1.0}) // b is cheaper, but moving costs budget
                .add("evacuated", 2_000_000_000L, 0, new double[] {inf, 3.0}) // a is down for it
                .build();

        GlobalPlacement placement = solver.solve(problem);

        assertArrayEquals(new int[] {0, 1}, placement.sites());
        assertEquals(8.0, placement.objectiveUsd(), 1e-12);
        assertEquals(0.0, placement.budgetUseGb(problem), 0.0);
    }

    @Test
    void shouldMoveTheDatasetsThatLoseLeastWhenTheCheapestSiteIsFull() {
        // All three want a, which holds 3 of their 5 GB: "other" loses least (0.2) by going to b.
        EstateProblem problem = EstateProblem.builder(List.of("a", "b"), new long[] {3_000_000_000L,
                10_000_000_000L}, Long.MAX_VALUE)
                .add("small", 1_000_000_000L, -1, new double[] {1.0, 1.5})
                .add("big", 2_000_000_000L, -1, new double[] {2.0, 6.0})
                .add("other", 2_000_000_000L, -1, new double[] {2.0, 2.2})
                .build();

        GlobalPlacement placement = solver.solve(problem);

        assertArrayEquals(new int[] {0, 0, 1}, placement.sites());
        assertEquals(5.2, placement.objectiveUsd(), 1e-12);
        assertTrue(placement.sitePricesUsdPerGb()[0] > 0, "a's capacity binds, so room there has a price");
        assertEquals(0.0, placement.sitePricesUsdPerGb()[1], 1e-12);
    }

    @Test
    void shouldRefuseAnEstateThatCannotFitNamingTheSites() {
        double inf = Double.POSITIVE_INFINITY;
        EstateProblem problem = EstateProblem.builder(List.of("a", "b", "c"), new long[] {1_000_000_000L,
                1_000_000_000L, 100_000_000_000L}, Long.MAX_VALUE)
                .add("x", 1_500_000_000L, -1, new double[] {1.0, 1.0, inf})
                .add("y", 1_000_000_000L, -1, new double[] {1.0, 1.0, inf})
                .add("z", 1_000_000_000L, -1, new double[] {1.0, 1.0, 1.0})
                .build();

        InfeasibleEstateException refused = assertThrows(InfeasibleEstateException.class,
                () -> solver.solve(problem));

        assertEquals("datasets that may only go to [a, b] need 2.500 GB, but those sites have 2.000 GB usable",
                refused.getMessage());
    }

    @Test
    void shouldRefuseADatasetThatMayGoNowhere() {
        double inf = Double.POSITIVE_INFINITY;
        EstateProblem.Builder builder = EstateProblem.builder(List.of("a"), new long[] {1}, Long.MAX_VALUE);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> builder.add("lost", 10, -1, new double[] {inf}));

        assertEquals("dataset lost may go to no site", refused.getMessage());
    }

    /** The LP relaxation, every (dataset, site) pair a variable in [0, 1], solved by GLOP. */
    static double glopOptimum(EstateProblem problem) {
        MPSolver lp = MPSolver.createSolver("GLOP");
        int n = problem.datasets();
        int m = problem.sites();
        MPVariable[][] x = new MPVariable[n][m];
        MPConstraint[] capacity = new MPConstraint[m];
        for (int j = 0; j < m; j++) {
            capacity[j] = lp.makeConstraint(-MPSolver.infinity(), problem.capacityGb(j), "capacity" + j);
        }
        MPConstraint budget = problem.hasBudget()
                ? lp.makeConstraint(-MPSolver.infinity(), problem.budgetGb(), "budget") : null;
        MPObjective objective = lp.objective();
        for (int i = 0; i < n; i++) {
            MPConstraint once = lp.makeConstraint(1.0, 1.0, "assign" + i);
            for (int j = 0; j < m; j++) {
                if (!problem.feasible(i, j)) {
                    continue;
                }
                x[i][j] = lp.makeNumVar(0.0, 1.0, "x" + i + "_" + j);
                once.setCoefficient(x[i][j], 1.0);
                capacity[j].setCoefficient(x[i][j], problem.sizeGb(i));
                if (budget != null) {
                    budget.setCoefficient(x[i][j], problem.budgetUseGb(i, j));
                }
                objective.setCoefficient(x[i][j], problem.cost(i, j));
            }
        }
        objective.setMinimization();
        MPSolver.ResultStatus status = lp.solve();
        assertEquals(MPSolver.ResultStatus.OPTIMAL, status);
        double value = objective.value();
        lp.delete();
        return value;
    }

    /** Every assignment of sites to datasets; the cheapest that fits. */
    static double bruteForceOptimum(EstateProblem problem) {
        int n = problem.datasets();
        int m = problem.sites();
        int[] sites = new int[n];
        double best = Double.POSITIVE_INFINITY;
        while (true) {
            double[] load = new double[m];
            double used = 0.0;
            double cost = 0.0;
            for (int i = 0; i < n; i++) {
                load[sites[i]] += problem.sizeGb(i);
                used += problem.budgetUseGb(i, sites[i]);
                cost += problem.cost(i, sites[i]);
            }
            boolean fits = used <= problem.budgetGb() * (1 + 1e-12) + 1e-12;
            for (int j = 0; j < m; j++) {
                fits &= load[j] <= problem.capacityGb(j) * (1 + 1e-12) + 1e-12;
            }
            if (fits && cost < best) {
                best = cost;
            }
            int d = 0;
            while (d < n && ++sites[d] == m) {
                sites[d++] = 0;
            }
            if (d == n) {
                return best;
            }
        }
    }
}
