package io.tierflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tierflow.schemas.Policy;
import io.tierflow.schemas.Site;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String POLICY = """
            {"name": "p", "heatHalfLifeSeconds": 3600, "hotThreshold": 20, "warmThreshold": 2, "hysteresis": 0.2,
             "defaultLatencySlaMs": 80, "migrationBudgetBytesPerHour": 1000, "cooldownSeconds": 60,
             "opWeights": {"GET": 1.5}, "updatedAt": "2026-11-21T10:00:00Z"}""";

    @Test
    void readsPlainJsonWithDefaultsAndIsoTimestampsAndWritesItBackTheSame() throws Exception {
        Policy policy = AvroJson.fromJson(JSON.readTree(POLICY), Policy.class);
        assertEquals(20.0, policy.getHotThreshold());
        assertEquals(30.0, policy.getHorizonDays(), "absent fields take the schema default");
        assertEquals(Instant.parse("2026-11-21T10:00:00Z"), policy.getUpdatedAt());
        assertEquals(1.5, policy.getOpWeights().get("GET"));

        JsonNode written = AvroJson.toJson(policy);
        assertEquals("2026-11-21T10:00:00Z", written.get("updatedAt").asText(), "timestamps as ISO-8601");
        assertEquals(policy, AvroJson.fromJson(written, Policy.class), "what is written reads back equal");
    }

    @Test
    void writesUnionsAsTheirValueAndEnumsByName() throws Exception {
        Site site = Site.newBuilder().setName("s").setProvider(io.tierflow.schemas.Provider.AWS).setRegion("r")
                .setEndpoint("http://127.0.0.1:1").setStorageClasses(java.util.List.of()).setP95LatencyMs(10)
                .setEgressPricePerGb(0.09).setEncrypted(true).setCapacityBytes(1).build();
        JsonNode json = AvroJson.toJson(site);
        assertEquals("AWS", json.get("provider").asText());
        assertEquals("tierflow", json.get("bucket").asText());
    }

    @Test
    void writesANullableTimestampAsAnInstant() {
        io.tierflow.schemas.MigrationCommand command = io.tierflow.schemas.MigrationCommand.newBuilder().setId("c")
                .setKey("k").setAction(io.tierflow.schemas.MigrationAction.RETIRE).setSourceSite("aws")
                .setDestinationSite("gcp").setStorageClass("STANDARD").setExpectedVersionToken("v")
                .setExpectedSha256("00").setSizeBytes(1).setIssuedAt(Instant.EPOCH)
                .setNotBefore(Instant.parse("2026-11-22T01:04:25.952Z")).build();
        JsonNode json = AvroJson.toJson(command);
        assertEquals("2026-11-22T01:04:25.952Z", json.get("notBefore").asText());
        assertEquals(command, AvroJson.fromJson(json, io.tierflow.schemas.MigrationCommand.class));
    }

    @Test
    void namesTheFieldThatIsMissingUnknownOrOfTheWrongType() throws Exception {
        ApiException missing = assertThrows(ApiException.class,
                () -> AvroJson.fromJson(JSON.readTree("{\"name\": \"p\"}"), Policy.class));
        assertEquals(400, missing.status());
        assertTrue(missing.getMessage().contains("heatHalfLifeSeconds"), missing.getMessage());

        ApiException unknown = assertThrows(ApiException.class, () -> AvroJson.fromJson(
                JSON.readTree(POLICY.replace("\"name\"", "\"hotTreshold\": 1, \"name\"")), Policy.class));
        assertTrue(unknown.getMessage().contains("hotTreshold"), unknown.getMessage());

        ApiException wrongType = assertThrows(ApiException.class, () -> AvroJson.fromJson(
                JSON.readTree(POLICY.replace("\"cooldownSeconds\": 60", "\"cooldownSeconds\": \"soon\"")),
                Policy.class));
        assertTrue(wrongType.getMessage().contains("cooldownSeconds"), wrongType.getMessage());

        ApiException badMap = assertThrows(ApiException.class, () -> AvroJson.fromJson(
                JSON.readTree(POLICY.replace("\"GET\": 1.5", "\"GET\": \"high\"")), Policy.class));
        assertTrue(badMap.getMessage().contains("opWeights.GET"), badMap.getMessage());
    }
}
