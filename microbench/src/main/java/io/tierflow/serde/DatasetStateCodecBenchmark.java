package io.tierflow.serde;

import io.tierflow.schemas.DatasetState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.RandomData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The dataset record (written and read at every evaluation of a dataset): {@link HandWrittenEncoders} and
 * {@link HandWrittenDecoders} against Avro's own specific writer and reader of the class. The records are random
 * ({@link RandomData}, fixed seed) and, as in state written by this build, carry no old activity; each operation takes
 * the next of them, so the figure is an average over their sizes, which the setup prints.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DatasetStateCodecBenchmark {
    private static final Schema SCHEMA = DatasetState.getClassSchema();
    private static final int RECORDS = 256; // a power of two: the next record is a mask away

    private final DatumWriter<DatasetState> handWrittenWriter =
            HandWrittenEncoders.writerFor(SCHEMA, new SpecificDatumWriter<>(SCHEMA));
    private final DatumWriter<DatasetState> avroWriter = new SpecificDatumWriter<>(DatasetState.class);
    private final DatumReader<DatasetState> handWrittenReader =
            HandWrittenDecoders.readerFor(SCHEMA, SCHEMA, new SpecificDatumReader<>(DatasetState.class));
    private final DatumReader<DatasetState> avroReader = new SpecificDatumReader<>(DatasetState.class);

    private final DatasetState[] records = new DatasetState[RECORDS];
    private final byte[][] written = new byte[RECORDS][];
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;
    private int next;

    @Setup
    public void setUp() throws IOException {
        if (handWrittenWriter instanceof SpecificDatumWriter || handWrittenReader instanceof SpecificDatumReader) {
            throw new IllegalStateException("the dataset record is not read and written by hand any more");
        }
        GenericDatumWriter<Object> generic = new GenericDatumWriter<>(SCHEMA);
        SpecificDatumReader<DatasetState> toClass = new SpecificDatumReader<>(DatasetState.class);
        List<DatasetState> current = new ArrayList<>();
        for (Object random : new RandomData(SCHEMA, 4 * RECORDS, 20261207L)) {
            DatasetState record = toClass.read(null, DecoderFactory.get().binaryDecoder(write(generic, random), null));
            if (record.getActivity() == null && current.size() < RECORDS) {
                current.add(record);
            }
        }
        if (current.size() < RECORDS) {
            throw new IllegalStateException("only " + current.size() + " random records without an old activity");
        }
        long bytes = 0;
        for (int i = 0; i < RECORDS; i++) {
            records[i] = current.get(i);
            written[i] = write(avroWriter, records[i]);
            bytes += written[i].length;
        }
        System.out.printf("%n%d records of %d bytes on average%n", RECORDS, bytes / RECORDS);
    }

    @Benchmark
    public int writeHandWritten() throws IOException {
        return writeNext(handWrittenWriter);
    }

    @Benchmark
    public int writeAvro() throws IOException {
        return writeNext(avroWriter);
    }

    @Benchmark
    public DatasetState readHandWritten() throws IOException {
        return readNext(handWrittenReader);
    }

    @Benchmark
    public DatasetState readAvro() throws IOException {
        return readNext(avroReader);
    }

    private int writeNext(DatumWriter<DatasetState> writer) throws IOException {
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        writer.write(records[next++ & (RECORDS - 1)], encoder);
        encoder.flush();
        return out.size();
    }

    private DatasetState readNext(DatumReader<DatasetState> reader) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(written[next++ & (RECORDS - 1)], decoder);
        return reader.read(null, decoder);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] write(DatumWriter writer, Object record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        writer.write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
