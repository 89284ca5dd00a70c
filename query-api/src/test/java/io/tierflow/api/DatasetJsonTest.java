package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.MigrationPhase;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.ReplicationStatus;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.Tier;
import io.tierflow.streams.ActivityView;
import io.tierflow.streams.DatasetView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dataset shapes of the API: field names, order and values are the API's contract. */
class DatasetJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static DatasetView everythingKnown() {
        Dataset inventory = Dataset.newBuilder().setKey("logs/2026/11/a b.parquet").setSizeBytes(123_456_789L)
                .setContentType("application/octet-stream").setOwner("team-\"quoted\"").setLatencySlaMs(80.0)
                .setVersionToken("etag-1").setSha256("ab".repeat(32)).setPrimarySite("aws")
                .setReplicaSites(List.of("gcp")).setStorageClass("STANDARD")
                .setUpdatedAt(Instant.parse("2026-11-21T10:00:00.123Z")).build();
        Placement decision = Placement.newBuilder().setKey(inventory.getKey()).setTier(Tier.WARM).setPrimarySite("gcp")
                .setReplicaSites(List.of("aws", "azure")).setStorageClass("NEARLINE").setObjectiveUsdPerMonth(1.25e-3)
                .setExplanation(PlacementExplanation.newBuilder().setHeat(3.5).setPHotSoon(0.125).setBoostedHeat(4.0)
                        .setHotThreshold(20).setWarmThreshold(2).setModelVersion("m1").setPolicyName("default")
                        .setBindingConstraint(null).setSiteScores(List.of(SiteScore.newBuilder().setSite("gcp")
                                .setStorageUsdPerMonth(0.001).setEgressUsdPerMonth(0.0).setMoveUsd(0.02)
                                .setFeasible(true).setRejectedBecause(null).build(), SiteScore.newBuilder()
                                .setSite("onprem").setStorageUsdPerMonth(0.0).setEgressUsdPerMonth(1.0).setMoveUsd(0.5)
                                .setFeasible(false).setRejectedBecause("latency_sla").build()))
                        .setReplication(ReplicationStatus.newBuilder().setCopiesWanted(3).setCopiesVerified(2)
                                .setWriteQuorum(2).setDurable(true)
                                .setRepair("1 copy missing: waiting for azure (down) to be marked up").build())
                        .build())
                .setDecidedAt(Instant.parse("2026-11-21T11:00:00Z")).build();
        MigrationCommand command = MigrationCommand.newBuilder().setId("cmd-1").setKey(inventory.getKey())
                .setAction(MigrationAction.COPY).setSourceSite("aws").setDestinationSite("gcp")
                .setStorageClass("NEARLINE").setExpectedVersionToken("etag-1").setExpectedSha256("ab".repeat(32))
                .setSizeBytes(123_456_789L).setNotBefore(null).setReason("tier WARM").setRequireEncryption(false)
                .setIssuedAt(Instant.parse("2026-11-21T11:00:00.001Z")).build();
        Map<String, Double> regions = new LinkedHashMap<>();
        regions.put("eu-west", 1.5e9);
        regions.put("us-east", 0.25);
        ActivityView activity = new ActivityView(12, 345, 3.5, Instant.parse("2026-11-21T11:59:00Z").toEpochMilli(),
                Instant.parse("2026-11-21T11:59:30.5Z").toEpochMilli(), regions, 7.75, 9_999);
        return new DatasetView(inventory.getKey(), inventory, activity, Tier.HOT, "aws", List.of("gcp"), "STANDARD",
                decision, command, MigrationPhase.COPYING, "checksum_mismatch",
                Instant.parse("2026-11-21T12:00:00Z").toEpochMilli(), Instant.parse("2026-11-21T09:00:00Z").toEpochMilli());
    }

    static DatasetView onlyEventsSeen() {
        ActivityView activity = new ActivityView(1, 1, 1.0, 1_000L, 1_000L, Map.of(), 0.0, 1);
        return new DatasetView("k", null, activity, null, null, List.of(), null, null, null, null, null, -1L, 0L);
    }

    /** The answers as the API wrote them before the shapes were streamed (a tree per answer), byte for byte. */
    /** A single dataset's answer as the server writes it into a response. */
    private static String answer(DatasetJson.Shape shape, DatasetView view, String instance) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DatasetJson.write(out, shape, view, instance);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteEveryShapeAsBefore() throws Exception {
        DatasetView everything = everythingKnown();
        assertEquals("{\"key\":\"logs/2026/11/a b.parquet\",\"tier\":\"HOT\",\"inventory\":{\"key\":\"logs/2026/11/a b.parquet\",\"si"
                + "zeBytes\":123456789,\"contentType\":\"application/octet-stream\",\"owner\":\"team-\\\"quoted\\\"\",\"latencySl"
                + "aMs\":80.0,\"versionToken\":\"etag-1\",\"sha256\":\"abababababababababababababababababababababababababab"
                + "abababababab\",\"primarySite\":\"aws\",\"replicaSites\":[\"gcp\"],\"storageClass\":\"STANDARD\",\"updatedAt\":\""
                + "2026-11-21T10:00:00.123Z\"},\"activity\":{\"count1h\":12,\"count24h\":345,\"heat\":3.5,\"heatAt\":\"2026-11-"
                + "21T11:59:00Z\",\"lastAccess\":\"2026-11-21T11:59:30.500Z\",\"regionDemandBytes\":{\"eu-west\":1.5E9,\"us-e"
                + "ast\":0.25},\"forecastHourlyRate\":7.75,\"totalEvents\":9999},\"actual\":{\"primarySite\":\"aws\",\"replicaS"
                + "ites\":[\"gcp\"],\"storageClass\":\"STANDARD\"},\"desired\":{\"tier\":\"WARM\",\"primarySite\":\"gcp\",\"replicaSi"
                + "tes\":[\"aws\",\"azure\"],\"storageClass\":\"NEARLINE\",\"objectiveUsdPerMonth\":0.00125,\"decidedAt\":\"2026-"
                + "11-21T11:00:00Z\"},\"replication\":{\"copiesVerified\":2,\"copiesWanted\":3,\"writeQuorum\":2,"
                + "\"durable\":true,\"repair\":\"1 copy missing: waiting for azure (down) to be marked up\"},"
                + "\"migration\":{\"phase\":\"COPYING\",\"command\":{\"id\":\"cmd-1\",\"key\":\"logs/2026/11/a b"
                + ".parquet\",\"action\":\"COPY\",\"sourceSite\":\"aws\",\"destinationSite\":\"gcp\",\"storageClass\":\"NEARLINE\",\""
                + "expectedVersionToken\":\"etag-1\",\"expectedSha256\":\"abababababababababababababababababababababababa"
                + "babababababababab\",\"sizeBytes\":123456789,\"notBefore\":null,\"reason\":\"tier WARM\",\"requireEncryptio"
                + "n\":false,\"issuedAt\":\"2026-11-21T11:00:00.001Z\",\"sequence\":0,\"keepSite\":null,\"keepVersionToken\":n"
                + "ull,\"sourceVersionToken\":null}},\"lastFailure\":\"checksum_mismatch\",\"nextEvaluati"
                + "onAt\":\"2026-11-21T12:00:00Z\",\"lastMoveAt\":\"2026-11-21T09:00:00Z\",\"instance\":\"127.0.0.1:1\"}",
                answer(DatasetJson.FULL, everything, "127.0.0.1:1"));
        assertEquals("{\"key\":\"logs/2026/11/a b.parquet\",\"actual\":{\"primarySite\":\"aws\",\"replicaSites\":[\"gcp\"],\"storageC"
                + "lass\":\"STANDARD\"},\"decision\":{\"key\":\"logs/2026/11/a b.parquet\",\"tier\":\"WARM\",\"primarySite\":\"gcp\""
                + ",\"replicaSites\":[\"aws\",\"azure\"],\"storageClass\":\"NEARLINE\",\"objectiveUsdPerMonth\":0.00125,\"explan"
                + "ation\":{\"heat\":3.5,\"pHotSoon\":0.125,\"boostedHeat\":4.0,\"hotThreshold\":20.0,\"warmThreshold\":2.0,\"m"
                + "odelVersion\":\"m1\",\"policyName\":\"default\",\"bindingConstraint\":null,\"siteScores\":[{\"site\":\"gcp\",\"s"
                + "torageUsdPerMonth\":0.001,\"egressUsdPerMonth\":0.0,\"moveUsd\":0.02,\"feasible\":true,\"rejectedBecause"
                + "\":null},{\"site\":\"onprem\",\"storageUsdPerMonth\":0.0,\"egressUsdPerMonth\":1.0,\"moveUsd\":0.5,\"feasibl"
                + "e\":false,\"rejectedBecause\":\"latency_sla\"}],\"decision\":\"HEAT\",\"expectedReads\":0.0,"
                + "\"candidates\":[],\"replication\":{\"copiesWanted\":3,\"copiesVerified\":2,\"writeQuorum\":2,"
                + "\"durable\":true,\"repair\":\"1 copy missing: waiting for azure (down) to be marked up\"},"
                + "\"globalPass\":null},"
                + "\"decidedAt\":\"2026-11-21T11:00:00Z\"},\"lastMoveAt\":\"2026-11-21T09:00:00Z\",\"instance\":\"127."
                + "0.0.1:1\"}",
                answer(DatasetJson.EXPLAIN, everything, "127.0.0.1:1"));
        assertEquals("{\"key\":\"logs/2026/11/a b.parquet\",\"tier\":\"HOT\",\"sizeBytes\":123456789,\"owner\":\"team-\\\"quoted\\\"\",\"primarySite\":\"aws\",\"replic"
                + "aSites\":[\"gcp\"],\"heat\":3.5,\"count1h\":12,\"count24h\":345,\"migrationPhase\":\"COPYING\"}",
                JSON.writeValueAsString(DatasetJson.tree(DatasetJson.SUMMARY, everything)));
        assertEquals("{\"phase\":\"COPYING\",\"command\":{\"id\":\"cmd-1\",\"key\":\"logs/2026/11/a b.parquet\",\"action\":\"COPY\",\"sou"
                + "rceSite\":\"aws\",\"destinationSite\":\"gcp\",\"storageClass\":\"NEARLINE\",\"expectedVersionToken\":\"etag-1\""
                + ",\"expectedSha256\":\"abababababababababababababababababababababababababababababababab\",\"sizeBytes\""
                + ":123456789,\"notBefore\":null,\"reason\":\"tier WARM\",\"requireEncryption\":false,\"issuedAt\":\"2026-11-2"
                + "1T11:00:00.001Z\",\"sequence\":0,\"keepSite\":null,\"keepVersionToken\":null,\"sourceVersionToken\":null},"
                + "\"key\":\"logs/2026/11/a b.parquet\",\"lastFailure\":\"checksum_mismatch\"}",
                JSON.writeValueAsString(DatasetJson.tree(DatasetJson.MIGRATION_ITEM, everything)));
    }

    @Test
    void shouldWriteNullsForWhatIsNotKnownYet() throws Exception {
        DatasetView events = onlyEventsSeen();
        assertEquals("{\"key\":\"k\",\"tier\":null,\"inventory\":null,\"activity\":{\"count1h\":1,\"count24h\":1,\"heat\":1.0,\"heatAt\""
                + ":\"1970-01-01T00:00:01Z\",\"lastAccess\":\"1970-01-01T00:00:01Z\",\"regionDemandBytes\":{},\"forecastHour"
                + "lyRate\":0.0,\"totalEvents\":1},\"actual\":{\"primarySite\":null,\"replicaSites\":[],\"storageClass\":null}"
                + ",\"desired\":null,\"replication\":null,\"migration\":null,\"lastFailure\":null,\"nextEvaluationAt\":null,\"lastMoveAt\":null,\"i"
                + "nstance\":\"127.0.0.1:1\"}",
                answer(DatasetJson.FULL, events, "127.0.0.1:1"));
        assertEquals("{\"key\":\"k\",\"actual\":{\"primarySite\":null,\"replicaSites\":[],\"storageClass\":null},\"decision\":null,\""
                + "reason\":\"not evaluated yet: a dataset is placed once its inventory entry and a site catalogue ar"
                + "e known\",\"lastMoveAt\":null,\"instance\":\"127.0.0.1:1\"}",
                answer(DatasetJson.EXPLAIN, events, "127.0.0.1:1"));
        assertEquals("{\"key\":\"k\",\"tier\":null,\"sizeBytes\":null,\"owner\":null,\"primarySite\":null,\"replicaSites\":[],\"heat\":1.0,\"count1h"
                + "\":1,\"count24h\":1,\"migrationPhase\":null}",
                JSON.writeValueAsString(DatasetJson.tree(DatasetJson.SUMMARY, events)));
        assertEquals("{\"phase\":\"FAILED\",\"key\":\"k\",\"lastFailure\":null}",
                JSON.writeValueAsString(DatasetJson.tree(DatasetJson.MIGRATION_ITEM, events)));
    }
}
