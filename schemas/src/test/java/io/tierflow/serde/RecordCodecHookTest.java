package io.tierflow.serde;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tierflow.schemas.Placement;
import io.tierflow.schemas.Site;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * When the serde hands a record to a registered codec and when to Avro: the codec's writer for records of the class's
 * own schema object only, its reader for data written with the class's schema only; any other version of the schema
 * is resolved by Avro. No registry is contacted.
 */
class RecordCodecHookTest {
    private static final SchemaRegistryClient NO_REGISTRY = new SchemaRegistryClient(List.of("http://127.0.0.1:1"),
            null, Duration.ofSeconds(1));
    private static final DatumWriter<Placement> CODEC_WRITER = new DatumWriter<>() {
        @Override
        public void setSchema(Schema schema) {
        }

        @Override
        public void write(Placement datum, Encoder out) throws IOException {
            throw new IOException("a marker, never written with");
        }
    };
    private static final DatumReader<Placement> CODEC_READER = new DatumReader<>() {
        @Override
        public void setSchema(Schema schema) {
        }

        @Override
        public Placement read(Placement reuse, Decoder in) throws IOException {
            throw new IOException("a marker, never read with");
        }
    };
    private static final RecordCodec<Placement> CODEC = new RecordCodec<>() {
        @Override
        public Class<Placement> type() {
            return Placement.class;
        }

        @Override
        public DatumWriter<Placement> writer(DatumWriter<Placement> avro) {
            return CODEC_WRITER;
        }

        @Override
        public DatumReader<Placement> reader(DatumReader<Placement> avro) {
            return CODEC_READER;
        }
    };

    @Test
    void shouldWriteTheClassesOwnSchemaWithTheCodecOnly() {
        AvroSerializer<Placement> withCodec = new AvroSerializer<>(NO_REGISTRY, true, false, CODEC);
        assertSame(CODEC_WRITER, withCodec.writerOf(Placement.getClassSchema()));

        AvroSerializer<Site> sites = new AvroSerializer<>(NO_REGISTRY, true, false, CODEC);
        assertInstanceOf(SpecificDatumWriter.class, sites.writerOf(Site.getClassSchema()),
                "another class: Avro's writer");
        Schema equalButNotTheClasses = new Schema.Parser().parse(Placement.getClassSchema().toString());
        assertInstanceOf(GenericDatumWriter.class, withCodec.writerOf(equalButNotTheClasses),
                "generic records of an equal schema are not instances of the class: Avro's writer");
        AvroSerializer<Placement> withoutCodec = new AvroSerializer<>(NO_REGISTRY, true, false);
        assertInstanceOf(SpecificDatumWriter.class,
                withoutCodec.writerOf(Placement.getClassSchema()));
    }

    @Test
    void shouldReadDataOfTheClassesSchemaWithTheCodecAndResolveOtherVersionsWithAvro() {
        AvroDeserializer<Placement> deserializer = new AvroDeserializer<>(Placement.class, NO_REGISTRY, CODEC);
        Schema registered = new Schema.Parser().parse(Placement.getClassSchema().toString());
        assertSame(CODEC_READER, deserializer.readerOf(registered), "the registry's copy of this build's schema");

        Schema older = SchemaBuilder.record("Placement").namespace("io.tierflow.schemas").fields()
                .requiredString("key").endRecord();
        assertInstanceOf(SpecificDatumReader.class, deserializer.readerOf(older), "another version: Avro resolves it");
        AvroDeserializer<Placement> withoutCodec = new AvroDeserializer<>(Placement.class, NO_REGISTRY);
        assertInstanceOf(SpecificDatumReader.class, withoutCodec.readerOf(registered));
    }

    @Test
    void shouldRefuseACodecOfAnotherClass() {
        assertThrows(IllegalArgumentException.class,
                () -> new AvroSerde<>(Site.class, NO_REGISTRY, true, false, wrongCodec()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RecordCodec<Site> wrongCodec() {
        return (RecordCodec) CODEC;
    }
}
