package io.tierflow.streams;

import io.tierflow.streams.domain.Activity;
import io.tierflow.streams.domain.PromotionGate;
import io.tierflow.streams.domain.ReadTally;
import io.tierflow.streams.domain.Tier;

/**
 * Value of the {@code dataset-activity} store: everything an access event reads or changes, kept apart from the
 * (larger) dataset record so the per-event read and write stay small. Besides the activity and the reads not yet
 * charged it holds a copy of the few facts of the dataset record the event path needs (is there an inventory entry,
 * size, SLA, tier, and the owner and media type its policy is chosen by); the processor updates that copy whenever it changes them in the dataset record.
 */
final class DatasetActivity {
    final Activity activity;
    final ReadTally uncharged;
    /** True once an inventory entry is known: only then are reads charged and tiers decided. */
    boolean placed;
    long sizeBytes;
    /** The dataset's own latency SLA, or NaN to use the policy's default. */
    double slaMs = Double.NaN;
    /** Tier last decided; null before the first decision. */
    Tier tier;
    /** Whether this dataset's traffic-spike alert is firing. */
    boolean spiking;
    /** The inventory's owner, or null if not known: with the key and media type, it picks the dataset's policy. */
    String owner;
    /** The inventory's content type as {@code PolicyScopes.mediaType} gives it, or null if not known. */
    String mediaType;
    /**
     * What staying where the last look placed it costs, as that look priced it under the cost decision (the
     * promotion gate's upper bound); null under the heat decision, before a look, or while a global pin places it.
     */
    PromotionGate.StayingCost staying;

    DatasetActivity(Activity activity, ReadTally uncharged) {
        this.activity = activity;
        this.uncharged = uncharged;
    }

    /** An independent copy: changing either leaves the other as it was. */
    DatasetActivity copy() {
        DatasetActivity copy = new DatasetActivity(activity.copy(), uncharged.copy());
        copy.placed = placed;
        copy.sizeBytes = sizeBytes;
        copy.slaMs = slaMs;
        copy.tier = tier;
        copy.spiking = spiking;
        copy.owner = owner;
        copy.mediaType = mediaType;
        copy.staying = staying;
        return copy;
    }

    static DatasetActivity empty() {
        return new DatasetActivity(new Activity(), new ReadTally());
    }
}
