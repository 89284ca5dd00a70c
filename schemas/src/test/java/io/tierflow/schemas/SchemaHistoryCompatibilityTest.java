package io.tierflow.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Fails the build when a current schema cannot read data written with an earlier version of it (BACKWARD). */
class SchemaHistoryCompatibilityTest {
    private static final Path HISTORY = Path.of("src/main/schema-history");
    private static final List<Class<?>> TOPIC_RECORDS = List.of(AccessEvent.class, Dataset.class, Site.class,
            Policy.class, Model.class, MigrationCommand.class, MigrationStatus.class, Placement.class, Alert.class,
            ControlCommand.class, DeadLetter.class,
            // Not topic values, but stored in changelogs and a repartition topic: they evolve under the same rule.
            DatasetState.class, CostLedger.class, AlertSignal.class);

    @TestFactory
    Stream<DynamicTest> currentSchemaReadsEveryEarlierVersion() throws IOException {
        List<Path> versions;
        try (Stream<Path> files = Files.walk(HISTORY)) {
            versions = files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertFalse(versions.isEmpty(), "no schema history found under " + HISTORY.toAbsolutePath());
        return versions.stream().map(file -> DynamicTest.dynamicTest(HISTORY.relativize(file).toString(), () -> {
            String record = file.getParent().getFileName().toString();
            Schema writer = new Schema.Parser().parse(file.toFile());
            Schema reader = SpecificData.get().getSchema(Class.forName("io.tierflow.schemas." + record));
            var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
            assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getCompatibility(),
                    () -> record + " cannot read data written with " + file + ": " + result.getIncompatibilities());
        }));
    }

    @Test
    void everyTopicRecordHasAHistory() {
        for (Class<?> type : TOPIC_RECORDS) {
            assertTrue(Files.exists(HISTORY.resolve(type.getSimpleName()).resolve("v1.avsc")),
                    "keep the first released schema of " + type.getSimpleName() + " in " + HISTORY);
        }
    }

    @Test
    void theCheckRejectsARemovedFieldWithoutDefault() {
        // Guards the guard: a reader that adds a required field must be reported as incompatible.
        Schema writer = SpecificData.get().getSchema(AccessEvent.class);
        Schema reader = new Schema.Parser().parse("""
                {"type":"record","name":"AccessEvent","namespace":"io.tierflow.schemas","fields":[
                  {"name":"key","type":"string"},{"name":"tenant","type":"string"}]}""");
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getCompatibility());
    }

    @Test
    void everyFieldOfEveryRecordIsDocumented() {
        for (Class<?> type : TOPIC_RECORDS) {
            assertDocumented(SpecificData.get().getSchema(type), type.getSimpleName());
        }
    }

    private static void assertDocumented(Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                assertTrue(schema.getDoc() != null && !schema.getDoc().isBlank(), path + " has no doc");
                for (Schema.Field field : schema.getFields()) {
                    assertTrue(field.doc() != null && !field.doc().isBlank(), path + "." + field.name() + " has no doc");
                    assertDocumented(field.schema(), path + "." + field.name());
                }
            }
            case ARRAY -> assertDocumented(schema.getElementType(), path + "[]");
            case MAP -> assertDocumented(schema.getValueType(), path + "{}");
            case UNION -> schema.getTypes().forEach(t -> assertDocumented(t, path));
            default -> { }
        }
    }
}
