package io.tierflow.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tierflow.schemas.Dataset;
import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.MigrationAction;
import io.tierflow.schemas.MigrationCommand;
import io.tierflow.schemas.PendingCost;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.PlacementExplanation;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.Tier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Without a codec, the serializer writes with the generated encoders: the same bytes as Avro's field-by-field writer
 * (the tiering app's own codecs are checked against Avro in streams-app, HandWrittenEncodersTest).
 */
class CustomCodersTest {
    private static final Instant AT = Instant.parse("2026-03-02T08:00:00.123Z");

    @Test
    void shouldWriteTheSameBytesAsTheFieldByFieldWriter() throws IOException {
        Placement placement = placement();
        DatasetState state = DatasetState.newBuilder().setKey("ds-1")
                .setInventory(Dataset.newBuilder().setKey("ds-1").setSizeBytes(123_456).setContentType("text/csv")
                        .setOwner("ops").setLatencySlaMs(null).setVersionToken("\"v1\"").setSha256("ab".repeat(32))
                        .setPrimarySite("azure").setReplicaSites(List.of("gcp")).setStorageClass("STANDARD")
                        .setUpdatedAt(AT).build())
                .setTier(Tier.COLD).setPrimarySite("azure").setReplicaSites(List.of("gcp")).setStorageClass("STANDARD")
                .setInFlight(MigrationCommand.newBuilder().setId("c1").setKey("ds-1").setAction(MigrationAction.COPY)
                        .setSourceSite("azure").setDestinationSite("aws").setStorageClass("GLACIER_IR")
                        .setExpectedVersionToken("\"v1\"").setExpectedSha256("ab".repeat(32)).setSizeBytes(123_456)
                        .setNotBefore(null).setReason("cheaper").setRequireEncryption(true).setIssuedAt(AT).build())
                .setLastPlacement(placement).setActiveAlerts(List.of("COST_SPIKE:ds-1")).setCostAccruedAt(42)
                .setPendingCost(PendingCost.newBuilder().setReads(3).build()).build();
        for (SpecificRecord record : List.<SpecificRecord>of(placement, state, placement.getExplanation())) {
            byte[] custom = write(AvroSerializer.writerFor(record.getSchema()), record);
            byte[] fieldByField = write(new SpecificDatumWriter<>(record.getSchema(),
                    SpecificData.getForSchema(record.getSchema())), record);
            assertArrayEquals(fieldByField, custom, record.getSchema().getName());
            SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(record.getSchema());
            assertEquals(record, reader.read(null, DecoderFactory.get().binaryDecoder(custom, null)));
        }
        Schema withoutTimestamps = PlacementExplanation.getClassSchema(); // only records without logical types have them
        assertEquals(true, ((SpecificDatumWriter<?>) AvroSerializer.writerFor(withoutTimestamps))
                .getSpecificData().useCustomCoders(), "the generated encoders are used");
        assertEquals(false, SpecificData.getForSchema(withoutTimestamps).useCustomCoders(),
                "the generated class's shared model is left as it was");
    }

    private static Placement placement() {
        return Placement.newBuilder().setKey("ds-1").setTier(Tier.COLD).setPrimarySite("azure")
                .setReplicaSites(List.of()).setStorageClass("GLACIER_IR").setObjectiveUsdPerMonth(1.5)
                .setExplanation(PlacementExplanation.newBuilder().setHeat(0.1).setPHotSoon(0.2).setBoostedHeat(0.3)
                        .setHotThreshold(8).setWarmThreshold(1).setModelVersion("built-in").setPolicyName("default")
                        .setBindingConstraint(null)
                        .setSiteScores(List.of(
                                SiteScore.newBuilder().setSite("aws").setStorageUsdPerMonth(0.12)
                                        .setEgressUsdPerMonth(0.3).setMoveUsd(0.01).setFeasible(true)
                                        .setRejectedBecause(null).build(),
                                SiteScore.newBuilder().setSite("onprem").setStorageUsdPerMonth(0.02)
                                        .setEgressUsdPerMonth(0).setMoveUsd(0.02).setFeasible(false)
                                        .setRejectedBecause("not encrypted").build()))
                        .build())
                .setDecidedAt(AT).build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] write(DatumWriter writer, SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
