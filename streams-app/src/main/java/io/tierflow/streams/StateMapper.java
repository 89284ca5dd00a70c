package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.PendingCost;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.streams.domain.LogisticScorer;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Converts between the Avro records Kafka carries and the domain's plain types. */
final class StateMapper {
    private StateMapper() {
    }

    /**
     * A dataset record with the schema's defaults, as {@code DatasetState.newBuilder().setKey(key).build()} makes it.
     * Set field by field because the builder deep-copies each default from the schema, which was a tenth of the work of
     * taking in a new dataset's inventory in the benchmark's profile; {@code StateMapperTest} compares the two, so a
     * field added with another default fails it.
     */
    static DatasetState newDatasetState(String key) {
        DatasetState state = new DatasetState();
        state.setKey(key);
        state.setReplicaSites(new ArrayList<>());
        state.setDueAt(-1L);
        state.setActiveAlerts(new ArrayList<>());
        state.setPendingCost(new PendingCost());
        state.setCopyVersions(new HashMap<>());
        return state;
    }

    static TieringPolicy policy(Policy p) {
        return new TieringPolicy(p.getName(), p.getHeatHalfLifeSeconds() * 1000, new HashMap<>(p.getOpWeights()),
                p.getBytesWeightPerGb(), p.getHotThreshold(), p.getWarmThreshold(), p.getHysteresis(),
                p.getScoreBoost(), p.getReplicationHot(), p.getReplicationWarm(), p.getReplicationCold(),
                p.getDefaultLatencySlaMs(), p.getEncryptedOnly(), p.getCooldownSeconds() * 1000, p.getHorizonDays(),
                p.getRetireGraceSeconds() * 1000, p.getLatenessSeconds() * 1000,
                TieringPolicy.Decision.valueOf(p.getDecision().name()));
    }

    static LogisticScorer scorer(Model model) {
        List<LogisticScorer.Weight> weights = new ArrayList<>();
        for (FeatureWeight f : model.getFeatures()) {
            weights.add(new LogisticScorer.Weight(f.getName(), f.getMean(), f.getScale(), f.getCoefficient()));
        }
        return new LogisticScorer(model.getVersion(), model.getIntercept(), weights);
    }

    static SiteOffer site(Site site) {
        List<SiteOffer.StorageClassOffer> classes = new ArrayList<>();
        for (StorageClassPrice price : site.getStorageClasses()) {
            classes.add(new SiteOffer.StorageClassOffer(price.getName(), tier(price.getTier()),
                    price.getStoragePricePerGbMonth(), price.getRetrievalPricePerGb(), price.getRequestPricePer1000(),
                    price.getPutPricePer1000(), price.getMinimumStorageDays(), price.getMinimumBillableBytes(),
                    price.getMonitoringPricePerObjectMonth()));
        }
        return new SiteOffer(site.getName(), site.getProvider().name(), site.getRegion(), site.getP95LatencyMs(),
                site.getEgressPricePerGb(), site.getEncrypted(), site.getUp(), site.getCapacityBytes(), classes);
    }

    static Tier tier(io.tierflow.schemas.Tier tier) {
        return tier == null ? null : Tier.valueOf(tier.name());
    }

    static io.tierflow.schemas.Tier tier(Tier tier) {
        return tier == null ? null : io.tierflow.schemas.Tier.valueOf(tier.name());
    }
}
