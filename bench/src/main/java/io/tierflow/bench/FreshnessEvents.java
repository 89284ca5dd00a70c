package io.tierflow.bench;

import io.tierflow.cli.traffic.BurstSchedule;
import io.tierflow.cli.traffic.DatasetSpec;
import io.tierflow.cli.traffic.DiurnalCycle;
import io.tierflow.cli.traffic.TrafficConfig;
import io.tierflow.cli.traffic.TrafficGenerator;
import io.tierflow.cli.traffic.ZipfSampler;
import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The events of the freshness phase: probes to the probe datasets, stamped with the time they are sent at, and
 * ordinary traffic (Zipf popularity, event time = now) over every other dataset.
 */
final class FreshnessEvents {
    private final List<DatasetSpec> probeSpecs;
    private final Set<String> probeKeys;
    private final TrafficGenerator traffic;
    private final String probeIdPrefix;

    /**
     * @param inventory every dataset, rank 1 first
     * @param seed seed of the ordinary traffic
     */
    FreshnessEvents(List<DatasetSpec> inventory, long seed, Freshness.Settings settings) {
        this.probeSpecs = probeDatasets(inventory, settings.probeDatasets());
        this.probeKeys = probeSpecs.stream().map(DatasetSpec::key).collect(Collectors.toUnmodifiableSet());
        Instant start = Instant.now();
        this.traffic = new TrafficGenerator(new TrafficConfig(seed, start, settings.eventsPerSecond(),
                ZipfSampler.DEFAULT_EXPONENT, new DiurnalCycle(0), TrafficConfig.DEFAULT_REGIONS, BurstSchedule.none()),
                inventory);
        this.probeIdPrefix = "bench-probe-" + start.toEpochMilli() + "-";
    }

    /** Probe datasets spread evenly over the popularity ranks, so hot and cold partitions of the key space mix. */
    static List<DatasetSpec> probeDatasets(List<DatasetSpec> inventory, int count) {
        if (count > inventory.size() / 2) {
            throw new IllegalArgumentException("at most half of the " + inventory.size() + " datasets can take "
                    + "probes (the rest carry the ordinary traffic), not " + count);
        }
        List<DatasetSpec> probes = new ArrayList<>();
        double step = (double) inventory.size() / count;
        for (int i = 0; i < count; i++) {
            probes.add(inventory.get((int) Math.floor(i * step + step / 2)));
        }
        return probes;
    }

    int probeDatasetCount() {
        return probeSpecs.size();
    }

    /** The dataset that takes probe number {@code probe} (counted from 0), round-robin. */
    DatasetSpec probeDataset(long probe) {
        return probeSpecs.get((int) (probe % probeSpecs.size()));
    }

    /** A probe of {@code spec} at event time {@code eventTimeMs}, the {@code number}th (from 1) of this phase. */
    AccessEvent probe(DatasetSpec spec, long eventTimeMs, long number) {
        return AccessEvent.newBuilder().setKey(spec.key()).setOp(AccessOp.GET)
                .setBytes(spec.sizeBytes()).setServedFrom(spec.primarySite())
                .setClientRegion(TrafficConfig.DEFAULT_REGIONS.get(0)).setLatencyMs(20)
                .setEventTime(Instant.ofEpochMilli(eventTimeMs))
                .setEventId(probeIdPrefix + number).build();
    }

    /** The next ordinary event, never to a probe dataset, stamped now. */
    AccessEvent ordinary() {
        AccessEvent event = traffic.next();
        while (probeKeys.contains(event.getKey())) {
            event = traffic.next();
        }
        event.setEventTime(Instant.now());
        return event;
    }
}
