package io.tierflow.streams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The round trips a read is expected to take between regions. */
class RegionRoundTripsTest {
    @Test
    void shouldBeTheSameBothWays() {
        assertEquals(75.0, RegionRoundTrips.ms("us-east", "eu-west"));
        assertEquals(75.0, RegionRoundTrips.ms("eu-west", "us-east"));
        assertEquals(120.0, RegionRoundTrips.ms("ap-south", "eu-west"));
    }

    @Test
    void shouldTakeAMillisecondWithinARegionAndALongHopBetweenUnknownOnes() {
        assertEquals(RegionRoundTrips.SAME_REGION_MS, RegionRoundTrips.ms("ap-south", "ap-south"));
        assertEquals(RegionRoundTrips.SAME_REGION_MS, RegionRoundTrips.ms("mars", "mars"));
        assertEquals(RegionRoundTrips.UNKNOWN_MS, RegionRoundTrips.ms("us-east", "mars"));
        assertEquals(RegionRoundTrips.UNKNOWN_MS, RegionRoundTrips.ms("mars", "us-east"));
    }

    @Test
    void shouldExpectTheSitesP95PlusTheTrip() {
        SiteOffer onprem = new SiteOffer("onprem", "ONPREM", "eu-west", 8, 0, true, true, Long.MAX_VALUE, List.of());
        assertEquals(83.0, RegionRoundTrips.expectedLatencyMs(onprem, "us-east"));
        assertEquals(9.0, RegionRoundTrips.expectedLatencyMs(onprem, "eu-west"));
    }
}
