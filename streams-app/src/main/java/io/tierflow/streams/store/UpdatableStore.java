package io.tierflow.streams.store;

/**
 * What the dataset processor needs of the stores it writes on every access event ({@code dataset-activity},
 * {@code cost-ledger}): take a value to change, change it, put it back, and say when the record is done. How fast that
 * is depends on the {@link StoreImplementation}: the write-behind store hands out the value it holds (changed in place,
 * written once per commit), the stock store a new copy read through Kafka Streams' record cache.
 *
 * <p>The caller's side of the contract is the same for both: a value taken with {@link #getForUpdate} and changed must
 * be {@link #put} back, and {@link #finishUpdates} must be called when the record (or punctuation) is done, also when
 * it failed.
 */
public interface UpdatableStore<V> {
    /** The value of {@code key} to change and {@link #put} back; null if there is none. Stream thread only. */
    V getForUpdate(String key);

    /** Saves a (changed) value: it is written to RocksDB and the changelog by the next commit at the latest. */
    void put(String key, V value);

    /** Deletes the key's value; returns the value it had, or null. */
    V delete(String key);

    /** Ends the changes of the values taken since the last call: readers on other threads see them whole again. */
    void finishUpdates();
}
