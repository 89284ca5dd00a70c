package io.tierflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.catalogue.SitePlace;
import io.tierflow.localstack.LocalStackConfig;
import io.tierflow.migrator.MigratorSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
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
    void shouldPinTheLocalStacksSitesOnlyForTheLocalStacksKafkaAndOnlyWhenNothingIsPinned() {
        LocalStackConfig local = LocalStackConfig.onFreePorts(java.nio.file.Path.of("build-test-data"));
        Properties config = new Properties();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + local.kafkaPort());

        assertTrue(MigratorCommand.pinLocalSitesIfUnpinned(config, local));
        assertEquals(local.sitePlaces(), SitePlace.pins(config, MigratorSettings.SITE_PIN_PREFIX));
        assertEquals(4, local.sitePlaces().size(), "aws, azure, gcp and onprem");

        Properties remote = new Properties();
        remote.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
        assertFalse(MigratorCommand.pinLocalSitesIfUnpinned(remote, local), "another cluster's sites are its own");
        assertEquals(java.util.Map.of(), SitePlace.pins(remote, MigratorSettings.SITE_PIN_PREFIX));

        Properties pinned = new Properties();
        pinned.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + local.kafkaPort());
        pinned.putAll(new SitePlace("http://127.0.0.1:9", "b").asConfig(MigratorSettings.SITE_PIN_PREFIX, "aws"));
        assertFalse(MigratorCommand.pinLocalSitesIfUnpinned(pinned, local), "the operator's pins are the whole set");
        assertEquals(java.util.Set.of("aws"), SitePlace.pins(pinned, MigratorSettings.SITE_PIN_PREFIX).keySet());
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
