package io.tierflow.streams.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store for values read and written often between two commits: a RocksDB store with a changelog, in front
 * of which the values written since the last commit (and recently written others) are held as objects. Used for
 * {@code dataset-activity} (every access event) and {@code cost-ledger} (every evaluation).
 *
 * <p><b>Why not Kafka Streams' record cache.</b> The record cache holds serialized values: every write serializes the
 * value and puts the bytes in the cache's sorted map, every read deserializes them, and {@code dataset-activity} is
 * written on every access event. Here a write is a map entry update, a read a copy; a value is serialized once per
 * commit, when it goes to RocksDB and the changelog (microbench {@code WriteBehindStoreBenchmark} measures the paths;
 * ADR 3 has the history).
 *
 * <p><b>Commit.</b> Kafka Streams flushes caches before it flushes the producer and commits the transaction only for
 * stores that implement its {@link CachedStateStore} interface (internal: {@code ProcessorStateManager.flushCache} in
 * Kafka Streams 4.3.1); {@link StateStore#commit} comes after the transaction. So this store implements it, and
 * {@link #flushCache()} writes the held values through the logged store: their changelog records are in the same
 * transaction as the input offsets they account for. {@code KafkaStreamsContractTest} checks that a committed
 * transaction carries the changelog record of the value written before it; a Kafka Streams upgrade that changes when
 * caches are flushed fails it (see docs/kafka-upgrade.md).
 *
 * <p><b>Sharing.</b> {@link #get} returns a copy, which the caller may change and {@link #put} back; the store keeps
 * the object it is given. The stream thread is the only writer. For the value an access event changes, a copy was
 * the largest single cost of the event: about 1 KB read from a value that is rarely in the CPU's cache, and allocated
 * again ({@code WriteBehindStoreBenchmark.getCopyAndPut} against {@code getForUpdateAndPut}). So the stream thread may instead take the held
 * value itself with {@link #getForUpdate}, change it in place, {@link #put} it back, and say when it is done with
 * {@link #finishUpdates}. Between the first {@code getForUpdate} and {@code finishUpdates} it holds the store's write
 * lock; readers on other threads (interactive queries) copy held values under an optimistic read of that lock, and
 * wait for the writer only if a copy overlapped a change. A value taken for update and changed must be put back:
 * until then its change is seen in memory but not written at the next commit.
 *
 * <p><b>Memory.</b> Held values are in two generations: values are written into the current one, read from either.
 * At a commit, once the current generation holds {@code maxHeld} values, it becomes the previous one and the previous
 * one is dropped; a value not written for two generations is then read from RocksDB again. So at most about twice
 * {@code maxHeld} values are held (plus those written since the last commit, which are always held), and no commit
 * has to walk the held values to decide what to drop.
 */
final class WriteBehindStore<V> extends StoreInFront<V> implements CachedStateStore<String, V>, UpdatableStore<V> {
    private final UnaryOperator<V> copy;
    private final int maxHeld;
    /** Values written in this generation (volatile: readers on other threads see a new generation whole). */
    private volatile Map<String, Held> current = new ConcurrentHashMap<>();
    /** Values written in the generation before, and not since. */
    private volatile Map<String, Held> previous = new ConcurrentHashMap<>();
    /** Held values not yet written to {@link #stored}; the stream thread's only. */
    private final List<Held> unwritten = new ArrayList<>();
    /** Taken while the stream thread changes held values in place (see the class comment). */
    private final StampedLock changing = new StampedLock();
    /** The stamp of the write lock while held, else 0; the stream thread's only. */
    private long changeStamp;
    /** The thread holding the write lock: it reads held values without the lock, which it could not take again. */
    private volatile Thread changer;
    /**
     * The current generation's entry last taken with {@link #getForUpdate}, until {@link #finishUpdates}: putting it
     * back then needs no second lookup in a map of a hundred thousand keys. Stream thread only.
     */
    private Held lastTaken;

    private final class Held {
        final String key;
        /** Changed only by the stream thread, under the write lock (see the class comment). */
        volatile V value;
        /** Not yet in {@link #stored}: read by interactive queries' range scans. */
        volatile boolean unwritten;

        Held(String key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /**
     * @param stored the logged store behind, without a record cache
     * @param copy makes an independent copy of a value (deep: changing either leaves the other as it was)
     * @param maxHeld values per generation (see the class comment)
     */
    WriteBehindStore(KeyValueStore<String, V> stored, UnaryOperator<V> copy, int maxHeld) {
        super(stored);
        this.copy = copy;
        this.maxHeld = maxHeld;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        stored.init(context, root);
    }

    @Override
    public V get(String key) {
        Held entry = held(key);
        return entry != null ? copyOf(entry.value) : stored.get(key);
    }

    /**
     * The value itself, to change in place and {@link #put} back (stream thread only; see the class comment): the held
     * object, or a new one read from RocksDB; null if there is none. The caller must call {@link #finishUpdates} when it
     * is done with the record it processes.
     */
    @Override
    public V getForUpdate(String key) {
        Held entry = current.get(key); // held(key), with which generation it came from
        lastTaken = entry;
        if (entry == null) {
            entry = previous.get(key);
            if (entry == null) {
                return stored.get(key); // a new object that no other thread can see until it is put
            }
        }
        if (changeStamp == 0) {
            changeStamp = changing.writeLock();
            changer = Thread.currentThread();
        }
        return entry.value;
    }

    /** Ends the in-place changes of the values taken with {@link #getForUpdate}: readers copy them again. */
    @Override
    public void finishUpdates() {
        lastTaken = null;
        if (changeStamp != 0) {
            changer = null;
            changing.unlockWrite(changeStamp);
            changeStamp = 0;
        }
    }

    /** Current generation first: a value written in both is newer there. Null if held in neither. */
    private Held held(String key) {
        // A reader that misses both while the generations turn finds the value in RocksDB, since only written values
        // are ever dropped.
        Held entry = current.get(key);
        return entry != null ? entry : previous.get(key);
    }

    /**
     * A copy of a held value, whole: taken under an optimistic read, and again under the read lock if the stream thread
     * changed values meanwhile (a copy that overlapped a change may be torn, or fail: it is thrown away).
     */
    private V copyOf(V value) {
        if (changer == Thread.currentThread()) {
            return copy.apply(value); // the writer itself: nothing changes under it
        }
        long stamp = changing.tryOptimisticRead();
        if (stamp != 0) {
            try {
                V copied = copy.apply(value);
                if (changing.validate(stamp)) {
                    return copied;
                }
            } catch (RuntimeException torn) {
                // copied while changed: copy again under the lock
            }
        }
        stamp = changing.readLock();
        try {
            return copy.apply(value);
        } finally {
            changing.unlockRead(stamp);
        }
    }

    /**
     * Keeps {@code value} (not a copy): it must not be changed afterwards, except after taking it again with
     * {@link #getForUpdate}.
     */
    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        Held entry = lastTaken != null && lastTaken.key.equals(key) ? lastTaken : current.get(key);
        if (entry == null) {
            entry = new Held(key, value); // whole before readers can see it
            current.put(key, entry);
        } else if (entry.value != value) {
            // Only when it changes: the value changed in place is put back on every access event, and storing a
            // reference into a long-lived object (even the same one) costs more than the store. It is a volatile
            // write, and G1 marks the holder's card dirty; scanning those cards (one per dataset written since the
            // last collection) was most of each young collection's pause (`scripts/bench topology` with
            // -Xlog:gc+phases=debug: 29 k cards scanned per collection, 12 of its 23 ms), and shorter pauses keep
            // G1 from shrinking the young generation to meet its pause-time goal.
            entry.value = value;
        }
        if (!entry.unwritten) {
            entry.unwritten = true;
            unwritten.add(entry);
        }
    }

    /** Deletes at once (rare: a dataset's tombstone), so range scans need no record of deletions. */
    @Override
    public V delete(String key) {
        lastTaken = null;
        Held entry = current.remove(key);
        if (entry != null && entry.unwritten) {
            unwritten.remove(entry);
        }
        Held older = previous.remove(key);
        V before = stored.delete(key);
        return entry != null ? copyOf(entry.value) : older != null ? copyOf(older.value) : before;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        // The held values first, then the iterator: a value written through in between is in the iterator.
        List<KeyValue<String, V>> newer = unwrittenBetween(from, to);
        return new MergedIterator<>(newer.iterator(), stored.range(from, to));
    }

    @Override
    public KeyValueIterator<String, V> all() {
        List<KeyValue<String, V>> newer = unwrittenBetween(null, null);
        return new MergedIterator<>(newer.iterator(), stored.all());
    }

    /** Writes the values held since the last commit through to RocksDB and the changelog (see the class comment). */
    @Override
    public void flushCache() {
        finishUpdates(); // a record whose processing failed may not have finished its updates
        for (Held entry : unwritten) {
            stored.put(entry.key, entry.value);
            entry.unwritten = false;
        }
        unwritten.clear();
        if (current.size() >= maxHeld) {
            previous = current;
            current = new ConcurrentHashMap<>();
        }
    }

    /** Drops what is held without writing it: Kafka Streams calls it when the stored values are reset under us. */
    @Override
    public void clearCache() {
        forget();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return false; // nothing is forwarded downstream from this store
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        flushCache(); // normally a no-op: Kafka Streams flushed this store before the transaction
        stored.commit(changelogOffsets);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        flushCache();
        stored.flush();
    }

    /** Closing never writes: a clean close has committed first, and a dirty close must drop what is held. */
    @Override
    public void close() {
        forget();
        stored.close();
    }

    /** How many values are held as objects (for tests of the bound; a value in both generations counts twice). */
    int held() {
        return current.size() + previous.size();
    }

    private void forget() {
        finishUpdates();
        current = new ConcurrentHashMap<>();
        previous = new ConcurrentHashMap<>();
        unwritten.clear();
    }

    /** Copies of the values not yet written, with keys in [from, to] (null: unbounded), in stored order. */
    private List<KeyValue<String, V>> unwrittenBetween(String from, String to) {
        List<KeyValue<String, V>> newer = new ArrayList<>();
        for (Held entry : current.values()) { // values are only written into the current generation
            if (entry.unwritten && (from == null || StoredOrder.compare(entry.key, from) >= 0)
                    && (to == null || StoredOrder.compare(entry.key, to) <= 0)) {
                newer.add(KeyValue.pair(entry.key, copyOf(entry.value)));
            }
        }
        newer.sort((left, right) -> StoredOrder.compare(left.key, right.key));
        return newer;
    }
}
