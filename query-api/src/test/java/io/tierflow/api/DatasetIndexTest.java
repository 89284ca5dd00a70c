package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.ActivityView;
import io.tierflow.streams.DatasetView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dataset table's index: built once, answered from while young, rebuilt behind the answer, then before it. */
class DatasetIndexTest {
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final List<DatasetView> stored = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final List<Runnable> queued = new ArrayList<>();
    private int scans;
    private boolean storesClosed;
    private final DatasetIndex index = new DatasetIndex((partition, each) -> {
        scans++;
        if (storesClosed) {
            throw new IllegalStateException("the stores are closed: a rebalance");
        }
        stored.forEach(each);
    }, REFRESH, MAX_AGE, nanos::get, queued::add);

    @Test
    void shouldKeepWhatTheTableFiltersAndSortsOnWithOneCopyOfRepeatedOwners() {
        stored.add(view("a", Tier.HOT, "aws", List.of("gcp"), new String("team"), 300, 2.5));
        stored.add(view("b", null, null, List.of(), new String("team"), 100, 0));

        List<DatasetIndex.Row> rows = index.rows(0);

        assertEquals(List.of("a", "b"), rows.stream().map(DatasetIndex.Row::key).toList());
        DatasetIndex.Row a = rows.get(0);
        assertEquals(Tier.HOT, a.tier());
        assertEquals("aws", a.primarySite());
        assertEquals(List.of("gcp"), a.replicaSites());
        assertEquals(300, a.value(DatasetSort.Field.SIZE_BYTES));
        assertEquals(2.5, a.value(DatasetSort.Field.HEAT));
        assertEquals(3, a.value(DatasetSort.Field.TIER), "HOT sorts above WARM and COLD");
        assertEquals(0, rows.get(1).value(DatasetSort.Field.TIER), "undecided below every tier");
        assertSame(a.owner(), rows.get(1).owner());
    }

    @Test
    void shouldAnswerFromTheRowsWhileYoungRebuildBehindTheAnswerThenBeforeIt() {
        stored.add(view("a", Tier.COLD, "aws", List.of(), "team", 1, 0));
        assertEquals(List.of("a"), keys(index.rows(0)));
        assertEquals(1, scans);

        stored.add(view("b", Tier.COLD, "aws", List.of(), "team", 1, 0));
        nanos.addAndGet(REFRESH.toNanos() - 1);
        assertEquals(List.of("a"), keys(index.rows(0)), "young rows answer as they are");
        assertEquals(1, scans);
        assertEquals(List.of(), queued);

        nanos.addAndGet(1);
        assertEquals(List.of("a"), keys(index.rows(0)), "old rows still answer while rebuilt");
        assertEquals(List.of("a"), keys(index.rows(0)));
        assertEquals(1, queued.size(), "one rebuild at a time per partition");
        queued.remove(0).run();
        assertEquals(2, scans);
        assertEquals(List.of("a", "b"), keys(index.rows(0)), "the rebuilt rows");

        stored.add(view("c", Tier.COLD, "aws", List.of(), "team", 1, 0));
        nanos.addAndGet(MAX_AGE.toNanos());
        assertEquals(List.of("a", "b", "c"), keys(index.rows(0)), "rows too old are built before the answer");
        assertEquals(3, scans);
    }

    @Test
    void shouldKeepTheLastRowsWhenARebuildFailsAndForgetPartitionsMovedAway() {
        stored.add(view("a", Tier.COLD, "aws", List.of(), "team", 1, 0));
        index.rows(0);
        nanos.addAndGet(REFRESH.toNanos());
        index.rows(0);
        storesClosed = true;
        queued.remove(0).run();
        assertEquals(List.of("a"), keys(index.rows(0)), "a failed rebuild keeps the last rows");
        assertEquals(1, queued.size(), "and the next request tries again");

        index.keepOnly(Set.of(1));
        assertThrows(IllegalStateException.class, () -> index.rows(0),
                "a partition moved away and back is built again, not answered from its old rows");
        storesClosed = false;
        stored.add(view("b", Tier.COLD, "aws", List.of(), "team", 1, 0));
        assertEquals(List.of("a", "b"), keys(index.rows(0)));
    }

    @Test
    void shouldKeepThePartitionsMigratingKeysInKeyOrderAndItsDatasetTotals() {
        stored.add(view("z", Tier.COLD, "aws", List.of(), "team", 100, 0));
        stored.add(withFailure(view("m", Tier.WARM, "aws", List.of("gcp"), "team", 10, 0), "copy failed"));
        stored.add(withFailure(view("b", Tier.COLD, "aws", List.of(), "team", 1, 0), "verify failed"));

        DatasetIndex.Partition partition = index.partition(0);

        assertEquals(List.of("b", "m"), partition.migrating(), "only the failed or in flight, in String order");
        assertEquals(3, partition.totals().get("datasets").asLong());
        assertEquals(2, partition.totals().at("/migrations/FAILED").asLong());
        assertEquals(101, partition.totals().at("/tiers/COLD/bytes").asLong());
        assertEquals(10, partition.totals().at("/sites/gcp/bytes").asLong(), "replicas counted at their site");
        assertEquals(0, partition.ageMillis());
        nanos.addAndGet(Duration.ofMillis(1500).toNanos());
        assertEquals(1500, index.partition(0).ageMillis(), "says how old its figures are");
    }

    @Test
    void shouldWaitLongerBetweenRebuildsOfAPartitionThatTakesLongToScan() {
        long scan = REFRESH.toNanos(); // a scan as long as the refresh itself
        DatasetIndex slow = new DatasetIndex((partition, each) -> {
            scans++;
            nanos.addAndGet(scan);
        }, REFRESH, Duration.ofHours(1), nanos::get, queued::add);
        slow.rows(0);

        nanos.addAndGet(DatasetIndex.IDLE_PER_BUSY * scan - 1);
        slow.rows(0);
        assertEquals(List.of(), queued, "no rebuild before it has idled its share");
        nanos.addAndGet(1);
        slow.rows(0);
        assertEquals(1, queued.size());
    }

    private static DatasetView withFailure(DatasetView v, String failure) {
        return new DatasetView(v.key(), v.inventory(), v.activity(), v.tier(), v.primarySite(), v.replicaSites(),
                v.storageClass(), v.lastDecision(), null, null, failure, v.dueAt(), v.lastMoveAt());
    }

    private static List<String> keys(List<DatasetIndex.Row> rows) {
        return rows.stream().map(DatasetIndex.Row::key).toList();
    }

    private static DatasetView view(String key, Tier tier, String site, List<String> replicas, String owner, long size,
            double heat) {
        Dataset inventory = Dataset.newBuilder().setKey(key).setSizeBytes(size).setContentType("text/plain")
                .setOwner(owner).setVersionToken("v1").setSha256("ab".repeat(32)).setPrimarySite("aws")
                .setStorageClass("STANDARD").setUpdatedAt(Instant.EPOCH).build();
        ActivityView activity = new ActivityView(0, 0, heat, 0, 0, Map.of(), 0, 0);
        return new DatasetView(key, inventory, activity, tier, site, replicas, null, null, null, null, null, -1, 0);
    }
}
