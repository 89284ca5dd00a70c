package io.tierflow.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFileReaderTest {
    private static TraceImporter importer(TraceImporterTest.Recorded out) {
        return new TraceImporter(new TraceImporter.Settings("t1", TraceImporterTest.SITE, null, 1, 0, false, null,
                false, 2), out);
    }

    @Test
    void shouldReadEveryFileInOrderAndNameEachBadLinesFile(@TempDir Path dir) throws Exception {
        Path first = Files.writeString(dir.resolve("a.trace"), "1000 REST.GET.OBJECT a 10\n");
        Path second = Files.writeString(dir.resolve("b.trace"), "2000 REST.PUT.OBJECT b 20\nnonsense\n");
        TraceImporterTest.Recorded out = new TraceImporterTest.Recorded();
        TraceImporter importer = importer(out);

        TraceFileReader.read(new ObjectStoreTraceFormat(), List.of(first, second), importer,
                new PrintWriter(new StringWriter()), () -> false);

        assertEquals(List.of("t1/a", "t1/b"), out.events.stream().map(e -> e.getKey()).toList());
        assertEquals(second + ":2", importer.summary().badLines().get(0).source() + ":"
                + importer.summary().badLines().get(0).line());
    }

    @Test
    void shouldStopBetweenLinesWhenAskedAndKeepWhatWasRead(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("t.trace"),
                "1000 REST.GET.OBJECT a 10\n2000 REST.GET.OBJECT b 10\n3000 REST.GET.OBJECT c 10\n");
        TraceImporterTest.Recorded out = new TraceImporterTest.Recorded();
        TraceImporter importer = importer(out);

        TraceImportException stopped = assertThrows(TraceImportException.class, () -> TraceFileReader.read(
                new ObjectStoreTraceFormat(), List.of(trace), importer, new PrintWriter(new StringWriter()),
                () -> importer.events() >= 2));

        assertTrue(stopped.getMessage().startsWith("stopped (Ctrl-C) after 2 requests"), stopped.getMessage());
        assertEquals(2, out.events.size());
        assertEquals(2, importer.summary().events());
    }
}
