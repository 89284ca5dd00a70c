package io.tierflow.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.DatasetView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's pages need of a whole partition, for each partition this node holds, built by one scan of the
 * partition's stores: one small {@link Row} per dataset (key, tier, sites, owner and the sort values) for the dataset
 * table, the keys of the datasets with a migration in flight or failed for the migrations list, and the partition's
 * dataset totals for {@code /stats} ({@link Stats#countDataset}). A filtered or sorted page looks through these rows
 * (milliseconds for 100 000) instead of reading and decoding every dataset from the stores (seconds), and reads only
 * its own page's datasets from the stores; {@code /stats} adds a few numbers per partition. A partition's index older
 * than {@code refresh} is still answered from while one background thread rebuilds it; older than {@code maxAge}, or
 * missing, it is built before the answer. So the order, the set a filter matches and the totals are at most a few
 * seconds old, while the items shown are read fresh.
 */
final class DatasetIndex {
    private static final Logger log = LoggerFactory.getLogger(DatasetIndex.class);

    /** One dataset as the table filters and sorts it. {@code values} holds each {@link DatasetSort.Field}'s value. */
    record Row(String key, Tier tier, String primarySite, List<String> replicaSites, String owner, double[] values) {
        double value(DatasetSort.Field field) {
            return values[field.ordinal()];
        }
    }

    /**
     * A partition's index as it was built {@code ageMillis} ago: its rows in key order, the keys (in key order) of the
     * datasets that had a migration in flight or whose last one failed, and its dataset totals (read only).
     */
    record Partition(List<Row> rows, List<String> migrating, ObjectNode totals, long ageMillis) {
    }

    /** Scans a partition's datasets, handing each to the consumer (throws while its stores are not queryable). */
    interface Scanner {
        void scan(int partition, java.util.function.Consumer<DatasetView> each);
    }

    private record Built(List<Row> rows, List<String> migrating, ObjectNode totals, long builtAtNanos,
            long buildNanos) {
    }

    /**
     * A background rebuild waits at least this many times the last build's duration, so that the pages polling every
     * few seconds keep the one rebuild thread busy a quarter of the time at most however large the partition.
     */
    static final int IDLE_PER_BUSY = 3;

    private final Scanner scanner;
    private final long refreshNanos;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Executor rebuilds;
    private final Map<Integer, Built> partitions = new ConcurrentHashMap<>();
    private final Set<Integer> rebuilding = ConcurrentHashMap.newKeySet();

    DatasetIndex(Scanner scanner, Duration refresh, Duration maxAge) {
        this(scanner, refresh, maxAge, System::nanoTime, backgroundThread());
    }

    DatasetIndex(Scanner scanner, Duration refresh, Duration maxAge, LongSupplier nanoTime, Executor rebuilds) {
        this.scanner = scanner;
        this.refreshNanos = refresh.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
        this.rebuilds = rebuilds;
    }

    /**
     * One daemon thread at most, gone after a minute of no rebuild (so an API no one pages through holds none, and
     * nothing needs closing); rebuilds of several partitions queue behind each other.
     */
    private static Executor backgroundThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "tierflow-dataset-index");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /**
     * The rows of a partition, built now if there are none or they are older than {@code maxAge}, rebuilt in the
     * background if older than {@code refresh}. Called for the partitions a request covers; the partitions this node
     * no longer holds are dropped by {@link #keepOnly}.
     */
    List<Row> rows(int partition) {
        return partition(partition).rows();
    }

    /** A partition's index, built or rebuilt as {@link #rows} says. */
    Partition partition(int partition) {
        long now = nanoTime.getAsLong();
        Built built = partitions.get(partition);
        if (built == null || now - built.builtAtNanos() >= maxAgeNanos) {
            built = build(partition);
            partitions.put(partition, built);
        } else if (now - built.builtAtNanos() >= rebuildAfterNanos(built) && rebuilding.add(partition)) {
            rebuilds.execute(() -> {
                try {
                    partitions.put(partition, build(partition));
                } catch (RuntimeException e) {
                    // A rebalance closed the stores: the next request builds the rows, or finds them gone.
                    log.debug("rebuilding the dataset index of partition {} failed; kept the last one", partition, e);
                } finally {
                    rebuilding.remove(partition);
                }
            });
        }
        return new Partition(built.rows(), built.migrating(), built.totals(),
                Math.max(0, now - built.builtAtNanos()) / 1_000_000);
    }

    /** The age at which a partition is rebuilt in the background (its age counts from the start of its scan). */
    private long rebuildAfterNanos(Built built) {
        return Math.max(refreshNanos, (IDLE_PER_BUSY + 1) * built.buildNanos());
    }

    /** Forgets the partitions other than these (this node no longer holds them: a rebalance moved them). */
    void keepOnly(Set<Integer> held) {
        partitions.keySet().retainAll(held);
    }

    private Built build(int partition) {
        long started = nanoTime.getAsLong();
        List<Row> rows = new ArrayList<>();
        List<String> migrating = new ArrayList<>();
        ObjectNode totals = JsonNodeFactory.instance.objectNode();
        // Owners, sites and replica lists repeat across datasets: one copy of each.
        Map<Object, Object> shared = new HashMap<>();
        scanner.scan(partition, view -> {
            rows.add(row(view, shared));
            if (view.inFlight() != null || view.lastFailure() != null) {
                migrating.add(view.key());
            }
            Stats.countDataset(totals, view);
        });
        migrating.sort(null); // the stores' byte order and String order differ for some keys; lookups use String's
        return new Built(List.copyOf(rows), List.copyOf(migrating), totals, started,
                nanoTime.getAsLong() - started);
    }

    @SuppressWarnings("unchecked")
    private static Row row(DatasetView view, Map<Object, Object> shared) {
        DatasetSort.Field[] fields = DatasetSort.Field.values();
        double[] values = new double[fields.length];
        for (DatasetSort.Field field : fields) {
            values[field.ordinal()] = field.of(view);
        }
        String owner = view.inventory() == null ? null : view.inventory().getOwner();
        return new Row(view.key(), view.tier(), (String) share(shared, view.primarySite()),
                (List<String>) share(shared, List.copyOf(view.replicaSites())), (String) share(shared, owner), values);
    }

    private static Object share(Map<Object, Object> shared, Object value) {
        return value == null ? null : shared.computeIfAbsent(value, v -> v);
    }
}
