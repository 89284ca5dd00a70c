package io.tierflow.streams;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The activity of keys that have no inventory entry (yet). The inputs are read without waiting for one another, so a
 * dataset's first events may be read before its entry; they are counted here and handed to the dataset when its entry
 * comes. Held in memory only and bounded, since anyone who can produce events can name any key: at most
 * {@code capacity} keys per task, each for at most {@code ttlMs} of event time after its first event; beyond that the
 * oldest is dropped and counted ({@code tierflow_unregistered_keys_dropped_total}). Never stored, so never listed as a
 * dataset; a restart forgets it (those early events then go uncounted).
 */
final class UnregisteredActivity {
    private record Held(DatasetActivity activity, long since) {
    }

    private final int capacity;
    private final long ttlMs;
    private final Runnable dropped;
    /** In the order of each key's first event: the eldest is the first to expire. */
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();

    /** @param dropped told once per key dropped unclaimed */
    UnregisteredActivity(int capacity, long ttlMs, Runnable dropped) {
        this.capacity = capacity;
        this.ttlMs = ttlMs;
        this.dropped = dropped;
    }

    /** The key's activity to count an event at {@code now} into: the one held, or a new one held from now on. */
    DatasetActivity forUpdate(String key, long now) {
        Held known = held.get(key);
        if (known != null) {
            return known.activity();
        }
        DatasetActivity activity = DatasetActivity.empty();
        held.put(key, new Held(activity, now));
        for (Iterator<Map.Entry<String, Held>> eldest = held.entrySet().iterator(); eldest.hasNext(); ) {
            Map.Entry<String, Held> entry = eldest.next();
            if (held.size() <= capacity && entry.getValue().since() >= now - ttlMs) {
                break;
            }
            if (entry.getKey().equals(key)) {
                break; // the one just added stays (it is the eldest only when it is alone)
            }
            eldest.remove();
            dropped.run();
        }
        return activity;
    }

    /** The key's activity, no longer held (its inventory entry came, or a tombstone); null if none is. */
    DatasetActivity take(String key) {
        Held known = held.remove(key);
        return known == null ? null : known.activity();
    }

    int size() {
        return held.size();
    }
}
