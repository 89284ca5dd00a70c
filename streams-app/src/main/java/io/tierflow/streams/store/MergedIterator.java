package io.tierflow.streams.store;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The stored entries of a range with the newer values not yet written in their place (or added), in stored order: how
 * {@link WriteBehindStore} answers a range scan.
 */
final class MergedIterator<V> implements KeyValueIterator<String, V> {
    private final Iterator<KeyValue<String, V>> newer;
    private final KeyValueIterator<String, V> stored;
    private KeyValue<String, V> nextNewer;
    private KeyValue<String, V> nextStored;

    /**
     * @param newer values not yet written (copies), in stored order
     * @param stored the stored entries of the same range
     */
    MergedIterator(Iterator<KeyValue<String, V>> newer, KeyValueIterator<String, V> stored) {
        this.newer = newer;
        this.stored = stored;
        nextNewer = newer.hasNext() ? newer.next() : null;
        nextStored = stored.hasNext() ? stored.next() : null;
    }

    @Override
    public boolean hasNext() {
        return nextNewer != null || nextStored != null;
    }

    @Override
    public KeyValue<String, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int order = nextNewer == null ? 1 : nextStored == null ? -1 : StoredOrder.compare(nextNewer.key,
                nextStored.key);
        KeyValue<String, V> result;
        if (order <= 0) {
            result = nextNewer; // already a copy
            nextNewer = newer.hasNext() ? newer.next() : null;
            if (order == 0) {
                nextStored = stored.hasNext() ? stored.next() : null;
            }
        } else {
            result = nextStored;
            nextStored = stored.hasNext() ? stored.next() : null;
        }
        return result;
    }

    @Override
    public String peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (nextNewer == null) {
            return nextStored.key;
        }
        if (nextStored == null) {
            return nextNewer.key;
        }
        return StoredOrder.compare(nextNewer.key, nextStored.key) <= 0 ? nextNewer.key : nextStored.key;
    }

    @Override
    public void close() {
        stored.close();
    }
}
