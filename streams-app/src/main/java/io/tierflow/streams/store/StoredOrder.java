package io.tierflow.streams.store;

/** The order of String keys in a RocksDB store: by their UTF-8 bytes, which is the order of their code points. */
public final class StoredOrder {
    private StoredOrder() {
    }

    /** Compares two keys as RocksDB orders their UTF-8 bytes (not as String.compareTo, which orders UTF-16 units). */
    public static int compare(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int l = left.codePointAt(i);
            int r = right.codePointAt(j);
            if (l != r) {
                return Integer.compare(l, r);
            }
            i += Character.charCount(l);
            j += Character.charCount(r);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }
}
