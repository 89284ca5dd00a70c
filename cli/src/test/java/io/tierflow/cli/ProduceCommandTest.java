package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.localstack.LocalStackConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The produce command's options and errors that need no running stack. */
class ProduceCommandTest {
    @Test
    void shouldDocumentEveryTrafficOption() {
        StringWriter out = new StringWriter();
        assertEquals(0, TierflowCommand.commandLine().setOut(new PrintWriter(out)).execute("produce", "--help"));
        for (String option : new String[] {"--bootstrap-servers", "--schema-registry-url", "--datasets", "--rate",
                "--duration", "--events", "--seed", "--start", "--speedup", "--unthrottled", "--regions",
                "--burst-keys", "--burst-every", "--burst-length", "--burst-factor", "--[no-]register-datasets",
                "--upload-to", "--site-port", "--data-dir", "--max-object-bytes"}) {
            assertTrue(out.toString().contains(option), option + " in " + out);
        }
        // The defaults point at the local stack (compared without the help's line breaks).
        LocalStackConfig local = LocalStackConfig.defaults();
        String unwrapped = out.toString().replaceAll("\\s+", "");
        assertTrue(unwrapped.contains("127.0.0.1:" + local.kafkaPort()), out.toString());
        assertTrue(unwrapped.contains("http://127.0.0.1:" + local.registryPort() + "/apis/ccompat/v7"), out.toString());
    }

    @Test
    void shouldFailInOneLineWhenTheRegistryIsUnreachable() {
        String nowhere = "http://127.0.0.1:" + LocalStackConfig.freePort() + "/apis/ccompat/v7";
        StringWriter err = new StringWriter();
        int exit = TierflowCommand.commandLine().setErr(new PrintWriter(err))
                .execute("produce", "--schema-registry-url", nowhere, "--events", "10");

        assertEquals(1, exit, err.toString());
        assertEquals("tierflow produce: cannot reach the schema registry at " + nowhere
                + " (is the local stack running? --schema-registry-url if it is elsewhere)", err.toString().strip());
    }

    @Test
    void shouldRejectOptionsThatCannotWorkBeforeConnecting() {
        assertUsageError("--unthrottled needs --events or --duration", "--unthrottled");
        assertUsageError("--diurnal-amplitude must be in [0, 1)", "--diurnal-amplitude", "1");
        assertUsageError("burst keys [datasets/d000011] name no dataset", "--datasets", "10", "--burst-keys",
                "3,datasets/d000011");
        assertUsageError("unknown site 'moon' in --upload-to", "--upload-to", "moon");
        assertUsageError("'5 minutes' is not a duration", "--duration", "5 minutes");
    }

    @Test
    void shouldReadDurationsAndSizesTheWayPeopleWriteThem() {
        Converters.DurationConverter durations = new Converters.DurationConverter();
        assertEquals(Duration.ofSeconds(30), durations.convert("30s"));
        assertEquals(Duration.ofMinutes(90), durations.convert("1h30m"));
        assertEquals(Duration.ofDays(1), durations.convert("1d"));
        assertEquals(Duration.ofMillis(500), durations.convert("500ms"));
        assertEquals(Duration.ofSeconds(30), durations.convert("PT30S"));
        assertThrows(TypeConversionException.class, () -> durations.convert("soon"));

        Converters.ByteSizeConverter sizes = new Converters.ByteSizeConverter();
        assertEquals(65536L, sizes.convert("65536"));
        assertEquals(512L << 10, sizes.convert("512KiB"));
        assertEquals(16L << 20, sizes.convert("16MiB"));
        assertEquals(1L << 30, sizes.convert("1GiB"));
        assertThrows(TypeConversionException.class, () -> sizes.convert("16MB"));
    }

    private static void assertUsageError(String expected, String... options) {
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 1];
        args[0] = "produce";
        System.arraycopy(options, 0, args, 1, options.length);
        int exit = TierflowCommand.commandLine().setErr(new PrintWriter(err)).execute(args);
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains(expected), expected + " in " + err);
    }
}
