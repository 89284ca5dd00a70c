package io.tierflow.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** N copies with write quorum W: W from 1 to N, and N no more than the catalogue's providers. */
class QuorumRulesTest {

    @Test
    void shouldAcceptAQuorumWithinTheCopies() {
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(quorum(3, 2)));
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(quorum(3, 3)));
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(quorum(1, null)));
        assertEquals(Optional.empty(), CatalogueRules.policyProblem(quorum(null, null)), "today's policies");
    }

    @Test
    void shouldRefuseAQuorumLargerThanTheCopies() {
        assertEquals(Optional.of("writeQuorum 3 exceeds copies 2: a quorum larger than the copies kept could never be "
                + "met"), CatalogueRules.policyProblem(quorum(2, 3)));
    }

    @Test
    void shouldRefuseAQuorumOrCopiesBelowOne() {
        assertTrue(CatalogueRules.policyProblem(quorum(3, 0)).orElseThrow().startsWith("writeQuorum must be at least 1"));
        assertTrue(CatalogueRules.policyProblem(quorum(0, null)).orElseThrow().startsWith("copies must be at least 1"));
        assertTrue(CatalogueRules.policyProblem(quorum(-2, 1)).orElseThrow().startsWith("copies must be at least 1"));
    }

    @Test
    void shouldCheckAQuorumWithoutCopiesAgainstTheTierKeepingFewest() {
        Policy perTier = Policy.newBuilder(quorum(null, 2)).setReplicationHot(3).setReplicationWarm(2)
                .setReplicationCold(1).build();
        String problem = CatalogueRules.policyProblem(perTier).orElseThrow();
        assertTrue(problem.startsWith("writeQuorum 2 exceeds the copies kept at some tier (replicationHot 3, "
                + "replicationWarm 2, replicationCold 1)"), problem);
        assertTrue(problem.endsWith("or a writeQuorum of at most 1"), problem);

        assertEquals(Optional.empty(), CatalogueRules.policyProblem(Policy.newBuilder(perTier).setReplicationCold(2)
                .build()));
    }

    @Test
    void shouldRefuseMoreCopiesThanTheCatalogueHasProviders() {
        List<Site> sites = List.of(site("aws", Provider.AWS, true), site("aws-2", Provider.AWS, true),
                site("gcp", Provider.GCP, false));

        String problem = CatalogueRules.providersProblem(quorum(3, 2), sites).orElseThrow();

        assertEquals("copies 3 needs 3 distinct providers (each copy on its own), but the catalogue's sites are on 2 "
                + "(AWS, GCP); add sites on other providers first, or ask for at most 2 copies", problem);
        assertEquals(Optional.empty(), CatalogueRules.providersProblem(quorum(2, 2), sites),
                "a site that is down still counts: it comes back with its copies");
        assertEquals(Optional.empty(), CatalogueRules.providersProblem(quorum(null, null), sites));
        assertEquals(Optional.empty(), CatalogueRules.providersProblem(quorum(3, 2), List.of()),
                "no catalogue yet: policies may come first");
    }

    private static Policy quorum(Integer copies, Integer writeQuorum) {
        return Policy.newBuilder(PolicyScopeRulesTest.policy("default", null, null)).setCopies(copies)
                .setWriteQuorum(writeQuorum).build();
    }

    private static Site site(String name, Provider provider, boolean up) {
        return Site.newBuilder().setName(name).setProvider(provider).setRegion("r").setEndpoint("http://127.0.0.1:1")
                .setStorageClasses(List.of(StorageClassPrice.newBuilder().setName("STANDARD").setTier(Tier.HOT)
                        .setStoragePricePerGbMonth(0.02).build()))
                .setP95LatencyMs(20).setEgressPricePerGb(0.09).setEncrypted(true).setCapacityBytes(Long.MAX_VALUE)
                .setUp(up).build();
    }
}
