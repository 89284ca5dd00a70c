package io.tierflow.streams.domain;

/**
 * Hashes of a dataset's last {@link Activity#REMEMBERED_EVENT_IDS} event ids, as a ring, so that a redelivered event
 * counts once: the next goes to {@code next}, over the oldest once every slot is used. Changed in place on every
 * access event; it allocates nothing then.
 */
final class RecentEventIds {
    private final long[] ids;
    private int count;
    private int next;

    /** The ring holding {@code oldestFirst}'s newest hashes (as many as it has room for). */
    RecentEventIds(int capacity, long[] oldestFirst) {
        ids = new long[capacity];
        int keep = Math.min(capacity, oldestFirst.length);
        System.arraycopy(oldestFirst, oldestFirst.length - keep, ids, 0, keep);
        count = keep;
        next = keep % capacity;
    }

    private RecentEventIds(RecentEventIds original) {
        ids = original.ids.clone();
        count = original.count;
        next = original.next;
    }

    RecentEventIds copy() {
        return new RecentEventIds(this);
    }

    /**
     * The 64-bit hash an event id is remembered by: FNV-1a over the id's chars, then MurmurHash3's 64-bit finaliser to
     * spread it. Hand-rolled because it is six lines and the domain has no dependencies; with 16 ids remembered, two
     * distinct ids collide with a probability of about 16 / 2^64 per event.
     */
    static long hash(String eventId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            h = (h ^ eventId.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    boolean contains(long hash) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == hash) {
                return true;
            }
        }
        return false;
    }

    void add(long hash) {
        ids[next] = hash;
        next = (next + 1) % ids.length;
        count = Math.min(count + 1, ids.length);
    }

    /** The remembered hashes, oldest first. */
    long[] oldestFirst() {
        long[] oldestFirst = new long[count];
        int oldest = count < ids.length ? 0 : next;
        for (int i = 0; i < count; i++) {
            oldestFirst[i] = ids[(oldest + i) % ids.length];
        }
        return oldestFirst;
    }
}
