package io.tierflow.localstack;

import io.tierflow.schemas.AccessEvent;
import io.tierflow.schemas.AccessOp;
import io.tierflow.schemas.Alert;
import io.tierflow.schemas.AlertState;
import io.tierflow.schemas.AlertType;
import io.tierflow.schemas.ControlCommand;
import io.tierflow.schemas.ControlType;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DeadLetter;
import io.tierflow.schemas.FeatureWeight;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.MigrationStatus;
import io.tierflow.schemas.Model;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Provider;
import io.tierflow.schemas.Severity;
import io.tierflow.schemas.Site;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.StorageClassPrice;
import io.tierflow.schemas.Tier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every topic record, with non-default values in every field. */
final class SampleRecords {
    static final Instant T = Instant.parse("2026-11-21T10:15:30.123Z").truncatedTo(ChronoUnit.MILLIS);

    private SampleRecords() {
    }

    static AccessEvent accessEvent(String key, long bytes) {
        return AccessEvent.newBuilder().setKey(key).setOp(AccessOp.GET).setBytes(bytes).setServedFrom("aws")
                .setClientRegion("eu-west").setLatencyMs(12.5).setEventTime(T).setEventId("evt-" + key + "-" + bytes)
                .build();
    }

    /** Every topic's record type, keyed by topic name. */
    static Map<String, SpecificRecord> oneOfEach() {
        return Map.ofEntries(
                Map.entry("access-events", accessEvent("datasets/2026/report-äöü ✓.parquet", 1_048_576)),
                Map.entry("datasets", Dataset.newBuilder().setKey("logs/a.gz").setSizeBytes(5_000_000_000L)
                        .setContentType("application/gzip").setOwner("team-ml").setLatencySlaMs(80.0)
                        .setVersionToken("\"9b2cf535f27731c974343645a3985328\"")
                        .setSha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                        .setPrimarySite("aws").setReplicaSites(List.of("gcp")).setStorageClass("STANDARD_IA")
                        .setUpdatedAt(T).build()),
                Map.entry("sites", Site.newBuilder().setName("azure").setProvider(Provider.AZURE).setRegion("eu-west")
                        .setEndpoint("http://127.0.0.1:19002").setBucket("tierflow")
                        .setStorageClasses(List.of(StorageClassPrice.newBuilder().setName("STANDARD_IA")
                                .setTier(Tier.WARM).setStoragePricePerGbMonth(0.0152).setRetrievalPricePerGb(0.01)
                                .setRequestPricePer1000(0.001).setMinimumStorageDays(30).build()))
                        .setP95LatencyMs(35).setEgressPricePerGb(0.087).setEncrypted(true)
                        .setCapacityBytes(1L << 40).setUp(false).build()),
                Map.entry("policies", Policy.newBuilder().setName("default").setHeatHalfLifeSeconds(3600)
                        .setOpWeights(Map.of("GET", 1.0, "PUT", 0.5)).setBytesWeightPerGb(0.25).setHotThreshold(20)
                        .setWarmThreshold(2).setHysteresis(0.2).setScoreBoost(5).setReplicationHot(3)
                        .setReplicationWarm(2).setReplicationCold(1).setDefaultLatencySlaMs(50)
                        .setEncryptedOnly(true).setMigrationBudgetBytesPerHour(10L << 30).setCooldownSeconds(900)
                        .setHorizonDays(45).setRetireGraceSeconds(7200).setLatenessSeconds(120).setUpdatedAt(T)
                        .build()),
                Map.entry("models", Model.newBuilder().setName("current").setVersion("2026-11-21.1")
                        .setKind("logistic").setIntercept(-2.5)
                        .setFeatures(List.of(FeatureWeight.newBuilder().setName("count_1h").setMean(3.2).setScale(5.1)
                                .setCoefficient(1.7).build()))
                        .setMetrics(Map.of("auc", 0.81)).setTrainedAt(T).build()),
                Map.entry("migration-commands", MigrationCommand.newBuilder().setId("cmd-7f3a").setKey("logs/a.gz")
                        .setAction(MigrationAction.COPY).setSourceSite("aws").setDestinationSite("gcp")
                        .setStorageClass("GLACIER_IR").setExpectedVersionToken("\"abc\"").setExpectedSha256("00ff")
                        .setSizeBytes(42).setNotBefore(T.plusSeconds(60)).setReason("cooled down")
                        .setIssuedAt(T).build()),
                Map.entry("migration-status", MigrationStatus.newBuilder().setCommandId("cmd-7f3a")
                        .setKey("logs/a.gz").setAction(MigrationAction.COPY).setPhase(MigrationPhase.FAILED)
                        .setSourceSite("aws").setDestinationSite("gcp").setBytesDone(21).setSha256("00ff")
                        .setVersionToken("\"def\"").setAttempt(3).setErrorCode("site_unavailable")
                        .setErrorMessage("connection refused").setWorker("worker-1").setAt(T).build()),
                Map.entry("placements", Placement.newBuilder().setKey("logs/a.gz").setTier(Tier.COLD)
                        .setPrimarySite("gcp").setReplicaSites(List.of()).setStorageClass("GLACIER_IR")
                        .setObjectiveUsdPerMonth(0.02)
                        .setExplanation(PlacementExplanation.newBuilder().setHeat(0.3).setPHotSoon(0.05)
                                .setBoostedHeat(0.55).setHotThreshold(20).setWarmThreshold(2).setModelVersion("builtin")
                                .setPolicyName("default").setBindingConstraint("encrypted_only")
                                .setSiteScores(List.of(SiteScore.newBuilder().setSite("gcp").setStorageUsdPerMonth(0.02)
                                        .setEgressUsdPerMonth(0.0).setMoveUsd(0.001).setFeasible(false)
                                        .setRejectedBecause("encrypted_only").build()))
                                .build())
                        .setDecidedAt(T).build()),
                Map.entry("alerts", Alert.newBuilder().setId("SITE_DOWN:aws").setType(AlertType.SITE_DOWN)
                        .setSeverity(Severity.CRITICAL).setState(AlertState.ACKNOWLEDGED).setSubject("aws")
                        .setMessage("site aws unreachable for 60 s").setValue(60).setThreshold(30).setRaisedAt(T)
                        .setUpdatedAt(T.plusSeconds(5)).setAcknowledgedBy("ops").build()),
                Map.entry("control", ControlCommand.newBuilder().setType(ControlType.BURST).setTarget("*")
                        .setKeys(List.of("a", "b")).setParameters(Map.of("rate", "500")).setOperator("ops")
                        .setIssuedAt(T).build()),
                Map.entry("dead-letters", DeadLetter.newBuilder().setSourceTopic("access-events").setSourcePartition(2)
                        .setSourceOffset(99).setSourceTimestamp(T.toEpochMilli())
                        .setKey(ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)))
                        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3})).setStage("deserialization")
                        .setReason("Unknown magic byte 0x01").setExceptionClass("SerializationException")
                        .setApplication("tierflow-streams").setAt(T).build()));
    }
}
