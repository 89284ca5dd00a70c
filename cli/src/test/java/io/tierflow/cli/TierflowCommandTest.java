package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TierflowCommandTest {
    @Test
    void shouldOfferHelpOnEverySubcommand() {
        CommandLine root = TierflowCommand.commandLine();
        for (var entry : root.getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            CommandLine cmd = TierflowCommand.commandLine().setOut(new PrintWriter(out));
            assertEquals(0, cmd.execute(entry.getKey(), "--help"), entry.getKey());
            assertTrue(out.toString().startsWith("Usage: tierflow " + entry.getKey()), out.toString());
        }
    }

    @Test
    void shouldDocumentTheLocalStackOptionsWithTheirDefaults() {
        StringWriter out = new StringWriter();
        assertEquals(0, TierflowCommand.commandLine().setOut(new PrintWriter(out)).execute("local", "--help"));
        for (String option : new String[] {"--data-dir", "--kafka-port", "--registry-port", "--site-port"}) {
            assertTrue(out.toString().contains(option), option + " in " + out);
        }
        assertTrue(out.toString().contains("default: .tierflow") || System.getenv("TIERFLOW_DATA_DIR") != null,
                out.toString());
    }

    @Test
    void shouldRejectAnUnknownSiteWithAUsefulMessage() {
        StringWriter err = new StringWriter();
        int exit = TierflowCommand.commandLine().setErr(new PrintWriter(err))
                .execute("local", "--site-port", "moon=1234");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("unknown site 'moon'"), err.toString());
    }

    @Test
    void shouldReadSizesWithBinaryUnits() {
        MigratorCommand.SizeConverter sizes = new MigratorCommand.SizeConverter();
        assertEquals(64L << 20, sizes.convert("64MiB"));
        assertEquals(512L << 10, sizes.convert("512 KiB"));
        assertEquals(1L << 30, sizes.convert("1GiB"));
        assertEquals(12345L, sizes.convert("12345"));
    }
}
