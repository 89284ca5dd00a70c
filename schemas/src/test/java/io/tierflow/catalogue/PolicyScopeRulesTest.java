package io.tierflow.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Policy;
import io.tierflow.schemas.PolicyScope;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyScopeRulesTest {

    @Test
    void shouldAcceptAScopeOfAnyOneOrMoreConditions() {
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(policy("logs", scope("logs/", null, null), null)));
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(policy("ml", scope(null, "ml", null), 0.5)));
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(policy("m", scope("models/", "ml",
                "application/vnd.onnx+protobuf"), 1.0)));
    }

    @Test
    void shouldSayWhatIsWrongWithAScope() {
        assertProblem(scope(null, null, null), "scope must give at least one of prefix, owner and contentType");
        assertProblem(scope("/logs/", null, null), "scope.prefix is not canonical like a key: the prefix is absolute");
        assertProblem(scope("", null, null), "scope.prefix is not canonical like a key: the prefix is empty");
        assertProblem(scope("logs//", null, null), "scope.prefix is not canonical");
        assertProblem(scope(null, " ", null), "scope.owner must not be blank");
        assertProblem(scope(null, " ml", null), "scope.owner must not be blank, nor start or end with white space");
        assertProblem(scope(null, null, "Text/CSV"), "scope.contentType must be a media type in lower case");
        assertProblem(scope(null, null, "text/csv; charset=utf-8"), "without parameters");
        assertProblem(scope(null, null, "csv"), "got 'csv'");
    }

    @Test
    void shouldRefuseABudgetShareOutsideItsRange() {
        for (double share : new double[] {0, -0.1, 1.01, Double.NaN}) {
            assertTrue(CatalogueRules.policyProblem(policy("logs", scope("logs/", null, null), share)).orElseThrow()
                    .startsWith("budgetShare must be a fraction above 0 and at most 1"), "share " + share);
        }
    }

    @Test
    void shouldRefuseAPreCopyLookaheadOutsideItsRange() {
        for (long seconds : new long[] {-1, CatalogueRules.MAX_PRE_COPY_LOOKAHEAD_SECONDS + 1}) {
            Policy policy = policy("logs", scope("logs/", null, null), null);
            policy.setPreCopyLookaheadSeconds(seconds);
            assertTrue(CatalogueRules.policyProblem(policy).orElseThrow()
                    .startsWith("preCopyLookaheadSeconds must be between 0 (off) and 604800"), "lookahead " + seconds);
        }
        for (long seconds : new long[] {0, 3600, CatalogueRules.MAX_PRE_COPY_LOOKAHEAD_SECONDS}) {
            Policy policy = policy("logs", scope("logs/", null, null), null);
            policy.setPreCopyLookaheadSeconds(seconds);
            assertTrue(CatalogueRules.policyProblem(policy).isEmpty(), "lookahead " + seconds);
        }
    }

    @Test
    void shouldRefuseTheScopeOfAnotherPolicyNamingIt() {
        Map<String, Policy> published = Map.of("logs", policy("logs", scope("logs/", null, null), null),
                "ml", policy("ml", scope(null, "ml", null), null));

        String problem = CatalogueRules.policyCatalogueProblem(policy("logs-too", scope("logs/", null, null), null),
                published).orElseThrow();

        assertEquals("scope (prefix 'logs/') collides with policy 'logs', which has the same scope: neither would be "
                + "more specific, so they cannot be ordered; change the scope, or change policy 'logs' instead",
                problem);
    }

    @Test
    void shouldLetAPolicyKeepOrChangeItsOwnScopeAndAcceptScopesThatCanBeOrdered() {
        Map<String, Policy> published = Map.of("logs", policy("logs", scope("logs/", null, null), null));

        assertEquals(Optional.empty(), CatalogueRules.policyCatalogueProblem(
                policy("logs", scope("logs/", null, null), 0.2), published), "its own earlier version");
        assertEquals(Optional.empty(), CatalogueRules.policyCatalogueProblem(
                policy("logs-json", scope("logs/", null, "application/json"), null), published), "more conditions");
        assertEquals(Optional.empty(), CatalogueRules.policyCatalogueProblem(
                policy("logs-app", scope("logs/app/", null, null), null), published), "a longer prefix");
    }

    @Test
    void shouldKeepTheCatchAllUnscoped() {
        assertTrue(CatalogueRules.policyCatalogueProblem(policy("default", scope("logs/", null, null), null), Map.of())
                .orElseThrow().startsWith("scope: 'default' is the catch-all"));
        assertEquals(Optional.empty(), CatalogueRules.policyCatalogueProblem(policy("default", null, 0.3), Map.of()));
    }

    @Test
    void shouldRefuseBudgetSharesAddingUpToMoreThanTheWholeBudget() {
        Map<String, Policy> published = Map.of("logs", policy("logs", scope("logs/", null, null), 0.5),
                "models", policy("models", scope("models/", null, null), 0.3));

        assertEquals(Optional.of("budgetShare: the policies' budget shares would add up to 1.1 ('ml' 0.3, "
                + "'logs' 0.5, 'models' 0.3), over 1"), CatalogueRules.policyCatalogueProblem(
                        policy("ml", scope(null, "ml", null), 0.3), sorted(published)));
        assertEquals(Optional.empty(), CatalogueRules.policyCatalogueProblem(policy("ml", scope(null, "ml", null), 0.2),
                published), "exactly the whole budget");
        assertEquals(Optional.empty(), CatalogueRules.policyCatalogueProblem(policy("logs", scope("logs/", null, null),
                0.7), published), "its own share is replaced, not added");
    }

    private static Map<String, Policy> sorted(Map<String, Policy> policies) {
        return new java.util.TreeMap<>(policies);
    }

    private static void assertProblem(PolicyScope scope, String expected) {
        String problem = CatalogueRules.policyProblem(policy("p", scope, null)).orElseThrow();
        assertTrue(problem.startsWith(expected) || problem.contains(expected), problem);
    }

    static PolicyScope scope(String prefix, String owner, String contentType) {
        return PolicyScope.newBuilder().setPrefix(prefix).setOwner(owner).setContentType(contentType).build();
    }

    static Policy policy(String name, PolicyScope scope, Double budgetShare) {
        return Policy.newBuilder().setName(name).setHeatHalfLifeSeconds(3600).setHotThreshold(10).setWarmThreshold(1)
                .setHysteresis(0.2).setDefaultLatencySlaMs(50).setMigrationBudgetBytesPerHour(1L << 40)
                .setCooldownSeconds(60).setUpdatedAt(Instant.EPOCH).setScope(scope).setBudgetShare(budgetShare)
                .build();
    }
}
