package io.tierflow.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierflow.streams.store.StoreImplementation;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TieringSettingsTest {
    @Test
    void shouldUseTheWriteBehindStoresUnlessTheConfigSaysStock() {
        assertEquals(StoreImplementation.WRITE_BEHIND, TieringSettings.from(new Properties()).stores());
        assertEquals(TieringSettings.DEFAULTS, TieringSettings.from(new Properties()));

        Properties stock = new Properties();
        stock.setProperty(TieringSettings.STORES, " Stock ");
        TieringSettings settings = TieringSettings.from(stock);
        assertEquals(StoreImplementation.STOCK, settings.stores());
        assertEquals(TieringSettings.DEFAULTS.withStores(StoreImplementation.STOCK), settings, "the rest as default");
        assertEquals(StoreImplementation.STOCK, settings.withEventTimeClock(true).stores(), "kept by other withers");
    }

    @Test
    void shouldRefuseAnUnknownStoreImplementationNamingTheKnownOnes() {
        Properties config = new Properties();
        config.setProperty(TieringSettings.STORES, "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TieringSettings.from(config));
        assertTrue(e.getMessage().startsWith(TieringSettings.STORES) && e.getMessage().contains("'fast'") && e.getMessage().contains("write-behind")
                && e.getMessage().contains("stock"), e.getMessage());
    }

    @Test
    void shouldReadTheBacklogDrainLimitAndRefuseOneThatIsNoDuration() {
        assertEquals(TieringSettings.DEFAULT_BACKLOG_DRAIN_LIMIT, TieringSettings.DEFAULTS.migrationBacklogDrainLimit());
        Properties config = new Properties();
        config.setProperty(TieringSettings.BACKLOG_DRAIN_LIMIT, "PT2H");
        assertEquals(java.time.Duration.ofHours(2), TieringSettings.from(config).migrationBacklogDrainLimit());
        assertEquals(java.time.Duration.ofHours(2), TieringSettings.from(config).withStores(StoreImplementation.STOCK)
                .migrationBacklogDrainLimit(), "kept by other withers");

        config.setProperty(TieringSettings.BACKLOG_DRAIN_LIMIT, "2h");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TieringSettings.from(config));
        assertTrue(e.getMessage().startsWith(TieringSettings.BACKLOG_DRAIN_LIMIT) && e.getMessage().contains("'2h'"),
                e.getMessage());
        config.setProperty(TieringSettings.BACKLOG_DRAIN_LIMIT, "PT0S");
        assertThrows(IllegalArgumentException.class, () -> TieringSettings.from(config));
    }
}
