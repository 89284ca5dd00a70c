package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Copies verified against wanted and the write quorum, and how the planner waits for the quorum. */
class QuorumTest {
    private static final SiteOffer AWS = DecisionTest.site("aws", "AWS", "us-east", 25, 0.09, true, true, 0.023,
            0.0125, 0.004);
    private static final SiteOffer AZURE = DecisionTest.site("azure", "AZURE", "eu-west", 35, 0.087, true, true,
            0.0208, 0.0152, 0.0036);
    private static final SiteOffer GCP = DecisionTest.site("gcp", "GCP", "us-central", 30, 0.12, false, true, 0.020,
            0.010, 0.0045);
    private static final SiteOffer GCP_2 = DecisionTest.site("gcp-2", "GCP", "us-central", 30, 0.12, false, true,
            0.019, 0.010, 0.0045);

    private static SiteOffer down(SiteOffer site) {
        return new SiteOffer(site.name(), site.provider(), site.region(), site.p95LatencyMs(), site.egressPerGb(),
                site.encrypted(), false, site.capacityBytes(), site.classes());
    }

    private static TieringPolicy policy(int copies, int writeQuorum) {
        TieringPolicy p = TieringPolicy.BUILT_IN;
        return new TieringPolicy(p.name(), p.halfLifeMs(), p.opWeights(), p.bytesWeightPerGb(), p.hotThreshold(),
                p.warmThreshold(), p.hysteresis(), p.scoreBoost(), p.replicationHot(), p.replicationWarm(),
                p.replicationCold(), p.defaultSlaMs(), p.encryptedOnly(), 0L, p.horizonDays(), p.retireGraceMs(),
                p.latenessMs(), p.decision(), copies, writeQuorum, 0L);
    }

    @Test
    void shouldBeDurableAtTheQuorumWithTheMissingCopyWaitingForTheSiteThatIsDown() {
        List<SiteOffer> sites = List.of(AWS, AZURE, down(GCP));

        Quorum.Status status = Quorum.of("azure", List.of("aws"), List.of("azure", "aws"), 3, 2, sites);

        assertEquals(3, status.wanted());
        assertEquals(2, status.verified());
        assertTrue(status.durable());
        assertEquals("1 copy missing: waiting for gcp (down) to be marked up", status.repair());
    }

    @Test
    void shouldNotBeDurableBelowTheQuorumAndSayWhichCopyIsBeingMade() {
        Quorum.Status status = Quorum.of("azure", List.of(), List.of("azure", "aws", "gcp"), 3, 2,
                List.of(AWS, AZURE, GCP));

        assertEquals(1, status.verified());
        assertFalse(status.durable());
        assertEquals("2 copies missing: being copied to aws, gcp", status.repair());
    }

    @Test
    void shouldCountACopyOnASiteThatIsDownAgainOnceItIsUp() {
        Quorum.Status whileDown = Quorum.of("azure", List.of("aws", "gcp"), List.of("azure", "aws"), 3, 3,
                List.of(AWS, AZURE, down(GCP)));
        assertEquals(2, whileDown.verified(), "a copy that cannot be read now is not counted");
        assertFalse(whileDown.durable());
        assertTrue(whileDown.repair().contains("waiting for gcp (down)"), whileDown.repair());

        Quorum.Status back = Quorum.of("azure", List.of("aws", "gcp"), List.of("azure", "aws", "gcp"), 3, 3,
                List.of(AWS, AZURE, GCP));
        assertEquals(3, back.verified());
        assertTrue(back.durable());
        assertNull(back.repair(), "nothing missing");
    }

    @Test
    void shouldCountTwoCopiesOnOneProviderOnce() {
        List<SiteOffer> sites = List.of(AWS, GCP, GCP_2);
        assertEquals(1, Quorum.verified(List.of("gcp", "gcp-2"), sites), "one provider's outage takes both");
        assertEquals(2, Quorum.verified(List.of("gcp", "gcp-2", "aws"), sites));
        assertEquals(1, Quorum.verified(List.of("aws", "unknown-site"), sites), "a site not in the catalogue: none");

        Quorum.Status status = Quorum.of("gcp", List.of("gcp-2"), List.of("gcp"), 2, 2, sites);
        assertFalse(status.durable());
        assertEquals("1 copy missing: no other site can hold one (see the binding constraint)", status.repair());
    }

    @Test
    void shouldTakeTheCopiesForEveryTierAndNeverAQuorumAboveThem() {
        TieringPolicy threeOfTwo = policy(3, 2);
        for (Tier tier : Tier.values()) {
            assertEquals(3, threeOfTwo.replicationFor(tier));
            assertEquals(2, threeOfTwo.writeQuorumFor(tier));
        }
        TieringPolicy perTier = policy(0, 0); // the built-in: 2 hot, 1 warm, 1 cold
        assertEquals(2, perTier.replicationFor(Tier.HOT));
        assertEquals(1, perTier.replicationFor(Tier.COLD));
        assertEquals(1, perTier.writeQuorumFor(Tier.HOT), "no quorum set: the new primary's copy alone");
        assertEquals(1, policy(0, 2).writeQuorumFor(Tier.COLD), "capped by the copies wanted at the tier");
        assertEquals(2, policy(0, 2).writeQuorumFor(Tier.HOT));
    }

    @Test
    void shouldCopyToAReplicaBeforeSwitchingUntilTheNewPlacementIsDurable() {
        List<SiteOffer> sites = List.of(AWS, AZURE, GCP);
        PlacementDecision desired = placed(Tier.HOT, "aws", List.of("gcp"), "STANDARD");
        PlacementRequest request = request(Tier.HOT, 2, "azure", Set.of("azure", "aws"));
        MigrationPlanner.Actual newPrimaryCopied = new MigrationPlanner.Actual("azure", List.of("aws"), "STANDARD", 1L);

        MigrationPlanner.Step quorumCopy = MigrationPlanner.next(newPrimaryCopied, desired, request, sites,
                policy(2, 2), 10L).orElseThrow();
        assertEquals(MigrationPlanner.Action.COPY, quorumCopy.action());
        assertEquals("azure", quorumCopy.source());
        assertEquals("gcp", quorumCopy.destination());
        assertTrue(quorumCopy.reason().startsWith("write quorum 2"), quorumCopy.reason());

        MigrationPlanner.Step switchAtOne = MigrationPlanner.next(newPrimaryCopied, desired, request, sites,
                policy(2, 1), 10L).orElseThrow();
        assertEquals(MigrationPlanner.Action.SWITCH, switchAtOne.action(), "a quorum of 1 switches as before");

        MigrationPlanner.Actual durable = new MigrationPlanner.Actual("azure", List.of("aws", "gcp"), "STANDARD", 1L);
        MigrationPlanner.Step switchAtTwo = MigrationPlanner.next(durable, desired, request, sites, policy(2, 2), 10L)
                .orElseThrow();
        assertEquals(MigrationPlanner.Action.SWITCH, switchAtTwo.action());
        assertEquals("aws", switchAtTwo.destination());
    }

    @Test
    void shouldSwitchOffAPrimaryThatIsDownWithoutWaitingForTheQuorum() {
        List<SiteOffer> sites = List.of(AWS, down(AZURE), GCP);
        PlacementDecision desired = placed(Tier.HOT, "aws", List.of("gcp"), "STANDARD");
        MigrationPlanner.Actual evacuating = new MigrationPlanner.Actual("azure", List.of("aws"), "STANDARD", 1L);

        MigrationPlanner.Step step = MigrationPlanner.next(evacuating, desired,
                request(Tier.HOT, 2, "azure", Set.of("azure", "aws")), sites, policy(2, 2), 10L).orElseThrow();

        assertEquals(MigrationPlanner.Action.SWITCH, step.action(), "reads leave the site that is down at once");
    }

    @Test
    void shouldKeepACopyOnASiteThatIsDownAndRetireItOnceTheSiteIsBack() {
        PlacementDecision desired = placed(Tier.COLD, "aws", List.of("gcp"), "GLACIER_IR");
        MigrationPlanner.Actual actual = new MigrationPlanner.Actual("aws", List.of("gcp", "azure"), "GLACIER_IR", 1L);
        PlacementRequest request = request(Tier.COLD, 2, "aws", Set.of("aws", "gcp", "azure"));

        assertEquals(Optional.empty(), MigrationPlanner.next(actual, desired, request,
                List.of(AWS, down(AZURE), GCP), policy(2, 1), 10L), "no RETIRE waiting on a site that is down");

        MigrationPlanner.Step retire = MigrationPlanner.next(actual, desired, request, List.of(AWS, AZURE, GCP),
                policy(2, 1), 10L).orElseThrow();
        assertEquals(MigrationPlanner.Action.RETIRE, retire.action());
        assertEquals("azure", retire.source());
    }

    @Test
    void shouldRetireNothingFromAPlacementThatIsNotDurable() {
        // Three copies on three providers wanted, all three verified needed; azure is down, so the placement can
        // only hold two: the extra copy on gcp-2 is the only other one there is, and it stays.
        List<SiteOffer> sites = List.of(AWS, down(AZURE), GCP, GCP_2);
        PlacementDecision desired = placed(Tier.COLD, "aws", List.of("gcp"), "GLACIER_IR");
        MigrationPlanner.Actual actual = new MigrationPlanner.Actual("aws", List.of("gcp", "gcp-2"), "GLACIER_IR", 1L);
        PlacementRequest request = request(Tier.COLD, 3, "aws", Set.of("aws", "gcp", "gcp-2"));

        assertEquals(Optional.empty(), MigrationPlanner.next(actual, desired, request, sites, policy(3, 3), 10L));
        assertEquals(MigrationPlanner.Action.RETIRE, MigrationPlanner.next(actual, desired, request, sites,
                policy(3, 2), 10L).orElseThrow().action(), "durable at 2: the copy no longer wanted goes");
    }

    @Test
    void shouldMakeTheReplicasOfAPlacementWhosePrimaryDoesNotMove() {
        // The search ties azure and aws as primary (the same two copies cost the same whichever serves) and names
        // aws: moving the primary is not worth it, but the dataset must still get its second copy.
        List<SiteOffer> sites = List.of(AWS, AZURE, GCP);
        PlacementDecision desired = placed(Tier.COLD, "aws", List.of("azure"), "GLACIER_IR");
        PlacementRequest request = request(Tier.COLD, 2, "azure", Set.of("azure"));

        MigrationPlanner.Step copy = MigrationPlanner.next(new MigrationPlanner.Actual("azure", List.of(), "GLACIER_IR",
                0L), desired, request, sites, policy(2, 2), 10L).orElseThrow();
        assertEquals(MigrationPlanner.Action.COPY, copy.action());
        assertEquals("azure", copy.source());
        assertEquals("aws", copy.destination());

        assertEquals(Optional.empty(), MigrationPlanner.next(new MigrationPlanner.Actual("azure", List.of("aws"),
                "GLACIER_IR", 0L), desired, request(Tier.COLD, 2, "azure", Set.of("azure", "aws")), sites,
                policy(2, 2), 10L), "both copies there: swapping their roles would gain nothing");
    }

    private static PlacementDecision placed(Tier tier, String primary, List<String> replicas, String storageClass) {
        return new PlacementDecision(tier, primary, replicas, storageClass, 1.0, null, List.of());
    }

    private static PlacementRequest request(Tier tier, int copies, String currentPrimary, Set<String> held) {
        return new PlacementRequest("k", 1_000_000_000L, tier, copies, 50, false, 1.0, currentPrimary, held, Map.of(),
                0);
    }
}
