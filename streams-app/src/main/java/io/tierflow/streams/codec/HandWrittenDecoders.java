package io.tierflow.streams.codec;

import io.tierflow.schemas.ActivityState;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.GlobalPassPin;
import io.tierflow.schemas.GlobalPin;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.PendingCost;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.ReplicationStatus;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.TierCandidate;
import io.tierflow.schemas.Tier;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;

/**
 * The reader of the dataset record that matches {@link HandWrittenEncoders}: the record is read at every evaluation of
 * a dataset, and Avro's reader of a record with timestamps goes field by field through setters that box every number
 * (for this reader against Avro's, see microbench DatasetStateCodecBenchmark). Used only when
 * the record was written with the schema of this build; a record written with another version of the schema is
 * resolved by Avro's reader, as every other record is. {@code HandWrittenDecodersTest} checks that it reads random
 * records of the schema as Avro's reader does.
 */
final class HandWrittenDecoders {
    private static final Tier[] TIERS = Tier.values();
    private static final MigrationAction[] ACTIONS = MigrationAction.values();
    private static final MigrationPhase[] PHASES = MigrationPhase.values();

    private HandWrittenDecoders() {
    }

    /**
     * The reader of dataset records written with the class's own schema: the serde uses it for those only (equal
     * schemas: the registry hands back a parsed copy), and Avro's reader resolves any other version.
     */
    static DatumReader<DatasetState> datasetState() {
        Schema own = DatasetState.getClassSchema();
        return new DatumReader<>() {
            @Override
            public void setSchema(Schema schema) {
                if (!schema.equals(own)) {
                    throw new IllegalArgumentException("a reader of " + own.getFullName() + " as written by this build "
                            + "cannot read " + schema.getFullName() + " written by another");
                }
            }

            @Override
            public DatasetState read(DatasetState reuse, Decoder in) throws IOException {
                return datasetState(in);
            }
        };
    }

    static DatasetState datasetState(Decoder in) throws IOException {
        DatasetState state = new DatasetState();
        state.setKey(in.readString());
        state.setInventory(present(in) ? dataset(in) : null);
        state.setActivity(present(in) ? activity(in) : null);
        state.setTier(present(in) ? TIERS[in.readEnum()] : null);
        state.setPrimarySite(optionalString(in));
        state.setReplicaSites(strings(in));
        state.setStorageClass(optionalString(in));
        state.setInFlight(present(in) ? command(in) : null);
        state.setInFlightPhase(present(in) ? PHASES[in.readEnum()] : null);
        state.setCommandsIssued(in.readLong());
        state.setLastMoveAt(in.readLong());
        state.setDueAt(in.readLong());
        state.setLastPlacement(present(in) ? placement(in) : null);
        state.setLastFailure(optionalString(in));
        state.setActiveAlerts(strings(in));
        state.setCostAccruedAt(in.readLong());
        state.setPendingCost(pendingCost(in));
        Map<String, String> versions = new HashMap<>();
        for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                versions.put(in.readString(), in.readString());
            }
        }
        state.setCopyVersions(versions);
        state.setGlobalPin(present(in) ? new GlobalPin(in.readString(), in.readString(), in.readLong()) : null);
        return state;
    }

    private static Dataset dataset(Decoder in) throws IOException {
        Dataset dataset = new Dataset();
        dataset.setKey(in.readString());
        dataset.setSizeBytes(in.readLong());
        dataset.setContentType(in.readString());
        dataset.setOwner(in.readString());
        dataset.setLatencySlaMs(present(in) ? in.readDouble() : null);
        dataset.setVersionToken(in.readString());
        dataset.setSha256(in.readString());
        dataset.setPrimarySite(in.readString());
        dataset.setReplicaSites(strings(in));
        dataset.setStorageClass(in.readString());
        dataset.setUpdatedAt(timestamp(in));
        return dataset;
    }

    private static ActivityState activity(Decoder in) throws IOException {
        ActivityState activity = new ActivityState();
        activity.setFineNewestBucket(in.readLong());
        activity.setFineCounts(longs(in));
        activity.setCoarseNewestBucket(in.readLong());
        activity.setCoarseCounts(longs(in));
        activity.setHeat(in.readDouble());
        activity.setHeatAt(in.readLong());
        activity.setLastAccess(in.readLong());
        Map<String, Double> regionBytes = new HashMap<>();
        for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
            for (long i = 0; i < n; i++) {
                regionBytes.put(in.readString(), in.readDouble());
            }
        }
        activity.setRegionBytes(regionBytes);
        activity.setDecayedRequests(in.readDouble());
        activity.setHoltLevel(in.readDouble());
        activity.setHoltTrend(in.readDouble());
        activity.setHoltHour(in.readLong());
        activity.setRecentEventIds(strings(in));
        activity.setTotalEvents(in.readLong());
        return activity;
    }

    private static MigrationCommand command(Decoder in) throws IOException {
        MigrationCommand command = new MigrationCommand();
        command.setId(in.readString());
        command.setKey(in.readString());
        command.setAction(ACTIONS[in.readEnum()]);
        command.setSourceSite(in.readString());
        command.setDestinationSite(in.readString());
        command.setStorageClass(in.readString());
        command.setExpectedVersionToken(in.readString());
        command.setExpectedSha256(in.readString());
        command.setSizeBytes(in.readLong());
        command.setNotBefore(present(in) ? timestamp(in) : null);
        command.setReason(in.readString());
        command.setRequireEncryption(in.readBoolean());
        command.setIssuedAt(timestamp(in));
        command.setSequence(in.readLong());
        command.setKeepSite(present(in) ? in.readString() : null);
        command.setKeepVersionToken(present(in) ? in.readString() : null);
        command.setSourceVersionToken(present(in) ? in.readString() : null);
        return command;
    }

    private static Placement placement(Decoder in) throws IOException {
        Placement placement = new Placement();
        placement.setKey(in.readString());
        placement.setTier(TIERS[in.readEnum()]);
        placement.setPrimarySite(in.readString());
        placement.setReplicaSites(strings(in));
        placement.setStorageClass(in.readString());
        placement.setObjectiveUsdPerMonth(in.readDouble());
        PlacementExplanation explanation = new PlacementExplanation();
        explanation.setHeat(in.readDouble());
        explanation.setPHotSoon(in.readDouble());
        explanation.setBoostedHeat(in.readDouble());
        explanation.setHotThreshold(in.readDouble());
        explanation.setWarmThreshold(in.readDouble());
        explanation.setModelVersion(in.readString());
        explanation.setPolicyName(in.readString());
        explanation.setBindingConstraint(optionalString(in));
        List<SiteScore> scores = new ArrayList<>();
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                SiteScore score = new SiteScore();
                score.setSite(in.readString());
                score.setStorageUsdPerMonth(in.readDouble());
                score.setEgressUsdPerMonth(in.readDouble());
                score.setMoveUsd(in.readDouble());
                score.setFeasible(in.readBoolean());
                score.setRejectedBecause(optionalString(in));
                scores.add(score);
            }
        }
        explanation.setSiteScores(scores);
        explanation.setDecision(in.readString());
        explanation.setExpectedReads(in.readDouble());
        List<TierCandidate> candidates = new ArrayList<>();
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                TierCandidate candidate = new TierCandidate();
                candidate.setTier(TIERS[in.readEnum()]);
                candidate.setFeasible(in.readBoolean());
                candidate.setPrimarySite(optionalString(in));
                candidate.setStorageClass(optionalString(in));
                candidate.setStorageUsd(in.readDouble());
                candidate.setReadsUsd(in.readDouble());
                candidate.setEgressUsd(in.readDouble());
                candidate.setOneOffUsd(in.readDouble());
                candidate.setTotalUsd(in.readDouble());
                candidates.add(candidate);
            }
        }
        explanation.setCandidates(candidates);
        explanation.setReplication(present(in) ? replication(in) : null);
        explanation.setGlobalPass(present(in) ? new GlobalPassPin(in.readString(), in.readString(), in.readLong(),
                optionalString(in), optionalString(in)) : null);
        placement.setExplanation(explanation);
        placement.setDecidedAt(timestamp(in));
        return placement;
    }

    private static ReplicationStatus replication(Decoder in) throws IOException {
        ReplicationStatus replication = new ReplicationStatus();
        replication.setCopiesWanted(in.readInt());
        replication.setCopiesVerified(in.readInt());
        replication.setWriteQuorum(in.readInt());
        replication.setDurable(in.readBoolean());
        replication.setRepair(optionalString(in));
        return replication;
    }

    private static PendingCost pendingCost(Decoder in) throws IOException {
        PendingCost cost = new PendingCost();
        cost.setEgressUsd(in.readDouble());
        cost.setRequestUsd(in.readDouble());
        cost.setRetrievalUsd(in.readDouble());
        cost.setReads(in.readLong());
        cost.setBytesRead(in.readLong());
        cost.setSlaMisses(in.readLong());
        cost.setBaselineEgressUsd(in.readDouble());
        cost.setBaselineRequestUsd(in.readDouble());
        return cost;
    }

    /** Which branch of a {@code ["null", T]} union follows: true if the value. */
    private static boolean present(Decoder in) throws IOException {
        if (in.readIndex() == 0) {
            in.readNull();
            return false;
        }
        return true;
    }

    private static String optionalString(Decoder in) throws IOException {
        return present(in) ? in.readString() : null;
    }

    private static List<String> strings(Decoder in) throws IOException {
        List<String> values = new ArrayList<>();
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                values.add(in.readString());
            }
        }
        return values;
    }

    private static List<Long> longs(Decoder in) throws IOException {
        List<Long> values = new ArrayList<>();
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                values.add(in.readLong());
            }
        }
        return values;
    }

    private static Instant timestamp(Decoder in) throws IOException {
        return Instant.ofEpochMilli(in.readLong());
    }
}
