package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CandidateCosts#primaryMoveUsd}: the one-off cost of moving a primary, worked out by hand. */
class PrimaryMoveCostTest {
    private static final long DAY_MS = 24L * 3_600_000;
    private static final long NOW = 1_000 * DAY_MS;

    // S3-like in us-east: cold class $0.004/GB-month, $0.03/GB retrieved, $0.01 per 1000 GETs, $0.02 per 1000 PUTs,
    // 90 days minimum; egress $0.09/GB.
    private static final SiteOffer.StorageClassOffer AWS_COLD = new SiteOffer.StorageClassOffer("GLACIER_IR", Tier.COLD,
            0.004, 0.03, 0.01, 0.02, 90, 0, 0.0);
    private static final SiteOffer AWS = new SiteOffer("aws", "AWS", "us-east", 25, 0.09, true, true, Long.MAX_VALUE,
            List.of(AWS_COLD));
    private static final SiteOffer.StorageClassOffer AZURE_COLD = new SiteOffer.StorageClassOffer("COLD", Tier.COLD,
            0.0036, 0.03, 0.01, 0.0234, 90, 0, 0.0);
    private static final SiteOffer AZURE = new SiteOffer("azure", "AZURE", "eu-west", 35, 0.087, true, true,
            Long.MAX_VALUE, List.of(AZURE_COLD));
    private static final SiteOffer.StorageClassOffer GCP_COLD = new SiteOffer.StorageClassOffer("COLDLINE", Tier.COLD,
            0.004, 0.02, 0.01, 0.02, 90, 0, 0.0);
    private static final SiteOffer GCP_EAST = new SiteOffer("gcp", "GCP", "us-east", 30, 0.12, false, true,
            Long.MAX_VALUE, List.of(GCP_COLD));
    private static final Map<String, SiteOffer> BY_NAME = Map.of("aws", AWS, "azure", AZURE, "gcp", GCP_EAST);

    @Test
    void shouldChargeTheCopyTheTransferAndTheRestOfTheMinimumLeftBehind() {
        // 10 GB on aws, moved there 30 days ago: 60 of its 90 days are still to pay.
        DatasetEvaluator.Facts dataset = facts(10_000_000_000L, NOW - 30 * DAY_MS);

        double cost = CandidateCosts.primaryMoveUsd(dataset, AZURE, AZURE_COLD, BY_NAME, NOW);

        double copy = 0.01 / 1000 + 10 * 0.03 // aws's GET and retrieval
                + 10 * 0.09 // aws's egress to another region
                + 0.0234 / 1000; // azure's PUT
        double earlyDeletion = 10 * 0.004 * 60 / 30.0;
        assertEquals(copy + earlyDeletion, cost, 1e-12);
    }

    @Test
    void shouldChargeNoEgressWithinARegionNorEarlyDeletionOnceTheMinimumIsServed() {
        DatasetEvaluator.Facts dataset = facts(10_000_000_000L, NOW - 120 * DAY_MS);

        double cost = CandidateCosts.primaryMoveUsd(dataset, GCP_EAST, GCP_COLD, BY_NAME, NOW);

        assertEquals(0.01 / 1000 + 10 * 0.03 + 0.02 / 1000, cost, 1e-12);
    }

    @Test
    void shouldCostATinyObjectItsRequestsAboveAll() {
        DatasetEvaluator.Facts dataset = facts(1_000, 0); // never moved: taken to have served its minimum

        double cost = CandidateCosts.primaryMoveUsd(dataset, AZURE, AZURE_COLD, BY_NAME, NOW);

        assertEquals(0.01 / 1000 + 0.0234 / 1000 + 1e-6 * (0.03 + 0.09), cost, 1e-15);
    }

    @Test
    void shouldCostNothingToStayOnTheSiteThatHoldsThePrimary() {
        assertEquals(0.0, CandidateCosts.primaryMoveUsd(facts(10_000_000_000L, NOW - DAY_MS), AWS, AWS_COLD,
                BY_NAME, NOW), 0.0);
    }

    private static DatasetEvaluator.Facts facts(long sizeBytes, long lastMoveAtMs) {
        return new DatasetEvaluator.Facts("k", sizeBytes, null, Tier.COLD, "aws", List.of(), "GLACIER_IR",
                lastMoveAtMs, false, 0);
    }
}
