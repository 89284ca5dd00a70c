package io.tierflow.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.MigrationPlanner.Action;
import io.tierflow.streams.domain.ReadRouting.ServingCopy;
import io.tierflow.streams.domain.SiteOffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the traffic generator takes a dataset's bytes to be, and which copy serves a read. */
class CurrentPlacementsTest {
    private static final String KEY = "datasets/d000001";
    private static final String SHA = "ab".repeat(32);
    private final CurrentPlacements placements = new CurrentPlacements();

    @BeforeEach
    void catalogue() {
        placements.site(site("aws", "us-east", 25, true));
        placements.site(site("azure", "eu-west", 35, true));
        placements.site(site("gcp", "us-central", 30, true));
        placements.site(site("onprem", "eu-west", 8, true));
    }

    @Test
    void shouldServeFromTheStartingSiteWhileNothingIsKnownOfTheDataset() {
        assertEquals(new ServingCopy("azure", "eu-west", 35), placements.servingCopy(KEY, "azure", "us-east"));
        assertEquals(Optional.empty(), placements.copiesOf(KEY));
    }

    @Test
    void shouldServeFromWhereTheInventorySaysUntilAStepCompletes() {
        placements.inventory(KEY, "aws", List.of(), SHA);

        assertEquals("aws", placements.servingCopy(KEY, "gcp", "eu-west").site(),
                "the registered site, not the traffic's own idea of the starting site");
    }

    @Test
    void shouldFollowACompletedMoveAndServeFromTheNearestCopy() {
        placements.inventory(KEY, "aws", List.of(), SHA);

        placements.completed(KEY, Action.COPY, "aws", "azure", SHA);
        assertEquals(Optional.of(List.of("aws", "azure")), placements.copiesOf(KEY));
        assertEquals("azure", placements.servingCopy(KEY, "aws", "eu-west").site(), "the new copy is near eu-west");
        assertEquals("aws", placements.servingCopy(KEY, "aws", "us-east").site(), "the old one is near us-east");

        placements.completed(KEY, Action.SWITCH, "aws", "azure", SHA);
        placements.completed(KEY, Action.RETIRE, "aws", "aws", null);
        assertEquals(Optional.of(List.of("azure")), placements.copiesOf(KEY));
        assertEquals(new ServingCopy("azure", "eu-west", 35), placements.servingCopy(KEY, "aws", "us-east"),
                "the only copy left serves everyone");
    }

    @Test
    void shouldNotMoveOnAStepWhoseChecksumIsNotTheInventorys() {
        placements.inventory(KEY, "aws", List.of(), SHA);

        placements.completed(KEY, Action.COPY, "aws", "azure", "cd".repeat(32));

        assertEquals(Optional.of(List.of("aws")), placements.copiesOf(KEY));
        assertEquals("aws", placements.servingCopy(KEY, "aws", "eu-west").site());
    }

    @Test
    void shouldKeepMovedCopiesWhenTheDatasetIsRegisteredAgain() {
        placements.inventory(KEY, "aws", List.of(), SHA);
        placements.completed(KEY, Action.COPY, "aws", "gcp", SHA);
        placements.completed(KEY, Action.SWITCH, "aws", "gcp", SHA);

        String newSha = "ef".repeat(32);
        placements.inventory(KEY, "aws", List.of(), newSha); // a producer registering its starting site again
        assertEquals(Optional.of(List.of("gcp", "aws")), placements.copiesOf(KEY), "as the topology keeps them");

        placements.completed(KEY, Action.COPY, "gcp", "azure", newSha);
        assertEquals(Optional.of(List.of("gcp", "aws", "azure")), placements.copiesOf(KEY),
                "steps are checked against the newest checksum");
    }

    @Test
    void shouldIgnoreStepsOfUnknownDatasetsAndForgetDeletedOnes() {
        placements.completed(KEY, Action.COPY, "aws", "azure", SHA);
        assertEquals(Optional.empty(), placements.copiesOf(KEY));

        placements.inventory(KEY, "onprem", List.of(), SHA);
        placements.deleted(KEY);
        assertEquals("gcp", placements.servingCopy(KEY, "gcp", "eu-west").site());
    }

    @Test
    void shouldSkipACopyOnASiteThatIsDown() {
        placements.inventory(KEY, "aws", List.of("onprem"), SHA);
        assertEquals("onprem", placements.servingCopy(KEY, "aws", "eu-west").site());

        placements.site(site("onprem", "eu-west", 8, false));
        assertEquals("aws", placements.servingCopy(KEY, "aws", "eu-west").site());

        placements.site(site("aws", "us-east", 25, false));
        assertEquals("aws", placements.servingCopy(KEY, "azure", "eu-west").site(),
                "no copy is up: the primary, where the read would wait");
    }

    @Test
    void shouldDescribeSitesTheCatalogueDoesNotHoldAsTheLocalStacksOrAsUnknown() {
        CurrentPlacements noCatalogue = new CurrentPlacements();
        noCatalogue.inventory(KEY, "onprem", List.of(), SHA);
        assertEquals(new ServingCopy("onprem", "eu-west", 8), noCatalogue.servingCopy(KEY, "aws", "eu-west"));

        placements.siteRemoved("aws");
        ServingCopy unknown = placements.servingCopy("other", "elsewhere", "eu-west");
        assertEquals("elsewhere", unknown.site());
        assertTrue(unknown.p95LatencyMs() > 0);
    }

    private static SiteOffer site(String name, String region, double p95Ms, boolean up) {
        return new SiteOffer(name, "AWS", region, p95Ms, 0.09, true, up, Long.MAX_VALUE, List.of());
    }
}
