package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.domain.SiteOffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateMapperTest {
    /** Every field as the schema's default, as Avro's builder would set it (a field added later included). */
    @Test
    void shouldMakeANewDatasetRecordAsTheBuilderDoes() {
        DatasetState expected = DatasetState.newBuilder().setKey("datasets/d000001").build();
        DatasetState made = StateMapper.newDatasetState("datasets/d000001");
        assertEquals(expected, made);
        assertEquals(expected.toString(), made.toString());
        made.getReplicaSites().add("aws");
        made.getActiveAlerts().add("COST_SPIKE:datasets/d000001");
        assertEquals(java.util.List.of(), StateMapper.newDatasetState("x").getReplicaSites(),
                "each record gets lists of its own");
    }

    @Test
    void shouldCarryEveryPriceOfAStorageClassIntoTheSiteOffer() {
        Site site = Site.newBuilder().setName("aws").setProvider(Provider.AWS).setRegion("us-east")
                .setEndpoint("http://localhost:1").setP95LatencyMs(25).setEgressPricePerGb(0.09).setEncrypted(true)
                .setCapacityBytes(Long.MAX_VALUE)
                .setStorageClasses(List.of(StorageClassPrice.newBuilder().setName("STANDARD_IA").setTier(Tier.WARM)
                        .setStoragePricePerGbMonth(0.0125).setRetrievalPricePerGb(0.01).setRequestPricePer1000(0.001)
                        .setPutPricePer1000(0.01).setMinimumStorageDays(30).setMinimumBillableBytes(131_072)
                        .setMonitoringPricePerObjectMonth(0.0000025).build()))
                .build();

        SiteOffer offer = StateMapper.site(site);

        assertEquals(List.of(new SiteOffer.StorageClassOffer("STANDARD_IA", io.tierflow.streams.domain.Tier.WARM,
                0.0125, 0.01, 0.001, 0.01, 30, 131_072, 0.0000025)), offer.classes());
    }
}
