package io.tierflow.streams.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.DatasetState;
import io.tierflow.schemas.Placement;
import io.tierflow.schemas.SiteScore;
import io.tierflow.schemas.TierCandidate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/**
 * A copy of a dataset record is what a store of bytes would hand back: the record written by its codec and read again.
 */
class RecordCopiesTest {
    private static final Schema STATE = DatasetState.getClassSchema();
    private final DatumWriter<DatasetState> writer = TieringCodecs.DATASET_STATE.writer(
            new SpecificDatumWriter<>(DatasetState.class));
    private final DatumReader<DatasetState> reader = TieringCodecs.DATASET_STATE.reader(
            new SpecificDatumReader<>(DatasetState.class));

    /**
     * Random records of the schema, every optional part present in some and absent in others: the copy equals the
     * round trip, its maps iterate in the same order (a sum over them adds in that order), and changing every mutable
     * part of the copy leaves the original as it was. A field the copy forgets fails the first assertion.
     */
    @Test
    void shouldCopyAsARoundTripReadsForRandomRecords() throws IOException {
        SpecificDatumReader<DatasetState> specific = new SpecificDatumReader<>(DatasetState.class);
        GenericDatumWriter<Object> generic = new GenericDatumWriter<>(STATE);
        int withPlacement = 0;
        int withActivity = 0;
        int records = 0;
        for (Object random : new RandomData(STATE, 500, 20261208L)) {
            DatasetState original = specific.read(null, DecoderFactory.get().binaryDecoder(write(generic, random), null));
            byte[] before = write(writer, original);
            DatasetState roundTrip = read(before);

            DatasetState copy = RecordCopies.datasetState(original);

            assertEquals(roundTrip, copy);
            assertEquals(new ArrayList<>(roundTrip.getCopyVersions().keySet()),
                    new ArrayList<>(copy.getCopyVersions().keySet()));
            if (copy.getActivity() != null) {
                assertEquals(new ArrayList<>(roundTrip.getActivity().getRegionBytes().keySet()),
                        new ArrayList<>(copy.getActivity().getRegionBytes().keySet()));
            }
            changeEveryMutablePart(copy);
            assertArrayEquals(before, write(writer, original), "the original changed with its copy");
            withPlacement += original.getLastPlacement() != null ? 1 : 0;
            withActivity += original.getActivity() != null ? 1 : 0;
            records++;
        }
        assertTrue(withPlacement > records / 10 && withPlacement < records * 9 / 10, withPlacement + " with placement");
        assertTrue(withActivity > records / 10 && withActivity < records * 9 / 10, withActivity + " with activity");
    }

    /** Timestamps are kept to the millisecond, as the codec keeps them: a copy never carries more than a read would. */
    @Test
    void shouldCutTimestampsToTheMillisecondAsARoundTripDoes() throws IOException {
        SpecificDatumReader<DatasetState> specific = new SpecificDatumReader<>(DatasetState.class);
        GenericDatumWriter<Object> generic = new GenericDatumWriter<>(STATE);
        int checked = 0;
        for (Object random : new RandomData(STATE, 200, 7L)) {
            DatasetState original = specific.read(null, DecoderFactory.get().binaryDecoder(write(generic, random), null));
            if (original.getInventory() == null || original.getInFlight() == null || original.getLastPlacement() == null) {
                continue;
            }
            Instant submilli = Instant.parse("2026-03-02T08:00:00.123456789Z");
            original.getInventory().setUpdatedAt(submilli);
            original.getInFlight().setIssuedAt(submilli);
            original.getInFlight().setNotBefore(submilli.plusNanos(1));
            original.getLastPlacement().setDecidedAt(submilli.plusNanos(999_999));

            DatasetState copy = RecordCopies.datasetState(original);

            assertEquals(read(write(writer, original)), copy);
            assertEquals(Instant.parse("2026-03-02T08:00:00.124Z"), copy.getLastPlacement().getDecidedAt());
            checked++;
        }
        assertTrue(checked > 0, "no random record had an inventory, a command and a placement");
    }

    private static void changeEveryMutablePart(DatasetState copy) {
        copy.getReplicaSites().add("changed");
        copy.getActiveAlerts().add("changed");
        copy.getCopyVersions().put("changed", "changed");
        copy.getPendingCost().setReads(copy.getPendingCost().getReads() + 1);
        if (copy.getInventory() != null) {
            copy.getInventory().getReplicaSites().add("changed");
            copy.getInventory().setSizeBytes(copy.getInventory().getSizeBytes() + 1);
        }
        if (copy.getActivity() != null) {
            copy.getActivity().getFineCounts().add(1L);
            copy.getActivity().getCoarseCounts().add(1L);
            copy.getActivity().getRegionBytes().put("changed", 1.0);
            copy.getActivity().getRecentEventIds().add("changed");
            copy.getActivity().setHeat(copy.getActivity().getHeat() + 1);
        }
        if (copy.getInFlight() != null) {
            copy.getInFlight().setSizeBytes(copy.getInFlight().getSizeBytes() + 1);
        }
        if (copy.getGlobalPin() != null) {
            copy.getGlobalPin().setSite("changed");
        }
        Placement placement = copy.getLastPlacement();
        if (placement != null) {
            placement.getReplicaSites().add("changed");
            placement.getExplanation().setHeat(placement.getExplanation().getHeat() + 1);
            for (SiteScore score : placement.getExplanation().getSiteScores()) {
                score.setMoveUsd(score.getMoveUsd() + 1);
            }
            placement.getExplanation().getSiteScores().add(new SiteScore("changed", 1.0, 1.0, 1.0, true, null));
            for (TierCandidate candidate : placement.getExplanation().getCandidates()) {
                candidate.setTotalUsd(candidate.getTotalUsd() + 1);
            }
            placement.getExplanation().setCandidates(List.of());
            if (placement.getExplanation().getReplication() != null) {
                placement.getExplanation().getReplication().setCopiesWanted(
                        placement.getExplanation().getReplication().getCopiesWanted() + 1);
            }
            if (placement.getExplanation().getGlobalPass() != null) {
                placement.getExplanation().getGlobalPass().setSite("changed");
            }
        }
    }

    private DatasetState read(byte[] bytes) throws IOException {
        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] write(DatumWriter writer, Object record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
