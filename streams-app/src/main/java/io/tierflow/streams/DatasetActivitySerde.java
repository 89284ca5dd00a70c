package io.tierflow.streams;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.BucketedCounts;
import io.tierflow.streams.domain.HoltForecast;
import io.tierflow.streams.domain.PromotionGate;
import io.tierflow.streams.domain.ReadTally;
import io.tierflow.streams.domain.Tier;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link DatasetActivity}, the value of the {@code dataset-activity} store.
 *
 * <p>Hand-written rather than Avro because it is read and written on every access event: Avro's generated records
 * box every count into a {@code List<Long>} and need a copy into the domain types each way, and measured on this
 * machine that round trip dominated the per-event cost. This format goes straight between bytes and the domain
 * arrays. It never leaves the store and its changelog (the query API reads it through {@link DatasetViews}).
 *
 * <p>Layout, version 5 ({@code varlong} = unsigned LEB128, {@code zigzag} = signed LEB128 as in Avro, doubles
 * big-endian IEEE 754):
 * <pre>
 * byte    version (5)
 * byte    flags: bit 0 inventory known, bit 1 traffic spike firing, bits 2-3 tier (0 none, 1 HOT, 2 WARM, 3 COLD)
 * varlong size in bytes          double  own latency SLA in ms (NaN: the policy's default)
 * zigzag  newest 5-minute bucket,  then 12 varlong counts, newest first
 * zigzag  newest 1-hour bucket,    then 24 varlong counts, newest first
 * double  heat        zigzag heat time (epoch ms)       zigzag last access (epoch ms)      double decayed requests
 * double  Holt level  double Holt trend   varlong Holt observations   zigzag last hour fed to Holt
 * varlong events counted
 * varlong n, then n longs: hashes of the remembered event ids, oldest first
 * varlong r, then r regions: varlong UTF-8 length, UTF-8 name, double decayed bytes read
 * varlong u, then u slots of uncharged reads: varlong UTF-8 length, UTF-8 client region, varlong UTF-8 length,
 *         UTF-8 serving site (empty: not named), varlong reads, varlong bytes
 * varlong uncharged reads slower than the SLA while hot
 * ostring owner, then ostring media type (what a policy's scope is matched on, kept only while a policy is scoped
 *         by them; ostring = varlong 0 for none, else
 *         varlong UTF-8 length + 1, then UTF-8)
 * varlong reads since first seen   zigzag first access (epoch ms)   zigzag access before the last (epoch ms, 0: none)
 * varlong UTC days active
 * ostring the site staying's cost is priced at (none: not priced), then if any: float fixed USD, float USD per
 *         read, float USD per GB (each rounded up: the promotion gate's upper bound stays one), ostring the site
 *         of the primary copy then (none: no copy), float USD to read it out (rounded down: a lower bound)
 * </pre>
 * Version 1 had no serving site in the slots of uncharged reads; its values are read with none named. Versions 1 and
 * 2 had no owner and media type; their values are read with none known until the dataset is next looked at.
 * Versions 1 to 3 had no lifetime history; their values are read with what {@link Activity}'s restoring constructor
 * assumes (every event a read, first seen at the last access). Versions 1 to 4 had no staying cost; their
 * values are read with none, so the next counted access looks at the dataset and records it.
 * A new layout gets a new version number and this class keeps reading the old ones.
 */
final class DatasetActivitySerde implements Serde<DatasetActivity> {
    static final byte VERSION = 5;
    /** The layout before uncharged reads kept their serving site. */
    static final byte VERSION_WITHOUT_SITES = 1;
    /** The layout before the owner and media type were kept. */
    static final byte VERSION_WITHOUT_SCOPE_FACTS = 2;
    /** The layout before the lifetime history (reads, first and previous access, days active) was kept. */
    static final byte VERSION_WITHOUT_HISTORY = 3;
    /** The layout before the staying cost of the cost decision was kept. */
    static final byte VERSION_WITHOUT_STAYING = 4;
    private static final Tier[] TIERS = {null, Tier.HOT, Tier.WARM, Tier.COLD};

    @Override
    public Serializer<DatasetActivity> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public Deserializer<DatasetActivity> deserializer() {
        return (topic, data) -> data == null ? null : read(data, topic);
    }

    static byte[] write(DatasetActivity value) {
        Activity a = value.activity;
        Writer out = WRITERS.get();
        out.buf.clear();
        out.b(VERSION);
        int tier = value.tier == null ? 0 : value.tier.ordinal() + 1;
        out.b((byte) ((value.placed ? 1 : 0) | (value.spiking ? 2 : 0) | tier << 2));
        out.varlong(value.sizeBytes);
        out.d(value.slaMs);
        counts(out, a.fine());
        counts(out, a.coarse());
        out.d(a.rawHeat());
        out.zigzag(a.rawHeatAt());
        out.zigzag(a.lastAccess());
        out.d(a.rawDecayedRequests());
        out.d(a.holt().level());
        out.d(a.holt().trend());
        out.varlong(a.holt().observations());
        out.zigzag(a.holtHour());
        out.varlong(a.totalEvents());
        long[] ids = a.recentIdHashes();
        out.varlong(ids.length);
        for (long id : ids) {
            out.l(id);
        }
        out.varlong(a.regionCount());
        for (int i = 0; i < a.regionCount(); i++) {
            out.string(a.region(i));
            out.d(a.regionBytes(i));
        }
        ReadTally tally = value.uncharged;
        out.varlong(tally.regionCount());
        for (int i = 0; i < tally.regionCount(); i++) {
            out.string(tally.region(i));
            out.string(tally.servedFrom(i) == null ? "" : tally.servedFrom(i));
            out.varlong(tally.reads(i));
            out.varlong(tally.bytes(i));
        }
        out.varlong(tally.slaMisses());
        out.optionalString(value.owner);
        out.optionalString(value.mediaType);
        out.varlong(a.totalReads());
        out.zigzag(a.firstAccess());
        out.zigzag(a.previousAccess());
        out.varlong(a.activeDays());
        PromotionGate.StayingCost staying = value.staying;
        out.optionalString(staying == null ? null : staying.site());
        if (staying != null) {
            out.f(roundedUp(staying.fixedUsd()));
            out.f(roundedUp(staying.usdPerRead()));
            out.f(roundedUp(staying.usdPerGb()));
            out.optionalString(staying.heldSite());
            out.f(roundedDown(staying.leaveUsd()));
        }
        return Arrays.copyOf(out.buf.array(), out.buf.position());
    }

    static DatasetActivity read(byte[] data, String topic) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            byte version = in.get();
            if (version < VERSION_WITHOUT_SITES || version > VERSION) {
                throw new SerializationException("dataset-activity value of version " + version + " on '" + topic
                        + "': this build reads versions " + VERSION_WITHOUT_SITES + " to " + VERSION);
            }
            int flags = in.get();
            long size = varlong(in);
            double sla = in.getDouble();
            BucketedCounts fine = counts(in, Activity.FINE_BUCKET_MS, Activity.FINE_BUCKETS);
            BucketedCounts coarse = counts(in, Activity.COARSE_BUCKET_MS, Activity.COARSE_BUCKETS);
            double heat = in.getDouble();
            long heatAt = zigzag(in);
            long lastAccess = zigzag(in);
            double decayedRequests = in.getDouble();
            HoltForecast holt = new HoltForecast(in.getDouble(), in.getDouble(), varlong(in));
            long holtHour = zigzag(in);
            long total = varlong(in);
            long[] ids = new long[(int) varlong(in)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = in.getLong();
            }
            int regionCount = (int) varlong(in);
            String[] regions = new String[regionCount];
            double[] regionBytes = new double[regionCount];
            for (int i = 0; i < regionCount; i++) {
                regions[i] = string(in);
                regionBytes[i] = in.getDouble();
            }
            ReadTally tally = new ReadTally();
            int talliedRegions = (int) varlong(in);
            for (int i = 0; i < talliedRegions; i++) {
                String region = string(in);
                String site = version == VERSION_WITHOUT_SITES ? "" : string(in);
                tally.add(region, site.isEmpty() ? null : site, varlong(in), varlong(in));
            }
            tally.addSlaMisses(varlong(in));
            String owner = version > VERSION_WITHOUT_SCOPE_FACTS ? optionalString(in) : null;
            String mediaType = version > VERSION_WITHOUT_SCOPE_FACTS ? optionalString(in) : null;
            boolean history = version > VERSION_WITHOUT_HISTORY;
            long totalReads = history ? varlong(in) : 0;
            long firstAccess = history ? zigzag(in) : 0;
            long previousAccess = history ? zigzag(in) : 0;
            long activeDays = history ? varlong(in) : 0;
            String stayingSite = version > VERSION_WITHOUT_STAYING ? optionalString(in) : null;
            PromotionGate.StayingCost staying = stayingSite == null ? null
                    : new PromotionGate.StayingCost(stayingSite, in.getFloat(), in.getFloat(), in.getFloat(),
                            optionalString(in), in.getFloat());
            if (in.hasRemaining()) {
                throw new SerializationException(in.remaining() + " bytes left over after a dataset-activity value on '"
                        + topic + "': the value is not in the layout of version " + version);
            }
            Activity activity = new Activity(fine, coarse, heat, heatAt, lastAccess, Map.of(), decayedRequests, holt,
                    holtHour, ids, total);
            for (int i = 0; i < regionCount; i++) {
                activity.restoreRegion(regions[i], regionBytes[i]);
            }
            if (history) {
                activity.restoreHistory(totalReads, firstAccess, previousAccess, activeDays);
            }
            DatasetActivity value = new DatasetActivity(activity, tally);
            value.placed = (flags & 1) != 0;
            value.spiking = (flags & 2) != 0;
            value.tier = TIERS[(flags >> 2) & 3];
            value.sizeBytes = size;
            value.slaMs = sla;
            value.owner = owner;
            value.mediaType = mediaType;
            value.staying = staying;
            return value;
        } catch (BufferUnderflowException | NegativeArraySizeException | IndexOutOfBoundsException e) {
            throw new SerializationException("truncated dataset-activity value on '" + topic + "' (" + data.length
                    + " bytes)", e);
        }
    }

    /** The float nearest below {@code value} (or equal to it). */
    static float roundedDown(double value) {
        float f = (float) value;
        return f > value ? Math.nextDown(f) : f;
    }

    /** The float nearest above {@code value} (or equal to it). */
    static float roundedUp(double value) {
        float f = (float) value;
        return f < value ? Math.nextUp(f) : f;
    }

    private static void counts(Writer out, BucketedCounts counts) {
        out.zigzag(counts.newestBucket());
        for (int age = 0; age < counts.buckets(); age++) {
            out.varlong(counts.countAtAge(age));
        }
    }

    private static BucketedCounts counts(ByteBuffer in, long bucketMillis, int buckets) {
        long newest = zigzag(in);
        long[] counts = new long[buckets];
        for (int age = 0; age < buckets; age++) {
            counts[age] = varlong(in);
        }
        return BucketedCounts.restore(bucketMillis, newest, counts);
    }

    private static long varlong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new SerializationException("malformed variable-length number in a dataset-activity value");
    }

    private static long zigzag(ByteBuffer in) {
        long raw = varlong(in);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static String string(ByteBuffer in) {
        int length = (int) varlong(in);
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static String optionalString(ByteBuffer in) {
        int lengthPlusOne = (int) varlong(in);
        if (lengthPlusOne == 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), lengthPlusOne - 1, StandardCharsets.UTF_8);
        in.position(in.position() + lengthPlusOne - 1);
        return s;
    }

    /**
     * One buffer per thread, reused: a value is written at every commit that follows a change to it (hundreds of
     * thousands per run of the benchmark), and a fresh 512-byte buffer for each was garbage on that path (see
     * microbench DatasetActivitySerdeBenchmark; {@code -prof gc} shows what a write allocates).
     */
    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);

    /** A growing buffer: values are a few hundred bytes, so it rarely grows. */
    private static final class Writer {
        ByteBuffer buf = ByteBuffer.allocate(512);

        void ensure(int more) {
            if (buf.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        void b(byte value) {
            ensure(1);
            buf.put(value);
        }

        void d(double value) {
            ensure(8);
            buf.putDouble(value);
        }

        void f(float value) {
            ensure(4);
            buf.putFloat(value);
        }

        void l(long value) {
            ensure(8);
            buf.putLong(value);
        }

        void varlong(long value) {
            ensure(10);
            while ((value & ~0x7fL) != 0) {
                buf.put((byte) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            buf.put((byte) value);
        }

        void zigzag(long value) {
            varlong((value << 1) ^ (value >> 63));
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varlong(utf8.length);
            ensure(utf8.length);
            buf.put(utf8);
        }

        void optionalString(String s) {
            if (s == null) {
                varlong(0);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varlong(utf8.length + 1L);
            ensure(utf8.length);
            buf.put(utf8);
        }
    }
}
