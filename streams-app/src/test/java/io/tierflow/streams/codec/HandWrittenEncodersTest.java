package io.tierflow.streams.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.serde.RecordCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/** The hand-written writers give Avro's bytes, whatever the records hold (the serde's choice of them: RecordCodecHookTest). */
class HandWrittenEncodersTest {

    /**
     * Random dataset records, every optional part present in some and absent in others (an old record's activity too,
     * which takes Avro's path): the serializer's writer must give the bytes Avro's writer of the class gives. A field
     * added, removed or reordered in the schema without the writer following fails here.
     */
    @Test
    void shouldWriteDatasetRecordsAsAvroDoes() throws IOException {
        assertSameBytesAsAvro(TieringCodecs.DATASET_STATE, state -> state.getInFlight() != null,
                state -> state.getLastPlacement() != null, state -> state.getActivity() != null,
                state -> state.getInventory() != null && state.getInventory().getLatencySlaMs() != null);
    }

    @Test
    void shouldWritePlacementsAsAvroDoes() throws IOException {
        assertSameBytesAsAvro(TieringCodecs.PLACEMENT, placement -> placement.getExplanation().getBindingConstraint() != null);
    }

    @Test
    void shouldWriteMigrationCommandsAsAvroDoes() throws IOException {
        assertSameBytesAsAvro(TieringCodecs.MIGRATION_COMMAND, command -> command.getNotBefore() != null);
    }

    /**
     * Random records of the codec's class's schema, made into the class (written by Avro's generic writer, read by its
     * specific reader), each written by Avro's writer of the class and by the codec's: the same bytes. Each of
     * {@code covers} must hold for some records and not for others, so both sides of each union are written.
     */
    @SafeVarargs
    private static <T extends SpecificRecord> void assertSameBytesAsAvro(RecordCodec<T> codec,
            Predicate<T>... covers) throws IOException {
        Class<T> type = codec.type();
        Schema schema = SpecificData.get().getSchema(type); // the class's own schema object
        SpecificDatumWriter<T> avro = new SpecificDatumWriter<>(type);
        DatumWriter<T> writer = codec.writer(avro);
        assertNotSame(avro, writer, "the codec writes " + type.getSimpleName() + " by hand");
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        GenericDatumWriter<Object> generic = new GenericDatumWriter<>(schema);
        int[] holds = new int[covers.length];
        int records = 0;
        for (Object random : new RandomData(schema, 500, 20261122L)) {
            T record = reader.read(null, DecoderFactory.get().binaryDecoder(write(generic, random), null));
            assertArrayEquals(write(avro, record), write(writer, record), () -> "written differently: " + record);
            for (int i = 0; i < covers.length; i++) {
                holds[i] += covers[i].test(record) ? 1 : 0;
            }
            records++;
        }
        for (int i = 0; i < covers.length; i++) {
            assertTrue(holds[i] > records / 10 && holds[i] < records * 9 / 10,
                    "condition " + i + " holds for " + holds[i] + " of " + records + " random records");
        }
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
