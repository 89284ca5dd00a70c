package io.tierflow.streams;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.CostLedger;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Site;
import io.tierflow.streams.domain.SiteOffer;
import io.tierflow.streams.domain.Tier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of what a streams node holds, from a periodic census of its local stores through interactive queries, on
 * the app's own thread: the stream threads' hot path keeps no extra counts, and the figures are right after a
 * restart or a rebalance because they are recounted, not maintained. A census reads every local dataset once
 * (microseconds each), so its interval bounds its cost; the gauges keep their last values while the client is
 * rebalancing.
 */
final class CensusMetrics {
    private static final Logger log = LoggerFactory.getLogger(CensusMetrics.class);

    private final KafkaStreams streams;
    private final MeterRegistry registry;
    private final MultiGauge datasets;
    private final MultiGauge copies;
    private final MultiGauge bytes;
    private final MultiGauge storageCost;
    private final MultiGauge alerts;
    private final AtomicLong inFlight = new AtomicLong();
    private final DoubleAdder baselineStorage = new DoubleAdder();
    private final Map<String, Double> costTotals = new ConcurrentHashMap<>();
    private final AtomicLong censusMillis = new AtomicLong();

    CensusMetrics(KafkaStreams streams, MeterRegistry registry) {
        this.streams = streams;
        this.registry = registry;
        datasets = MultiGauge.builder("tierflow.datasets")
                .description("Datasets held by this node, by decided tier").register(registry);
        copies = MultiGauge.builder("tierflow.dataset.copies")
                .description("Copies of datasets held by this node, by site and tier").register(registry);
        bytes = MultiGauge.builder("tierflow.stored").baseUnit("bytes")
                .description("Bytes stored at each site for this node's datasets, by tier").register(registry);
        storageCost = MultiGauge.builder("tierflow.storage.cost.usd.per.month")
                .description("What storing this node's datasets where they are costs per month, by site")
                .register(registry);
        alerts = MultiGauge.builder("tierflow.alerts.active")
                .description("Alerts firing or acknowledged (not resolved) that this node owns, by type and state")
                .register(registry);
        Gauge.builder("tierflow.migrations.in.flight", inFlight, AtomicLong::get)
                .description("Datasets of this node with a migration command issued and not yet finished")
                .register(registry);
        Gauge.builder("tierflow.baseline.storage.cost.usd.per.month", baselineStorage, DoubleAdder::sum)
                .description("What storing the same datasets where they were registered, hot, would cost per month "
                        + "(the status-quo baseline)")
                .register(registry);
        Gauge.builder("tierflow.census.duration", censusMillis, m -> m.get() / 1000.0).baseUnit("seconds")
                .description("How long the last census of the local stores took").register(registry);
        for (String kind : StateCensus.COST_KINDS) {
            FunctionCounter.builder("tierflow.baseline.cost.usd", costTotals, t -> t.getOrDefault("baseline|" + kind, 0.0))
                    .description("Cost the status-quo baseline (each dataset hot where it was registered) would have "
                        + "incurred, from the cost ledger")
                    .tag("kind", kind).register(registry);
        }
        publish(new StateCensus(Map.of()));
    }

    /** Takes a census of the local stores and publishes it; keeps the last one if the stores are not queryable. */
    void run() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return;
        }
        long started = System.nanoTime();
        try {
            Map<String, SiteOffer> sites = new HashMap<>();
            try (KeyValueIterator<String, Site> all = store(TieringTopology.SITES_STORE, Site.class).all()) {
                all.forEachRemaining(e -> sites.put(e.key, StateMapper.site(e.value)));
            }
            StateCensus census = new StateCensus(sites);
            try (KeyValueIterator<String, DatasetState> all =
                         store(TieringTopology.DATASET_STATE_STORE, DatasetState.class).all()) {
                all.forEachRemaining(e -> census.dataset(e.value));
            }
            try (KeyValueIterator<String, Alert> all = store(TieringTopology.ALERTS_STORE, Alert.class).all()) {
                all.forEachRemaining(e -> census.alert(e.value));
            }
            try (KeyValueIterator<String, CostLedger> all =
                         store(TieringTopology.COST_LEDGER_STORE, CostLedger.class).all()) {
                all.forEachRemaining(e -> census.ledger(e.value));
            }
            publish(census);
            censusMillis.set((System.nanoTime() - started) / 1_000_000);
        } catch (InvalidStateStoreException e) {
            log.debug("census skipped, stores not queryable now: {}", e.getMessage());
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    void publish(StateCensus census) {
        List<MultiGauge.Row<?>> byTier = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            byTier.add(MultiGauge.Row.of(Tags.of("tier", TieringMetrics.lower(tier)),
                    census.datasetsByTier[tier.ordinal()]));
        }
        datasets.register(byTier, true);
        List<MultiGauge.Row<?>> copyRows = new ArrayList<>();
        List<MultiGauge.Row<?>> byteRows = new ArrayList<>();
        census.holdings.forEach((site, held) -> {
            for (Tier tier : Tier.values()) {
                Tags tags = Tags.of("site", site, "tier", TieringMetrics.lower(tier));
                copyRows.add(MultiGauge.Row.of(tags, held[tier.ordinal()].copies()));
                byteRows.add(MultiGauge.Row.of(tags, held[tier.ordinal()].bytes()));
            }
        });
        copies.register(copyRows, true);
        bytes.register(byteRows, true);
        List<MultiGauge.Row<?>> costRows = new ArrayList<>();
        census.storageUsdPerMonth.forEach((site, usd) -> costRows.add(MultiGauge.Row.of(Tags.of("site", site), usd)));
        storageCost.register(costRows, true);
        List<MultiGauge.Row<?>> alertRows = new ArrayList<>();
        for (AlertType type : AlertType.values()) {
            for (AlertState state : new AlertState[] {AlertState.FIRING, AlertState.ACKNOWLEDGED}) {
                alertRows.add(MultiGauge.Row.of(Tags.of("type", TieringMetrics.lower(type),
                        "state", TieringMetrics.lower(state)), census.activeAlerts[type.ordinal()][state.ordinal()]));
            }
        }
        alerts.register(alertRows, true);
        inFlight.set(census.migrationsInFlight);
        baselineStorage.reset();
        baselineStorage.add(census.baselineStorageUsdPerMonth);
        census.costs.forEach((siteTier, values) -> {
            for (int i = 0; i < values.length; i++) {
                String key = siteTier + "|" + StateCensus.COST_KINDS[i];
                if (costTotals.put(key, values[i]) == null) {
                    registerCost(key, siteTier, StateCensus.COST_KINDS[i]);
                }
            }
        });
        for (int i = 0; i < census.baselineCosts.length; i++) {
            costTotals.put("baseline|" + StateCensus.COST_KINDS[i], census.baselineCosts[i]);
        }
    }

    /** A ledger entry's counter is registered when the entry first appears (sites come and go with the catalogue). */
    private void registerCost(String key, String siteTier, String kind) {
        String[] parts = siteTier.split("\\|", 2);
        FunctionCounter.builder("tierflow.cost.usd", costTotals, t -> t.getOrDefault(key, 0.0))
                .description("Cost incurred at each site since the start, from the cost ledger (charged at each "
                        + "dataset's evaluation, so it lags by up to the longest re-evaluation interval)")
                .tags("site", parts[0], "tier", parts[1].toLowerCase(java.util.Locale.ROOT), "kind", kind)
                .register(registry);
    }
}
