package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.Severity;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The census counts datasets once, copies per site, prices what is stored, and never needs per-dataset series. */
class StateCensusTest {
    private static final long GB = 1_000_000_000L;

    private final Map<String, SiteOffer> sites = new HashMap<>();

    StateCensusTest() {
        TopologyFixture.standardSites().forEach(s -> sites.put(s.getName(), StateMapper.site(s)));
    }

    private StateCensus census() {
        return new StateCensus(sites);
    }

    private static DatasetState dataset(String key, io.tierflow.schemas.Tier tier, String primary, String storageClass,
            List<String> replicas, long size) {
        return DatasetState.newBuilder().setKey(key).setTier(tier)
                .setInventory(TopologyFixture.dataset(key, primary, storageClass, size))
                .setPrimarySite(primary).setStorageClass(storageClass).setReplicaSites(replicas).build();
    }

    @Test
    void shouldCountDatasetsOnceAndEachCopyAtItsSiteWithItsMonthlyStorageCost() {
        StateCensus census = census();
        census.dataset(dataset("a", io.tierflow.schemas.Tier.HOT, "aws", "STANDARD", List.of("gcp"), 2 * GB));
        census.dataset(dataset("b", io.tierflow.schemas.Tier.COLD, "azure", "GLACIER_IR", List.of(), 10 * GB));
        DatasetState moving = dataset("c", io.tierflow.schemas.Tier.COLD, "azure", "GLACIER_IR", List.of(), GB);
        moving.setInFlight(MigrationCommand.newBuilder().setId("x").setKey("c")
                .setAction(io.tierflow.schemas.MigrationAction.COPY).setSourceSite("azure").setDestinationSite("gcp")
                .setStorageClass("GLACIER_IR").setExpectedVersionToken("v").setExpectedSha256("00").setSizeBytes(GB)
                .setIssuedAt(Instant.EPOCH).build());
        census.dataset(moving);
        DatasetState eventsOnly = DatasetState.newBuilder().setKey("d").build();
        census.dataset(eventsOnly);

        assertEquals(1, census.datasetsByTier[Tier.HOT.ordinal()]);
        assertEquals(0, census.datasetsByTier[Tier.WARM.ordinal()]);
        assertEquals(2, census.datasetsByTier[Tier.COLD.ordinal()], "a dataset known only from events is not counted");
        assertEquals(new StateCensus.Holding(1, 2 * GB), census.holdings.get("aws")[Tier.HOT.ordinal()]);
        assertEquals(new StateCensus.Holding(1, 2 * GB), census.holdings.get("gcp")[Tier.HOT.ordinal()],
                "a replica is a copy at its site");
        assertEquals(new StateCensus.Holding(2, 11 * GB), census.holdings.get("azure")[Tier.COLD.ordinal()]);
        assertEquals(1, census.migrationsInFlight);
        // Primary copies priced at their actual class, replicas at the site's class for the tier.
        assertEquals(2 * 0.023, census.storageUsdPerMonth.get("aws"), 1e-9);
        assertEquals(2 * 0.020, census.storageUsdPerMonth.get("gcp"), 1e-9);
        assertEquals(11 * 0.0036, census.storageUsdPerMonth.get("azure"), 1e-9);
        // Baseline: the status quo, each dataset where it was registered; these were registered where they are.
        assertEquals(2 * 0.023 + 11 * 0.0036, census.baselineStorageUsdPerMonth, 1e-9);
    }

    @Test
    void shouldPriceTheBaselineWhereEachDatasetWasRegisteredNotWhereItIsNow() {
        StateCensus census = census();
        DatasetState moved = dataset("m", io.tierflow.schemas.Tier.COLD, "azure", "GLACIER_IR", List.of(), 2 * GB);
        moved.getInventory().setPrimarySite("aws");
        moved.getInventory().setStorageClass("STANDARD");
        moved.getInventory().setReplicaSites(List.of("gcp"));
        census.dataset(moved); // registered hot on aws with a replica on gcp, now cold on azure
        DatasetState unlisted = dataset("u", io.tierflow.schemas.Tier.WARM, "azure", "STANDARD_IA", List.of(), GB);
        unlisted.getInventory().setStorageClass("PREMIUM");
        census.dataset(unlisted); // registered in a class the catalogue does not list: azure's hot class
        census.dataset(dataset("i", io.tierflow.schemas.Tier.WARM, "aws", "STANDARD_IA", List.of(), GB));

        assertEquals(2 * (0.023 + 0.020) + 0.0208 + 0.0125, census.baselineStorageUsdPerMonth, 1e-9,
                "aws STANDARD and gcp's hot class for m, azure STANDARD for u, aws STANDARD_IA as registered for i");
        assertEquals(2 * 0.0036 + 0.0152, census.storageUsdPerMonth.get("azure"), 1e-9, "the actual copies");
    }

    @Test
    void shouldCountUnresolvedAlertsByTypeAndStateAndSumTheLedger() {
        StateCensus census = census();
        census.alert(alert("SITE_DOWN:aws", AlertType.SITE_DOWN, AlertState.FIRING));
        census.alert(alert("TRAFFIC_SPIKE:a", AlertType.TRAFFIC_SPIKE, AlertState.ACKNOWLEDGED));
        census.alert(alert("TRAFFIC_SPIKE:b", AlertType.TRAFFIC_SPIKE, AlertState.RESOLVED));
        census.ledger(CostLedger.newBuilder().setSite("aws").setTier(io.tierflow.schemas.Tier.HOT).setStorageUsd(1.5)
                .setEgressUsd(0.25).build());
        census.ledger(CostLedger.newBuilder().setSite("aws").setTier(io.tierflow.schemas.Tier.HOT).setStorageUsd(0.5)
                .build()); // the same key from another partition's store
        census.ledger(CostLedger.newBuilder().setSite("gcp").setTier(io.tierflow.schemas.Tier.HOT).setBaseline(true)
                .setStorageUsd(4).setRequestUsd(0.125).build());

        assertEquals(1, census.activeAlerts[AlertType.SITE_DOWN.ordinal()][AlertState.FIRING.ordinal()]);
        assertEquals(1, census.activeAlerts[AlertType.TRAFFIC_SPIKE.ordinal()][AlertState.ACKNOWLEDGED.ordinal()]);
        assertEquals(0, census.activeAlerts[AlertType.TRAFFIC_SPIKE.ordinal()][AlertState.RESOLVED.ordinal()]);
        double[] awsHot = census.costs.get("aws|HOT");
        assertEquals(2.0, awsHot[0], 1e-9);
        assertEquals(0.25, awsHot[1], 1e-9);
        assertEquals(4.0, census.baselineCosts[0], 1e-9);
        assertEquals(0.125, census.baselineCosts[2], 1e-9);
        assertEquals(null, census.costs.get("gcp|HOT"), "the baseline is not a site's cost");
    }

    private static Alert alert(String id, AlertType type, AlertState state) {
        return Alert.newBuilder().setId(id).setType(type).setSeverity(Severity.WARNING).setState(state).setSubject("s")
                .setMessage("m").setRaisedAt(Instant.EPOCH).setUpdatedAt(Instant.EPOCH).build();
    }
}
