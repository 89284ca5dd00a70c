package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.placement.EstateProblem;
import io.tierflow.streams.domain.placement.GlobalPlacement;
import io.tierflow.streams.domain.placement.GlobalPlacementSolver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlacementBenchCommandTest {
    @Test
    void shouldDefaultToTheIssuesScale() {
        PlacementBenchCommand command = new PlacementBenchCommand();
        new CommandLine(command).parseArgs();

        assertEquals(1_000_000, command.datasets);
    }

    @Test
    void shouldGenerateAnEstateWhereTwoCapacitiesAndTheBudgetBind() {
        EstateProblem problem = PlacementEstate.generate(20_000, 5).problem(0.5);

        GlobalPlacement placement = new GlobalPlacementSolver().solve(problem);

        int binding = 0;
        for (double price : placement.sitePricesUsdPerGb()) {
            binding += price > 0 ? 1 : 0;
        }
        assertEquals(2, binding, "sites whose room has a price");
        assertTrue(placement.budgetPriceUsdPerGb() > 0, "the budget binds");
        assertEquals("", PlacementEstate.violations(problem, placement));
    }

    @Test
    void shouldEndWithTheSummaryLineOfTheIssue() {
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out))
                .execute("placement", "--datasets", "5000", "--seed", "3");

        assertEquals(0, exit, out.toString());
        String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
        Matcher summary = Pattern.compile("placement: datasets=5000 solve_s=[0-9.]+ gap=(\\S+) reference_s=[0-9.]+ "
                + "ratio=[0-9.]+ .*").matcher(last);
        assertTrue(summary.matches(), last);
        assertTrue(Double.parseDouble(summary.group(1)) < 0.01, last);
    }

    @Test
    void shouldRefuseAnEmptyEstate() {
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("placement", "--datasets", "0");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("--datasets must be at least 1"), err.toString());
    }
}
