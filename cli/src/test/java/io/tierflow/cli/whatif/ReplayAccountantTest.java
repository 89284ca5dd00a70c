package io.tierflow.cli.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.cli.trace.SiteChoice;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.cost.ClassPrices;
import io.tierflow.streams.domain.cost.CostMeter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The accountant charges each change once, as the shared meter would for the same story told directly: a copy made
 * by a migration and then seen again in the topology's state is not placed twice, a class changed in place is a move.
 */
class ReplayAccountantTest {
    private static final long DAY = 86_400_000L;
    private static final long GB = 1_000_000_000L;

    private final Map<String, Site> sites = ReplayScenario.sites();

    private ClassPrices prices(String site, String storageClass) {
        SiteOffer offer = SiteChoice.offer(sites.get(site));
        return ClassPrices.of(offer.classes().stream().filter(c -> c.name().equals(storageClass)).findFirst()
                .orElseThrow());
    }

    @Test
    void shouldChargeACopyOnceThoughTheStateShowsItAfterwards() {
        ReplayAccountant accountant = new ReplayAccountant("p", sites, DAY);
        accountant.placed("ds", "azure", "GLACIER_IR", GB, 0);
        accountant.served("ds", "azure", "GLACIER_IR", "us-east", true, GB, 35, 50, DAY);
        accountant.copied("ds", "azure", "aws", "STANDARD", GB, 2 * DAY);
        accountant.placed("ds", "aws", "STANDARD", GB, 2 * DAY); // the state read back after the COPY completed
        accountant.placed("ds", "aws", "STANDARD", GB, 2 * DAY + 1_000); // and again after the SWITCH
        accountant.removed("ds", "azure", 3 * DAY); // the RETIRE, well within GLACIER_IR's 90 days
        accountant.placed("ds", "aws", "STANDARD_IA", GB, 40 * DAY); // a change of class in place
        PolicyCosts costs = accountant.finish(50 * DAY);

        CostMeter meter = new CostMeter();
        SiteOffer azure = SiteChoice.offer(sites.get("azure"));
        SiteOffer aws = SiteChoice.offer(sites.get("aws"));
        meter.placed("ds", "azure", prices("azure", "GLACIER_IR"), GB, 0);
        meter.read("ds", azure, prices("azure", "GLACIER_IR"), "us-east", GB, DAY);
        meter.copied("ds", azure, aws, prices("aws", "STANDARD"), GB, 2 * DAY);
        meter.removed("ds", "azure", 3 * DAY);
        meter.placed("ds", "aws", prices("aws", "STANDARD_IA"), GB, 40 * DAY);
        assertEquals(meter.finish(50 * DAY), costs.cost());

        assertEquals(1, costs.moves());
        assertEquals(GB, costs.bytesMoved());
        assertEquals(Map.of("COLD", 1L), costs.getsByTier());
        assertEquals(0, costs.slaMisses(), "35 ms within a 50 ms SLA");
    }

    @Test
    void shouldCountSlaMissesAndLeaveUnknownCopiesUnpriced() {
        ReplayAccountant accountant = new ReplayAccountant("p", sites, DAY);
        accountant.placed("ds", "azure", "STANDARD", GB, 0);
        accountant.served("ds", "azure", "STANDARD", "eu-west", true, 1_000, 35, 30, 1_000);
        accountant.served("ds", "azure", "STANDARD", "eu-west", false, 0, 35, 30, 2_000); // a HEAD: not priced
        accountant.served("ds", "nowhere", "STANDARD", "eu-west", true, 1_000, 35, 30, 3_000);
        accountant.unplacedRead();
        PolicyCosts costs = accountant.finish(DAY);

        assertEquals(1, costs.slaMisses());
        assertEquals(Map.of("HOT", 1L), costs.getsByTier());
        assertEquals(2, costs.unplacedReads());
        assertEquals(prices("azure", "STANDARD").getPer1000() / 1000, costs.cost().requestUsd(), 1e-15,
                "the GET only: the baselines and the optimum price reads only");
    }
}
