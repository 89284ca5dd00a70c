package io.tierflow.streams.codec;

import io.tierflow.schemas.ActivityState;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.GlobalPassPin;
import io.tierflow.schemas.GlobalPin;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.PendingCost;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.ReplicationStatus;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.TierCandidate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of the dataset record equal to what writing it with {@link HandWrittenEncoders} and reading it back with
 * {@link HandWrittenDecoders} gives, without the bytes: for a store that holds the records as objects and hands out
 * copies (a replay's, see {@code StoreImplementation.IN_MEMORY}), so the topology sees exactly the values a store of
 * bytes would give it. As the reader does, a copy shares nothing mutable with the original (every record, list and map
 * is new; strings, enums and boxed numbers are shared), its lists are {@link ArrayList}s and its maps
 * {@link HashMap}s filled in the original's iteration order, and its timestamps are cut to the millisecond.
 * {@code RecordCopiesTest} checks it against the round trip for random records of the schema, so a field added to the
 * schema and not copied here fails it.
 */
public final class RecordCopies {
    private RecordCopies() {
    }

    /** An independent copy of {@code state}, equal to it after a round trip through its codec. */
    public static DatasetState datasetState(DatasetState state) {
        DatasetState copy = new DatasetState();
        copy.setKey(state.getKey());
        copy.setInventory(state.getInventory() == null ? null : dataset(state.getInventory()));
        copy.setActivity(state.getActivity() == null ? null : activity(state.getActivity()));
        copy.setTier(state.getTier());
        copy.setPrimarySite(state.getPrimarySite());
        copy.setReplicaSites(new ArrayList<>(state.getReplicaSites()));
        copy.setStorageClass(state.getStorageClass());
        copy.setInFlight(state.getInFlight() == null ? null : command(state.getInFlight()));
        copy.setInFlightPhase(state.getInFlightPhase());
        copy.setCommandsIssued(state.getCommandsIssued());
        copy.setLastMoveAt(state.getLastMoveAt());
        copy.setDueAt(state.getDueAt());
        copy.setLastPlacement(state.getLastPlacement() == null ? null : placement(state.getLastPlacement()));
        copy.setLastFailure(state.getLastFailure());
        copy.setActiveAlerts(new ArrayList<>(state.getActiveAlerts()));
        copy.setCostAccruedAt(state.getCostAccruedAt());
        copy.setPendingCost(pendingCost(state.getPendingCost()));
        copy.setCopyVersions(map(state.getCopyVersions()));
        GlobalPin pin = state.getGlobalPin();
        copy.setGlobalPin(pin == null ? null : new GlobalPin(pin.getSite(), pin.getPass(), pin.getExpiresAtMs()));
        return copy;
    }

    private static Dataset dataset(Dataset from) {
        Dataset dataset = new Dataset();
        dataset.setKey(from.getKey());
        dataset.setSizeBytes(from.getSizeBytes());
        dataset.setContentType(from.getContentType());
        dataset.setOwner(from.getOwner());
        dataset.setLatencySlaMs(from.getLatencySlaMs());
        dataset.setVersionToken(from.getVersionToken());
        dataset.setSha256(from.getSha256());
        dataset.setPrimarySite(from.getPrimarySite());
        dataset.setReplicaSites(new ArrayList<>(from.getReplicaSites()));
        dataset.setStorageClass(from.getStorageClass());
        dataset.setUpdatedAt(millis(from.getUpdatedAt()));
        return dataset;
    }

    private static ActivityState activity(ActivityState from) {
        ActivityState activity = new ActivityState();
        activity.setFineNewestBucket(from.getFineNewestBucket());
        activity.setFineCounts(new ArrayList<>(from.getFineCounts()));
        activity.setCoarseNewestBucket(from.getCoarseNewestBucket());
        activity.setCoarseCounts(new ArrayList<>(from.getCoarseCounts()));
        activity.setHeat(from.getHeat());
        activity.setHeatAt(from.getHeatAt());
        activity.setLastAccess(from.getLastAccess());
        activity.setRegionBytes(map(from.getRegionBytes()));
        activity.setDecayedRequests(from.getDecayedRequests());
        activity.setHoltLevel(from.getHoltLevel());
        activity.setHoltTrend(from.getHoltTrend());
        activity.setHoltHour(from.getHoltHour());
        activity.setRecentEventIds(new ArrayList<>(from.getRecentEventIds()));
        activity.setTotalEvents(from.getTotalEvents());
        return activity;
    }

    private static MigrationCommand command(MigrationCommand from) {
        MigrationCommand command = new MigrationCommand();
        command.setId(from.getId());
        command.setKey(from.getKey());
        command.setAction(from.getAction());
        command.setSourceSite(from.getSourceSite());
        command.setDestinationSite(from.getDestinationSite());
        command.setStorageClass(from.getStorageClass());
        command.setExpectedVersionToken(from.getExpectedVersionToken());
        command.setExpectedSha256(from.getExpectedSha256());
        command.setSizeBytes(from.getSizeBytes());
        command.setNotBefore(from.getNotBefore() == null ? null : millis(from.getNotBefore()));
        command.setReason(from.getReason());
        command.setRequireEncryption(from.getRequireEncryption());
        command.setIssuedAt(millis(from.getIssuedAt()));
        command.setSequence(from.getSequence());
        command.setKeepSite(from.getKeepSite());
        command.setKeepVersionToken(from.getKeepVersionToken());
        command.setSourceVersionToken(from.getSourceVersionToken());
        return command;
    }

    private static Placement placement(Placement from) {
        Placement placement = new Placement();
        placement.setKey(from.getKey());
        placement.setTier(from.getTier());
        placement.setPrimarySite(from.getPrimarySite());
        placement.setReplicaSites(new ArrayList<>(from.getReplicaSites()));
        placement.setStorageClass(from.getStorageClass());
        placement.setObjectiveUsdPerMonth(from.getObjectiveUsdPerMonth());
        PlacementExplanation was = from.getExplanation();
        PlacementExplanation explanation = new PlacementExplanation();
        explanation.setHeat(was.getHeat());
        explanation.setPHotSoon(was.getPHotSoon());
        explanation.setBoostedHeat(was.getBoostedHeat());
        explanation.setHotThreshold(was.getHotThreshold());
        explanation.setWarmThreshold(was.getWarmThreshold());
        explanation.setModelVersion(was.getModelVersion());
        explanation.setPolicyName(was.getPolicyName());
        explanation.setBindingConstraint(was.getBindingConstraint());
        List<SiteScore> scores = new ArrayList<>(was.getSiteScores().size());
        for (SiteScore score : was.getSiteScores()) {
            scores.add(new SiteScore(score.getSite(), score.getStorageUsdPerMonth(), score.getEgressUsdPerMonth(),
                    score.getMoveUsd(), score.getFeasible(), score.getRejectedBecause()));
        }
        explanation.setSiteScores(scores);
        explanation.setDecision(was.getDecision());
        explanation.setExpectedReads(was.getExpectedReads());
        List<TierCandidate> candidates = new ArrayList<>(was.getCandidates().size());
        for (TierCandidate candidate : was.getCandidates()) {
            candidates.add(new TierCandidate(candidate.getTier(), candidate.getFeasible(), candidate.getPrimarySite(),
                    candidate.getStorageClass(), candidate.getStorageUsd(), candidate.getReadsUsd(),
                    candidate.getEgressUsd(), candidate.getOneOffUsd(), candidate.getTotalUsd()));
        }
        explanation.setCandidates(candidates);
        ReplicationStatus replication = was.getReplication();
        explanation.setReplication(replication == null ? null : new ReplicationStatus(replication.getCopiesWanted(),
                replication.getCopiesVerified(), replication.getWriteQuorum(), replication.getDurable(),
                replication.getRepair()));
        GlobalPassPin pass = was.getGlobalPass();
        explanation.setGlobalPass(pass == null ? null : new GlobalPassPin(pass.getPass(), pass.getSite(),
                pass.getExpiresAtMs(), pass.getOwnPrimary(), pass.getRefusedBecause()));
        placement.setExplanation(explanation);
        placement.setDecidedAt(millis(from.getDecidedAt()));
        return placement;
    }

    private static PendingCost pendingCost(PendingCost from) {
        PendingCost cost = new PendingCost();
        cost.setEgressUsd(from.getEgressUsd());
        cost.setRequestUsd(from.getRequestUsd());
        cost.setRetrievalUsd(from.getRetrievalUsd());
        cost.setReads(from.getReads());
        cost.setBytesRead(from.getBytesRead());
        cost.setSlaMisses(from.getSlaMisses());
        cost.setBaselineEgressUsd(from.getBaselineEgressUsd());
        cost.setBaselineRequestUsd(from.getBaselineRequestUsd());
        return cost;
    }

    /** A new map filled in {@code from}'s order, as the reader fills one in the order the writer wrote. */
    private static <V> Map<String, V> map(Map<String, V> from) {
        Map<String, V> map = new HashMap<>();
        for (Map.Entry<String, V> entry : from.entrySet()) {
            map.put(entry.getKey(), entry.getValue());
        }
        return map;
    }

    /** A {@code timestamp-millis} value as the reader gives it back. */
    private static Instant millis(Instant at) {
        return Instant.ofEpochMilli(at.toEpochMilli());
    }
}
