package io.tierflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrkTest {
    private static final String LINE = "tierflow-wrk requests=300000 duration_us=15000000 p50_us=800 p90_us=1500 "
            + "p99_us=4250 max_us=31000 connect_errors=0 read_errors=0 write_errors=0 status_errors=3 "
            + "timeout_errors=1";

    @Test
    void shouldReadTheScriptsResultLineAmongWrksOwnOutput() {
        Wrk.Result result = Wrk.parse(List.of("Running 15s test @ http://127.0.0.1:1234", "  2 threads and 16 "
                + "connections", "Requests/sec:  20000.00", LINE)).orElseThrow();

        assertEquals(300_000, result.requests());
        assertEquals(20_000.0, result.requestsPerSecond(), 1e-9);
        assertEquals(0.8, result.p50Ms(), 1e-9);
        assertEquals(4.25, result.p99Ms(), 1e-9);
        assertEquals(31.0, result.maxMs(), 1e-9);
        assertEquals(3, result.errors().get("status"));
        assertEquals(4, result.errorCount(), "status and timeout errors both count");
    }

    @Test
    void shouldFindNoResultWhenTheScriptDidNotRun() {
        assertEquals(Optional.empty(), Wrk.parse(List.of("Requests/sec:  20000.00")));
    }

    @Test
    void shouldRejectAResultLineWithAFieldMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wrk.parse(List.of(LINE.replace(" p99_us=4250", ""))));
        assertTrue(e.getMessage().contains("p99_us"), e.getMessage());
    }

    @Test
    void shouldFindWrkOnThePathOrWhereWrkSays(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path wrk = Files.createFile(bin.resolve("wrk"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        assertEquals(Optional.of(wrk), Wrk.find(Map.of("PATH", dir.resolve("nothing") + ":" + bin)));
        assertEquals(Optional.empty(), Wrk.find(Map.of("PATH", dir.resolve("nothing").toString())));
        assertEquals(Optional.of(wrk), Wrk.find(Map.of("WRK", wrk.toString(), "PATH", "")));
        IllegalStateException notExecutable = assertThrows(IllegalStateException.class,
                () -> Wrk.find(Map.of("WRK", dir.resolve("missing").toString())));
        assertTrue(notExecutable.getMessage().contains("not an executable"), notExecutable.getMessage());
    }

    @Test
    void shouldRefuseALoadWithFewerConnectionsThanThreads() {
        assertThrows(IllegalArgumentException.class, () -> new Wrk.Load(4, 2, Duration.ofSeconds(15)));
        assertThrows(IllegalArgumentException.class, () -> new Wrk.Load(2, 16, Duration.ofMillis(500)));
    }
}
