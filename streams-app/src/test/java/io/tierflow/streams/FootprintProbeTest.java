package io.tierflow.streams;

import io.tierflow.schemas.DatasetState;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check: CPU and allocation per access event through the topology, and the size of a dataset's
 * state. It asserts nothing, so the suite leaves it out (tag "probe", see the parent pom); run it with
 * {@code mvn -pl streams-app -am verify -DexcludedGroups= -Dtest=FootprintProbeTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("probe")
class FootprintProbeTest {
    @TempDir
    Path dir;

    @Test
    void probe() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TopologyFixture f = new TopologyFixture("mock://probe", dir, TieringSettings.DEFAULTS)) {
            f.withStandardSites(false);
            int n = 2000;
            String[] sites = {"aws", "azure", "gcp"};
            Random r = new Random(1);
            for (int i = 0; i < n; i++) {
                f.datasets.pipeInput("d" + i, TopologyFixture.dataset("d" + i, sites[i % 3], "STANDARD",
                        1_000_000L + r.nextInt(100_000_000)), TopologyFixture.START);
            }
            Instant t = TopologyFixture.START;
            String[] regions = {"us-east", "eu-west", "us-central"};
            for (int warm = 0; warm < 2; warm++) {
                long a0 = mx.getCurrentThreadAllocatedBytes();
                long c0 = mx.getCurrentThreadCpuTime();
                int events = 100_000;
                for (int e = 0; e < events; e++) {
                    int k = (int) Math.min(n - 1, Math.abs(r.nextGaussian()) * n / 3);
                    t = t.plusMillis(50);
                    f.accessEvents.pipeInput("d" + k, f.event("d" + k, t, regions[e % 3]), t);
                    if (e % 2000 == 0) {
                        f.driver.advanceWallClockTime(Duration.ofSeconds(1));
                    }
                }
                long a1 = mx.getCurrentThreadAllocatedBytes();
                long c1 = mx.getCurrentThreadCpuTime();
                System.out.printf("PROBE round %d: %.0f bytes allocated per event, %.1f cpu us/event%n", warm,
                        (a1 - a0) / (double) events, (c1 - c0) / 1000.0 / events);
            }
            Serializer<DatasetState> ser = f.topics.valueSerde(DatasetState.class).serializer();
            long total = 0, place = 0, expl = 0, inflight = 0, inv = 0;
            int count = 0;
            for (int i = 0; i < n; i += 7) {
                DatasetState s = f.state("d" + i);
                if (s == null) continue;
                count++;
                total += ser.serialize("x", s).length;
                if (s.getLastPlacement() != null) {
                    place += f.topics.placements.valueSerde().serializer().serialize("placements", s.getLastPlacement()).length;
                }
                if (s.getInFlight() != null) {
                    inflight += f.topics.migrationCommands.valueSerde().serializer().serialize("migration-commands", s.getInFlight()).length;
                }
                inv += f.topics.datasets.valueSerde().serializer().serialize("datasets", s.getInventory()).length;
            }
            System.out.printf("PROBE state %.0f B, lastPlacement %.0f, inFlight %.0f, inventory %.0f (n=%d)%n",
                    total / (double) count, place / (double) count, inflight / (double) count, inv / (double) count, count);
            System.out.println("PROBE sample " + f.state("d1").getLastPlacement());
        }
    }
}
