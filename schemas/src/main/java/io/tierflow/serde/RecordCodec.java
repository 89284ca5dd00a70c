package io.tierflow.serde;

import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A hand-written Avro binary codec of one generated record class, given to the serde of that class when it is built
 * ({@code Topics.using(config, codecs)}, {@link AvroSerde}). The serde resolves it once: its writer writes records of
 * the class's own schema object (never generic records of an equal schema), its reader reads data written with a
 * schema equal to the class's (data written with another version of the schema is resolved by Avro's reader, as
 * always). Its output must be Avro's, byte for byte, and its records Avro's: whoever registers one keeps a test that
 * checks both against Avro's own writer and reader on random records of the schema.
 */
public interface RecordCodec<T extends SpecificRecord> {
    /** The generated class whose records this codec writes and reads. */
    Class<T> type();

    /**
     * The writer of the class's records.
     *
     * @param avro Avro's writer of the class's schema: to return, or to delegate to for records the codec leaves to it
     */
    DatumWriter<T> writer(DatumWriter<T> avro);

    /**
     * The reader of data written with the class's own schema; by default Avro's.
     *
     * @param avro Avro's reader of that data into the class: to return, or to delegate to
     */
    default DatumReader<T> reader(DatumReader<T> avro) {
        return avro;
    }
}
