package io.tierflow.streams.domain.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tierflow.streams.domain.CostModel;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status quo, priced by hand: each dataset hot where it was registered, by the actual copies' rules. */
class StatusQuoTest {
    private static final SiteOffer.StorageClassOffer AWS_STANDARD =
            new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.023, 0.0, 0.4);
    private static final SiteOffer.StorageClassOffer AWS_IA =
            new SiteOffer.StorageClassOffer("STANDARD_IA", Tier.WARM, 0.0125, 0.01, 1.0, 0.0, 30, 131_072, 0.0);
    private static final SiteOffer AWS = new SiteOffer("aws", "AWS", "us-east", 25, 0.09, true, true, Long.MAX_VALUE,
            List.of(AWS_STANDARD, AWS_IA));
    private static final SiteOffer ONPREM = new SiteOffer("onprem", "ONPREM", "eu-west", 8, 0.02, true, true,
            Long.MAX_VALUE, List.of(new SiteOffer.StorageClassOffer("STANDARD", Tier.HOT, 0.01, 0.0, 0.0)));
    private static final Map<String, SiteOffer> SITES = Map.of("aws", AWS, "onprem", ONPREM);

    @Test
    void shouldStoreEachRegisteredCopyInItsClass() {
        // 2 GB registered on aws in STANDARD_IA, with a replica on onprem (its hot class).
        assertEquals(2 * 0.0125 + 2 * 0.01,
                StatusQuo.storageUsdPerMonth(2_000_000_000L, "aws", "STANDARD_IA", List.of("onprem"), SITES::get),
                1e-12);
        assertEquals(2 * 0.023, StatusQuo.storageUsdPerMonth(2_000_000_000L, "aws", "PREMIUM", List.of(), SITES::get),
                1e-12, "a class the catalogue does not list: the site's hot class");
        assertEquals(2 * 0.023, StatusQuo.storageUsdPerMonth(2_000_000_000L, "aws", "STANDARD", List.of("gone"),
                SITES::get), 1e-12, "a copy on a site that is not in the catalogue costs nothing we could price");
    }

    @Test
    void shouldPriceReadsAtThePrimarysClassWithEgressFromTheCopyTheyAreRoutedTo() {
        // 10 reads of 1 GB in all. eu-west: onprem (8 + 1 ms) rather than aws (25 + 75): no egress.
        CostModel.ReadCost euWest = StatusQuo.reads("aws", "STANDARD_IA", List.of("onprem"), "eu-west", 10,
                1_000_000_000L, SITES::get);
        assertEquals(new CostModel.ReadCost(0.0, 10 * 1.0 / 1000, 1 * 0.01), euWest,
                "no egress; GETs and retrieval at the primary's STANDARD_IA");
        // ap-south: onprem (8 + 120) rather than aws (25 + 190): onprem's egress.
        CostModel.ReadCost apSouth = StatusQuo.reads("aws", "STANDARD_IA", List.of("onprem"), "ap-south", 10,
                1_000_000_000L, SITES::get);
        assertEquals(1 * 0.02, apSouth.egressUsd(), 1e-12);
        // Without the replica, ap-south reads come from aws: aws's egress.
        assertEquals(1 * 0.09, StatusQuo.reads("aws", "STANDARD_IA", List.of(), "ap-south", 10, 1_000_000_000L,
                SITES::get).egressUsd(), 1e-12);
        assertEquals(0.0, StatusQuo.reads("aws", "STANDARD", List.of(), "us-east", 10, 1_000_000_000L, SITES::get)
                .egressUsd(), 1e-12, "a client in the site's region");
    }

    @Test
    void shouldNotPriceADatasetRegisteredAtASiteOutsideTheCatalogue() {
        assertNull(StatusQuo.reads("gone", "STANDARD", List.of("onprem"), "eu-west", 1, 1, SITES::get));
        assertEquals(AWS_IA, StatusQuo.classAt(AWS, "STANDARD_IA").orElseThrow());
        assertEquals(AWS_STANDARD, StatusQuo.classAt(AWS, null).orElseThrow());
    }
}
