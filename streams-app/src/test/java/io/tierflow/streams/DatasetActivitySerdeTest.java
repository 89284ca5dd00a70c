package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.PromotionGate;
import io.tierflow.streams.domain.Tier;
import io.tierflow.streams.domain.TieringPolicy;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DatasetActivitySerdeTest {
    private static final long H = 3_600_000L;
    private static final long T0 = 1_780_000_000_000L - 1_780_000_000_000L % H;
    private final DatasetActivitySerde serde = new DatasetActivitySerde();

    @Test
    void copiesAreIndependentOfTheirOriginal() {
        DatasetActivity original = busy();
        byte[] before = serde.serializer().serialize("t", original);

        DatasetActivity copy = original.copy();
        assertArrayEquals(before, serde.serializer().serialize("t", copy), "a copy has every field");
        for (int i = 0; i < 40; i++) { // new regions grow the copy's arrays
            copy.activity.record(T0 + 10_000_000L + i, "PUT", 7, "region-" + i, "other-" + i, TieringPolicy.BUILT_IN,
                    T0 + 10_000_000L + i);
            copy.uncharged.add("region-" + i, 7, false);
        }
        copy.uncharged.clear();
        copy.placed = !copy.placed;
        copy.tier = Tier.HOT;
        assertArrayEquals(before, serde.serializer().serialize("t", original), "the original is as it was");
    }

    @Test
    void shouldRoundTripEveryField() {
        DatasetActivity original = busy();
        byte[] bytes = serde.serializer().serialize("t", original);
        DatasetActivity copy = serde.deserializer().deserialize("t", bytes);

        assertTrue(copy.placed);
        assertTrue(copy.spiking);
        assertEquals(Tier.WARM, copy.tier);
        assertEquals(123_456_789L, copy.sizeBytes);
        assertEquals(28.5, copy.slaMs);
        assertEquals("équipe-ml", copy.owner);
        assertEquals("application/x-parquet", copy.mediaType);
        Activity a = original.activity;
        Activity b = copy.activity;
        for (int age = 0; age < Activity.FINE_BUCKETS; age++) {
            assertEquals(a.fine().countAtAge(age), b.fine().countAtAge(age));
        }
        for (int age = 0; age < Activity.COARSE_BUCKETS; age++) {
            assertEquals(a.coarse().countAtAge(age), b.coarse().countAtAge(age));
        }
        assertEquals(a.fine().newestBucket(), b.fine().newestBucket());
        assertEquals(a.coarse().newestBucket(), b.coarse().newestBucket());
        assertEquals(a.rawHeat(), b.rawHeat());
        assertEquals(a.rawHeatAt(), b.rawHeatAt());
        assertEquals(a.lastAccess(), b.lastAccess());
        assertEquals(a.rawDecayedRequests(), b.rawDecayedRequests());
        assertEquals(a.rawRegionBytes(), b.rawRegionBytes());
        assertEquals(a.holt(), b.holt());
        assertEquals(a.holtHour(), b.holtHour());
        assertEquals(a.totalEvents(), b.totalEvents());
        assertEquals(30, b.totalReads());
        assertEquals(T0, b.firstAccess());
        assertEquals(T0 + 28 * 6 * 60_000L, b.previousAccess());
        assertEquals(a.activeDays(), b.activeDays());
        assertTrue(b.activeDays() >= 1, "three hours of reads fall on one or two UTC days");
        assertArrayEquals(a.recentIdHashes(), b.recentIdHashes());
        assertEquals(Activity.REMEMBERED_EVENT_IDS, b.recentIdHashes().length);
        assertEquals(original.uncharged.regionCount(), copy.uncharged.regionCount());
        for (int i = 0; i < copy.uncharged.regionCount(); i++) {
            assertEquals(original.uncharged.region(i), copy.uncharged.region(i));
            assertEquals(original.uncharged.servedFrom(i), copy.uncharged.servedFrom(i));
            assertEquals(original.uncharged.reads(i), copy.uncharged.reads(i));
            assertEquals(original.uncharged.bytes(i), copy.uncharged.bytes(i));
        }
        assertEquals(6, copy.uncharged.regionCount(), "three regions, each from aws and from a site not named");
        assertEquals(3, copy.uncharged.slaMisses());
        assertArrayEquals(bytes, serde.serializer().serialize("t", copy), "a copy writes the same bytes");
    }

    @Test
    void shouldRememberTheRestoredEventIds() {
        DatasetActivity copy = serde.deserializer().deserialize("t", serde.serializer().serialize("t", busy()));
        long t = T0 + 3 * H;
        assertEquals(Activity.Outcome.DUPLICATE,
                copy.activity.record(t, "GET", 1, "eu", "id-29", TieringPolicy.BUILT_IN, t), "remembered");
        assertEquals(Activity.Outcome.COUNTED,
                copy.activity.record(t, "GET", 1, "eu", "id-3", TieringPolicy.BUILT_IN, t), "forgotten: 16 are kept");
    }

    @Test
    void shouldRoundTripAnEmptyValueWithNoTierAndThePolicysSla() {
        DatasetActivity copy = serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", DatasetActivity.empty()));
        assertFalse(copy.placed);
        assertNull(copy.tier);
        assertTrue(Double.isNaN(copy.slaMs));
        assertEquals(0, copy.activity.totalEvents());
        assertEquals(-1, copy.activity.fine().newestBucket());
        assertEquals(Map.of(), copy.activity.rawRegionBytes());
        assertTrue(copy.uncharged.isEmpty());
        assertNull(copy.owner, "no owner known is not the empty owner");
        assertNull(copy.mediaType);
    }

    @Test
    void shouldTellAnEmptyOwnerFromNone() {
        DatasetActivity value = DatasetActivity.empty();
        value.owner = "";
        DatasetActivity copy = serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
        assertEquals("", copy.owner);
        assertNull(copy.mediaType);
    }

    @Test
    void shouldReadTheLayoutBeforeTheHistoryWasKept() {
        DatasetActivity original = busy();
        byte[] v3 = withoutHistory(withoutStaying(serde.serializer().serialize("t", original), original),
                original.activity);
        v3[0] = DatasetActivitySerde.VERSION_WITHOUT_HISTORY;

        DatasetActivity read = serde.deserializer().deserialize("t", v3);

        Activity a = read.activity;
        assertEquals("équipe-ml", read.owner);
        assertEquals(original.activity.totalEvents(), a.totalEvents());
        assertEquals(a.totalEvents(), a.totalReads(), "every event taken for a read");
        assertEquals(original.activity.lastAccess(), a.firstAccess(), "first seen at the last access, as known");
        assertEquals(0, a.previousAccess());
        assertEquals(1, a.activeDays());
        assertEquals(DatasetActivitySerde.VERSION, serde.serializer().serialize("t", read)[0], "written anew in the current layout");
    }

    @Test
    void shouldReadTheLayoutBeforeOwnerAndMediaTypeWereKept() {
        // Version 2 ended with the misses of the uncharged reads: drop the two absent strings of a version 3 value.
        DatasetActivity original = busy();
        original.owner = null;
        original.mediaType = null;
        byte[] v3 = withoutHistory(withoutStaying(serde.serializer().serialize("t", original), original),
                original.activity);
        byte[] v2 = Arrays.copyOf(v3, v3.length - 2);
        v2[0] = DatasetActivitySerde.VERSION_WITHOUT_SCOPE_FACTS;

        DatasetActivity read = serde.deserializer().deserialize("t", v2);

        assertNull(read.owner, "unknown until the dataset is next looked at");
        assertNull(read.mediaType);
        assertEquals(original.activity.totalEvents(), read.activity.totalEvents());
        assertEquals(3, read.uncharged.slaMisses());
        assertArrayEquals(v3, withoutHistory(withoutStaying(serde.serializer().serialize("t", read), read),
                read.activity), "written anew with the fields it had");
    }

    @Test
    void shouldReadTheLayoutBeforeServingSitesWereKept() {
        // Version 1 ended with the uncharged reads per region only: build one such tail by hand.
        // ends: 0 slots, 0 misses, no owner, no media type
        byte[] noReads = serde.serializer().serialize("t", DatasetActivity.empty());
        byte[] region = "eu-west".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        v1.write(DatasetActivitySerde.VERSION_WITHOUT_SITES);
        // and the history (0 reads, never accessed, no days) and the staying cost (none)
        v1.write(noReads, 1, noReads.length - 10);
        v1.write(1); // one region
        v1.write(region.length);
        v1.writeBytes(region);
        v1.write(3); // reads
        v1.write(100); // bytes
        v1.write(2); // reads slower than the SLA

        DatasetActivity read = serde.deserializer().deserialize("t", v1.toByteArray());

        assertEquals(1, read.uncharged.regionCount());
        assertEquals("eu-west", read.uncharged.region(0));
        assertNull(read.uncharged.servedFrom(0), "no serving site was kept");
        assertEquals(3, read.uncharged.reads(0));
        assertEquals(100, read.uncharged.bytes(0));
        assertEquals(2, read.uncharged.slaMisses());
        assertEquals(DatasetActivitySerde.VERSION, serde.serializer().serialize("t", read)[0], "written anew in the current layout");
    }

    @Test
    void shouldRejectTruncatedAndForeignBytesWithAClearError() {
        byte[] bytes = serde.serializer().serialize("t", busy());
        SerializationException truncated = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("store-changelog", Arrays.copyOf(bytes, bytes.length - 5)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", longer));
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        SerializationException version = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", otherVersion));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());
        assertNull(serde.deserializer().deserialize("t", null), "tombstones stay tombstones");
    }

    @Test
    void shouldRoundTheStayingCostUpAndReadTheLayoutBeforeItWasKept() {
        DatasetActivity original = busy();
        DatasetActivity read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", original));

        PromotionGate.StayingCost was = original.staying;
        PromotionGate.StayingCost is = read.staying;
        assertEquals("aws", is.site());
        // Kept as floats, never below what was priced: the promotion gate's bound stays an upper bound.
        assertTrue(is.fixedUsd() >= was.fixedUsd() && is.fixedUsd() < was.fixedUsd() * (1 + 1e-6), is.toString());
        assertTrue(is.usdPerRead() >= was.usdPerRead() && is.usdPerRead() < was.usdPerRead() * (1 + 1e-6));
        assertTrue(is.usdPerGb() >= was.usdPerGb() && is.usdPerGb() < was.usdPerGb() * (1 + 1e-6));
        assertEquals("gcp", is.heldSite());
        assertTrue(is.leaveUsd() <= was.leaveUsd() && is.leaveUsd() > was.leaveUsd() * (1 - 1e-6), "a lower bound");

        byte[] v4 = withoutStaying(serde.serializer().serialize("t", original), original);
        v4[0] = DatasetActivitySerde.VERSION_WITHOUT_STAYING;
        DatasetActivity older = serde.deserializer().deserialize("t", v4);
        assertNull(older.staying, "none: the next counted access looks at the dataset");
        assertEquals(original.activity.totalReads(), older.activity.totalReads());
        assertEquals(DatasetActivitySerde.VERSION, serde.serializer().serialize("t", older)[0]);
    }

    /** A value cut to the layout of version 4: without the staying cost at its end. */
    private static byte[] withoutStaying(byte[] v5, DatasetActivity value) {
        return Arrays.copyOf(v5, v5.length - (value.staying == null ? 1
                : 1 + value.staying.site().length() + 12 + 1 + value.staying.heldSite().length() + 4));
    }

    /** A version 4 value cut to the layout of version 3: without the history at its end. */
    private static byte[] withoutHistory(byte[] v4, Activity activity) {
        int history = varlongLength(activity.totalReads()) + varlongLength(zigzag(activity.firstAccess()))
                + varlongLength(zigzag(activity.previousAccess())) + varlongLength(activity.activeDays());
        return Arrays.copyOf(v4, v4.length - history);
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static int varlongLength(long value) {
        int length = 1;
        while ((value >>>= 7) != 0) {
            length++;
        }
        return length;
    }

    /** Thirty reads over three hours from three regions, a spike firing and reads waiting to be charged. */
    private static DatasetActivity busy() {
        DatasetActivity value = DatasetActivity.empty();
        for (int i = 0; i < 30; i++) {
            long t = T0 + i * 6 * 60_000L;
            String region = i % 3 == 0 ? "eu-west" : i % 3 == 1 ? "us-east" : "ap-south-1";
            value.activity.record(t, "GET", 1_000_000L * (i + 1), region, "id-" + i, TieringPolicy.BUILT_IN, t);
            value.uncharged.add(region, i % 2 == 0 ? "aws" : null, 1_000_000L * (i + 1), i % 10 == 0);
        }
        value.placed = true;
        value.spiking = true;
        value.tier = Tier.WARM;
        value.sizeBytes = 123_456_789L;
        value.slaMs = 28.5;
        value.owner = "équipe-ml";
        value.mediaType = "application/x-parquet";
        value.staying = new PromotionGate.StayingCost("aws", 0.0123456789, 4.1e-7, 0.0912345, "gcp",
                0.000401234567);
        return value;
    }
}
