package io.tierflow.streams.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.DatasetState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader of the dataset record reads what Avro's reader reads, and only data of its own schema (the
 * serde's choice of it: RecordCodecHookTest).
 */
class HandWrittenDecodersTest {
    private static final Schema STATE = DatasetState.getClassSchema();

    /**
     * Random records of the schema, every optional part present in some and absent in others (an old record's activity
     * too): read by hand and by Avro's reader of the class, they are equal, and nothing of the bytes is left over. The
     * writer's schema comes back from the registry as text, so it is parsed again here.
     */
    @Test
    void shouldReadWhatAvroReadsForRandomRecords() throws IOException {
        Schema registered = new Schema.Parser().parse(STATE.toString());
        SpecificDatumReader<DatasetState> avro = new SpecificDatumReader<>(registered, STATE);
        DatumReader<DatasetState> reader = TieringCodecs.DATASET_STATE.reader(avro);
        assertNotSame(avro, reader, "data of the class's own schema is read by hand");
        reader.setSchema(registered); // what Avro's readers are told: an equal copy of the class's schema passes
        GenericDatumWriter<Object> writer = new GenericDatumWriter<>(STATE);
        int withActivity = 0;
        int withPlacement = 0;
        int records = 0;
        for (Object random : new RandomData(STATE, 500, 20261122L)) {
            byte[] bytes = write(writer, random);
            DatasetState expected = avro.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, null);
            DatasetState read = reader.read(null, in);
            assertEquals(expected, read);
            assertTrue(in.isEnd(), "the whole record is read");
            withActivity += read.getActivity() != null ? 1 : 0;
            withPlacement += read.getLastPlacement() != null ? 1 : 0;
            records++;
        }
        assertTrue(withActivity > records / 10 && withActivity < records * 9 / 10, withActivity + " with activity");
        assertTrue(withPlacement > records / 10 && withPlacement < records * 9 / 10, withPlacement + " with placement");
    }

    /** The codec reads this build's schema only; another version must never reach it (the serde sends it to Avro). */
    @Test
    void shouldRefuseAnotherSchemaVersion() {
        Schema older = SchemaBuilder.record("DatasetState").namespace("io.tierflow.schemas").fields()
                .requiredString("key").endRecord();
        DatumReader<DatasetState> reader = TieringCodecs.DATASET_STATE.reader(new SpecificDatumReader<>(older, STATE));
        assertThrows(IllegalArgumentException.class, () -> reader.setSchema(older));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] write(GenericDatumWriter writer, Object record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
