package io.tierflow.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.schemas.DatasetState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;

/** The hand-written writer of the dataset record gives Avro's bytes, whatever the record holds. */
class DatasetStateWriterTest {

    /**
     * Random records of the schema, every optional part present in some and absent in others (an old record's
     * activity too, which takes Avro's path), made into the generated class: the serializer's writer must give the
     * bytes Avro's writer of the class gives. A field added, removed or reordered in the schema without this writer
     * following fails here.
     */
    @Test
    void shouldWriteWhatAvroWritesForRandomRecords() throws IOException {
        DatumWriter<DatasetState> writer = AvroSerializer.writerFor(DatasetState.getClassSchema());
        assertInstanceOf(DatasetStateWriter.class, writer, "the serializer writes dataset records by hand");
        SpecificDatumReader<DatasetState> reader = new SpecificDatumReader<>(DatasetState.class);
        GenericDatumWriter<Object> generic = new GenericDatumWriter<>(DatasetState.getClassSchema());
        SpecificDatumWriter<DatasetState> avro = new SpecificDatumWriter<>(DatasetState.class);
        int withInFlight = 0;
        int withoutInFlight = 0;
        int withActivity = 0;
        for (Object random : new RandomData(DatasetState.getClassSchema(), 500, 20261122L)) {
            DatasetState state = reader.read(null, DecoderFactory.get().binaryDecoder(write(generic, random), null));
            assertArrayEquals(write(avro, state), write(writer, state), () -> "written differently: " + state);
            withInFlight += state.getInFlight() != null ? 1 : 0;
            withoutInFlight += state.getInFlight() == null ? 1 : 0;
            withActivity += state.getActivity() != null ? 1 : 0;
        }
        assertTrue(withInFlight > 50 && withoutInFlight > 50 && withActivity > 50,
                "the random records cover both sides of the unions");
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
